package io.thingport.bridge.onenet;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.NewDevice;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.bridge.support.CloudConnection;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform as a OneNET component sees it: a {@link TransportListener} that records every call and accepts every
 * brokered device of product {@code p1} except the {@link #unknown} ones, and a {@link DeviceService} (a proxy: only
 * {@code createDevice}) whose created devices become known.
 */
final class FakePlatform implements TransportListener {
    record Stored(String deviceId, String topic, String payload) {
    }

    record Outcome(String deviceId, String messageId, boolean success, String code, String detail) {
    }

    final List<AuthRequest> logins = new CopyOnWriteArrayList<>();
    final List<TransportConnection> connections = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    /** The messages the platform took (not those it refused). */
    final List<Stored> stored = new CopyOnWriteArrayList<>();
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    final List<NewDevice> created = new CopyOnWriteArrayList<>();
    /** Device ids the platform does not know. */
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    /** The number of received calls so far. */
    final AtomicInteger calls = new AtomicInteger();
    /** The index (from 0) of the received call that fails with {@code UNAVAILABLE}, or -1. */
    volatile int unavailableAt = -1;
    /** A message whose payload contains this text is refused as an invalid value (when set). */
    volatile String invalid;

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        logins.add(request);
        return CompletableFuture.supplyAsync(() -> unknown.contains(request.clientId())
                ? AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, request.clientId(), "unknown device " + request.clientId())
                : AuthResult.accept(request.clientId(), "p1"));
    }

    @Override
    public void connected(TransportConnection connection, AuthResult result) {
        connections.add(connection);
    }

    @Override
    public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
        if (calls.getAndIncrement() == unavailableAt) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNAVAILABLE, "at the bound of in-flight uplinks"));
        }
        String bad = invalid;
        if (bad != null && message.payloadAsText().contains(bad)) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.INVALID_VALUE, "not in the thing model's range"));
        }
        String device = ((CloudConnection) connection).deviceId();
        stored.add(new Stored(device, message.topic(), message.payloadAsText()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean maySubscribe(TransportConnection connection, String topicFilter) {
        return false;
    }

    @Override
    public void disconnected(TransportConnection connection, String reason) {
        disconnects.add(reason);
    }

    @Override
    public void commandOutcome(TransportConnection connection, String messageId, boolean success, String code, String detail) {
        String device = ((CloudConnection) connection).deviceId();
        outcomes.add(new Outcome(device, messageId, success, code, detail));
    }

    /** A device service whose {@code createDevice} records the device and makes it known; nothing else is supported. */
    DeviceService deviceService() {
        return (DeviceService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DeviceService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createDevice" -> {
                        NewDevice device = (NewDevice) args[0];
                        created.add(device);
                        unknown.remove(device.id());
                        yield null;
                    }
                    case "toString" -> "FakeDeviceService";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
