package io.thingport.bridge.support;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The devices of a cloud platform, as the platform sees them: each one that the cloud reports for becomes a
 * {@link CloudConnection} once the platform accepted it ({@link AuthRequest#brokered}: the cloud authenticated the
 * device; the platform checks that it exists, is enabled and is of the product). Its messages go to the platform on
 * that connection; an offline report closes it (the device goes offline), and the next message opens a new one.
 * Downlinks the platform sends to a connection go to the bridge's {@link Downlinks}, which calls the cloud's API.
 *
 * <p>At most {@code maxDevices} connections are open; a device beyond is refused with {@code TOO_LARGE} until one
 * closes. A refused device holds nothing: its next message is checked again. Thread-safe.
 */
public final class CloudDevices implements AutoCloseable {
    /** What the bridge does with a downlink the platform sends to one of its devices. */
    @FunctionalInterface
    public interface Downlinks {
        CompletionStage<Void> send(CloudConnection connection, EncodedMessage message);
    }

    private final String componentId;
    private final TransportListener listener;
    private final InetSocketAddress cloud;
    private final Downlinks downlinks;
    private final int maxDevices;
    private final Map<String, CompletableFuture<CloudConnection>> devices = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param cloud where the cloud's API is (the address the devices' connections report) */
    public CloudDevices(String componentId, TransportListener listener, InetSocketAddress cloud, Downlinks downlinks, int maxDevices) {
        this.componentId = componentId;
        this.listener = listener;
        this.cloud = cloud;
        this.downlinks = downlinks;
        this.maxDevices = maxDevices;
    }

    /**
     * Hands one message of a device to the platform, opening the device's connection first when it has none; a device's
     * messages go in the order of the calls, one at a time. The stage
     * completes when the platform stored it; it fails with the platform's refusal of the device ({@code NOT_FOUND},
     * {@code FORBIDDEN} ...) or of the message, or with {@code UNAVAILABLE} under back-pressure.
     */
    public CompletionStage<Void> deliver(String productId, String deviceId, EncodedMessage message) {
        return inOrder(productId, deviceId, () -> connection(productId, deviceId).thenCompose(c -> listener.received(c, message)
                .handle((ok, error) -> {
                    if (error == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    // the platform closed the connection meanwhile (the device was kicked, its gateway re-bound): the
                    // message was not taken, and the cloud's retry will open a new connection
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    return CompletableFuture.<Void>failedFuture(c.isOpen() ? cause : new ThingportException(ErrorCode.UNAVAILABLE,
                            "the connection of device " + deviceId + " closed while its message was handed over: send it again"));
                }).thenCompose(x -> x)));
    }

    /** The cloud reported the device online: its connection opens (in order with its messages). */
    public CompletionStage<Void> online(String productId, String deviceId) {
        return inOrder(productId, deviceId, () -> connection(productId, deviceId).thenApply(c -> (Void) null));
    }

    /** The cloud reported the device offline: its connection closes (in order with its messages; it goes offline). */
    public CompletionStage<Void> offline(String productId, String deviceId, String reason) {
        return inOrder(productId, deviceId, () -> {
            find(productId, deviceId).ifPresent(c -> c.close(reason));
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Runs a device's steps in the order they were given, each after the previous one completed (whatever its outcome). */
    private CompletionStage<Void> inOrder(String productId, String deviceId, Supplier<CompletionStage<Void>> step) {
        String key = productId + '\n' + deviceId;
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, next);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous.handle((x, e) -> (Void) null))
                .thenCompose(x -> step.get())
                .whenComplete((x, e) -> {
                    tails.remove(key, next);
                    if (e == null) {
                        next.complete(null);
                    } else {
                        next.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                    }
                });
        return next;
    }

    /** The device's open connection, opened (and accepted by the platform) now if it has none. */
    public CompletionStage<CloudConnection> connection(String productId, String deviceId) {
        if (closed) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNAVAILABLE, "network component " + componentId
                    + " is stopping"));
        }
        String key = productId + '\n' + deviceId;
        CompletableFuture<CloudConnection> created = new CompletableFuture<>();
        CompletableFuture<CloudConnection> current = devices.putIfAbsent(key, created);
        if (current != null) {
            return current;
        }
        if (devices.size() > maxDevices) {
            devices.remove(key, created);
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.TOO_LARGE, "network component " + componentId
                    + " holds " + maxDevices + " devices, the most allowed"));
        }
        listener.authenticate(AuthRequest.brokered(Transport.HTTP, deviceId, productId, cloud)).whenComplete((result, error) -> {
            if (error != null || !result.accepted()) {
                devices.remove(key, created);
                created.completeExceptionally(error != null ? error : refusal(deviceId, result));
                return;
            }
            CloudConnection c = new CloudConnection(componentId + "/" + deviceId, result.deviceId(), productId, cloud, this);
            listener.connected(c, result);
            if (closed && c.isOpen()) {
                c.close("network component " + componentId + " stopped");
            }
            if (!c.isOpen()) {
                // closed by the platform at once (its gateway went away meanwhile) or by a stop: not cached
                devices.remove(key, created);
                created.completeExceptionally(new ThingportException(ErrorCode.UNAVAILABLE, "the connection of device " + deviceId
                        + " closed as it opened: send it again"));
                return;
            }
            created.complete(c);
        });
        return created;
    }

    private static ThingportException refusal(String deviceId, AuthResult result) {
        ErrorCode code = switch (result.failure()) {
            case UNKNOWN_DEVICE -> ErrorCode.NOT_FOUND;
            case SERVER_BUSY -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.FORBIDDEN;
        };
        return new ThingportException(code, "device " + deviceId + " was refused: " + result.detail());
    }

    /** The device's connection, if it has one open now. */
    public Optional<CloudConnection> find(String productId, String deviceId) {
        CompletableFuture<CloudConnection> f = devices.get(productId + '\n' + deviceId);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
    }

    /** The cloud reported what became of a command it was given ({@link TransportListener#commandOutcome}). */
    public void outcome(String productId, String deviceId, String messageId, boolean success, String code, String detail) {
        find(productId, deviceId).ifPresent(c -> listener.commandOutcome(c, messageId, success, code, detail));
    }

    /** How many devices have a connection. */
    public int size() {
        return (int) devices.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    CompletionStage<Void> send(CloudConnection connection, EncodedMessage message) {
        return downlinks.send(connection, message);
    }

    void closed(CloudConnection connection, String reason) {
        devices.computeIfPresent(connection.productId() + '\n' + connection.deviceId(),
                (k, f) -> f.isDone() && !f.isCompletedExceptionally() && f.join() == connection ? null : f);
        listener.disconnected(connection, reason);
    }

    /** Closes every connection (each device goes offline). */
    @Override
    public void close() {
        closed = true;
        devices.values().forEach(f -> f.thenAccept(c -> c.close("network component " + componentId + " stopped")));
    }
}
