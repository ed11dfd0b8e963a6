package io.thingport.rest.internal.imports;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.CreatedDevice;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.ImportFormat;
import io.thingport.rest.internal.imports.ImportJobs.JobView;
import io.thingport.rest.internal.imports.ImportJobs.Owner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the API's asynchronous device imports ({@code POST /devices/import?async=true}) one at a time on a thread of
 * their own, keeping where each is in {@link ImportJobs} for {@code GET /devices/imports/{jobId}}. Created and stopped
 * with the API ({@code RestServer}); stopping interrupts the running import, which then stores nothing.
 */
public final class DeviceImports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceImports.class);
    private static final long STOP_WAIT_SECONDS = 10;
    /** The most imports waiting for the thread, how many jobs are held at most, and how long one is kept once ended. */
    public static final int MAX_WAITING = 4;
    public static final int MAX_HELD = 64;
    public static final Duration KEEP = Duration.ofMinutes(10);

    private final DeviceService devices;
    private final ImportJobs jobs;
    private final ExecutorService runner;

    /** The API's imports: {@link #MAX_WAITING}, {@link #MAX_HELD}, {@link #KEEP}. */
    public DeviceImports(DeviceService devices, Clock clock) {
        this(devices, new ImportJobs(clock, MAX_WAITING, MAX_HELD, KEEP, DeviceImports::newId));
    }

    public DeviceImports(DeviceService devices, ImportJobs jobs) {
        this.devices = devices;
        this.jobs = jobs;
        // one thread; the queue is bounded by ImportJobs (maxWaiting), which refuses a job before it gets here
        this.runner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "thingport-device-import");
            t.setDaemon(true);
            return t;
        });
    }

    /** A new job id: 32 lower-case hex digits. */
    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Queues the import of {@code content} into product {@code productId} for {@code owner} (who has been checked).
     *
     * @throws ThingportException {@code UNAVAILABLE} when the most imports are waiting already, or the API is stopping
     */
    public JobView submit(Owner owner, String productId, String content, ImportFormat format) {
        JobView job = jobs.submit(owner, productId);
        try {
            runner.execute(new Run(job.jobId(), () -> run(job.jobId(), productId, content, format)));
        } catch (RejectedExecutionException e) {
            jobs.forget(job.jobId());
            throw new ThingportException(ErrorCode.UNAVAILABLE, "the Open API is stopping: device imports are not taken");
        }
        return job;
    }

    /** The job, when {@code owner} started it and it is still held. */
    public Optional<JobView> get(String jobId, Owner owner) {
        return jobs.get(jobId, owner);
    }

    private void run(String jobId, String productId, String content, ImportFormat format) {
        jobs.started(jobId);
        try {
            List<CreatedDevice> created = devices.importDevices(productId, content, format,
                    (phase, done, total) -> jobs.progress(jobId, phase, done, total));
            jobs.done(jobId, created);
        } catch (ThingportException e) {
            jobs.failed(jobId, e.code().wireName(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Device import {} into product {} failed", jobId, productId, e);
            jobs.failed(jobId, ErrorCode.INTERNAL.wireName(), "internal error: see the platform's log");
        }
    }

    /** A job's run, known by its job id while it waits. */
    private record Run(String jobId, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }

    /** Stops the thread: the running import is interrupted (and stores nothing), the queued ones fail without running. */
    @Override
    public void close() {
        for (Runnable never : runner.shutdownNow()) {
            if (never instanceof Run r) {
                jobs.failed(r.jobId(), ErrorCode.UNAVAILABLE.wireName(), "the Open API stopped before the import started;"
                        + " nothing was imported");
            }
        }
        try {
            if (!runner.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("A device import did not stop within {} s", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
