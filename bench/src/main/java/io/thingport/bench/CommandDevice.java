package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.thingport.api.device.SignedLogin;
import io.thingport.simulator.engine.MqttDeviceConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device on MQTT for the API benchmark, on its own Netty event loop, over the platform's own
 * {@link MqttDeviceConnection} (the simulator's engine): logs in with the official protocol's signed credentials,
 * subscribes to its topics, reports property values (QoS 1, returning once PUBACKed, which the platform sends after
 * storing them) and answers every {@code function/invoke} at once, on the event loop, with a successful
 * {@code function/invoke/reply} ({@link #invokeReply}).
 */
final class CommandDevice implements AutoCloseable {
    /** Keep-alive of the session; a PINGREQ goes after 3/4 of it without other traffic. */
    static final int KEEPALIVE_S = 60;
    private static final long CONNECT_TIMEOUT_MS = 5000;

    private final String prefix;
    private final NioEventLoopGroup group;
    private final MqttDeviceConnection connection;
    private final CompletableFuture<Void> connAck = new CompletableFuture<>();
    private final CompletableFuture<Void> subAck = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicLong invokes = new AtomicLong();
    private final AtomicLong badInvokes = new AtomicLong();
    /** {@link System#nanoTime} when the last {@code function/invoke} arrived (read from the network). */
    private volatile long lastInvokeNanos;
    private volatile String closeReason;

    private CommandDevice(String productId, String deviceId, String secret, String host, int port) {
        this.prefix = "/" + productId + "/" + deviceId + "/";
        this.group = new NioEventLoopGroup(1);
        Bootstrap base = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MS);
        this.connection = new MqttDeviceConnection(base, group.next(), new InetSocketAddress(host, port), KEEPALIVE_S,
                CONNECT_TIMEOUT_MS, new Events());
        connection.connect(SignedLogin.sign(deviceId, secret, System.currentTimeMillis()), List.of(prefix + "#"));
    }

    /** Connects, logs in and subscribes to {@code /{productId}/{deviceId}/#}; throws when any step fails. */
    static CommandDevice connect(String host, int port, String productId, String deviceId, String secret, Duration timeout)
            throws IOException, InterruptedException {
        CommandDevice d = new CommandDevice(productId, deviceId, secret, host, port);
        try {
            d.await(d.connAck, timeout, "log in (CONNACK)");
            d.await(d.subAck, timeout, "subscribe (SUBACK)");
            return d;
        } catch (IOException | InterruptedException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Publishes a report ({@code properties/report}, QoS 1) and returns once the platform acknowledged it. */
    void report(String json, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        boolean sent;
        try {
            sent = connection.loop().submit(() -> connection.publish(prefix + "properties/report", json, ack, Integer.MAX_VALUE))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the device could not report: " + e, e);
        }
        if (!sent) {
            throw new IOException("the device could not report: not connected" + (closeReason == null ? "" : " (" + closeReason + ")"));
        }
        await(ack, timeout, "report (PUBACK)");
    }

    /** {@code function/invoke} downlinks answered so far. */
    long invokesAnswered() {
        return invokes.get();
    }

    /** {@link System#nanoTime} when the last {@code function/invoke} arrived; 0 before the first. */
    long lastInvokeNanos() {
        return lastInvokeNanos;
    }

    /** {@code function/invoke} downlinks that could not be answered (no messageId, or the reply could not be sent). */
    long invokesUnanswerable() {
        return badInvokes.get();
    }

    /** Why the session ended, or null while it is up. */
    String closeReason() {
        return connection.isConnected() ? null : closeReason == null ? "closed" : closeReason;
    }

    /**
     * The reply to a {@code function/invoke} payload: {@code {"messageId":<the same>,"success":true,"output":"ok"}}, or
     * null when the payload has no messageId.
     */
    static String invokeReply(String payload) {
        String id;
        try {
            id = Json.string(Json.parseObject(payload), "messageId");
        } catch (IllegalArgumentException e) {
            return null;
        }
        return id == null ? null : "{\"messageId\":" + PayloadSpec.quote(id) + ",\"success\":true,\"output\":\"ok\"}";
    }

    @Override
    public void close() {
        try {
            connection.disconnect();
            closed.get(2000, TimeUnit.MILLISECONDS); // the DISCONNECT written and the connection closed
        } catch (ExecutionException | TimeoutException e) {
            // not connected, or slow to close: the event loop's shutdown closes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        }
    }

    private void await(CompletableFuture<Void> f, Duration timeout, String what) throws IOException, InterruptedException {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the device could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the device could not " + what + " within " + timeout.toMillis() + " ms"
                    + (closeReason() == null ? "" : " (" + closeReason() + ")"));
        }
    }

    private void failAll(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        IOException e = new IOException(reason);
        connAck.completeExceptionally(e);
        subAck.completeExceptionally(e);
    }

    /** The connection's events, on the device's event loop. */
    private final class Events implements MqttDeviceConnection.Listener {
        @Override
        public void loggedIn(long connectNanos) {
            connAck.complete(null);
        }

        @Override
        public void loginFailed(MqttDeviceConnection.Failure failure, String detail) {
            failAll(detail);
            closed.complete(null);
        }

        @Override
        public void subscribed(List<Integer> grantedQos) {
            if (grantedQos.stream().allMatch(q -> q < 0x80)) {
                subAck.complete(null);
            } else {
                subAck.completeExceptionally(new IOException("subscription refused: " + grantedQos));
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void acked(Object context, long latencyNanos) {
            if (context instanceof CompletableFuture<?> f) {
                ((CompletableFuture<Void>) f).complete(null);
            }
        }

        @Override
        public void dropped(Object context) {
            if (context instanceof CompletableFuture<?> f) {
                f.completeExceptionally(new IOException("the connection closed before the PUBACK"));
            }
        }

        @Override
        public void message(String topic, String payload) {
            if (!topic.equals(prefix + "function/invoke")) {
                return;
            }
            lastInvokeNanos = System.nanoTime();
            String reply = invokeReply(payload);
            // QoS 1 as a real device would; its PUBACK is not awaited
            if (reply == null || !connection.publish(prefix + "function/invoke/reply", reply, null, Integer.MAX_VALUE)) {
                badInvokes.incrementAndGet();
            } else {
                invokes.incrementAndGet();
            }
        }

        @Override
        public void closed(boolean byUs, String detail) {
            failAll(byUs ? "closed by the benchmark" : detail);
            closed.complete(null);
        }
    }
}
