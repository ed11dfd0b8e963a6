package io.thingport.network.mqtt.client;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's single thread ({@code mqtt-client-<component id>}): it owns the state of the broker link and of
 * the devices and makes every {@code TransportListener} call. Paho's threads and the platform's stages only hand
 * work to it, and never wait for it.
 */
final class EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(MqttClientComponent.class);

    private final String componentId;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    EventLoop(String componentId) {
        this.componentId = componentId;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mqtt-client-" + componentId);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Whether the caller runs on the loop. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop; dropped once the component is closed. */
    void run(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("Network component {} is closed; dropped a task", componentId);
        }
    }

    /** Runs {@code task} on the loop, or here once the loop is gone (completing a stage must not be lost). */
    void runOrHere(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Runs {@code task} on the loop after {@code delay}; called on the loop. */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return executor.schedule(guarded(task), delay, unit);
    }

    /** Runs {@code task} on the loop every {@code seconds}, the first time after {@code seconds}. */
    void every(Runnable task, long seconds) {
        executor.scheduleWithFixedDelay(guarded(task), seconds, seconds, TimeUnit.SECONDS);
    }

    /** Runs {@code task} on the loop and waits (at most 5 s) until it has run; used while closing. */
    void await(Runnable task) {
        try {
            executor.submit(guarded(task)).get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            LOG.debug("Network component {}: closing: {}", componentId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread, dropping what has not run yet, and waits (at most 2 s) for it to end. */
    void shutdown() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Network component {}: unexpected failure", componentId, e);
            }
        };
    }
}
