package io.thingport.bridge.ctwing;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.bridge.support.CloudConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of the platform side: records every call, accepts the devices in {@link #known} (refusing the others as
 * unknown), and can refuse uplinks for back-pressure ({@link #busyAfter}).
 */
final class FakeListener implements TransportListener {
    /** One uplink as the platform received it. */
    record Uplink(String deviceId, String topic, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** One {@code commandOutcome} call. */
    record Outcome(String deviceId, String messageId, boolean success, String code, String detail) {
    }

    final Set<String> known = ConcurrentHashMap.newKeySet();
    final List<AuthRequest> authentications = new CopyOnWriteArrayList<>();
    final List<String> connected = new CopyOnWriteArrayList<>();
    final List<String> disconnected = new CopyOnWriteArrayList<>();
    final List<Uplink> received = new CopyOnWriteArrayList<>();
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    final Map<String, TransportConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger passBeforeBusy = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();

    FakeListener(String... knownDevices) {
        known.addAll(List.of(knownDevices));
    }

    /** After {@code pass} more uplinks were taken, the next {@code refuse} are refused with {@code UNAVAILABLE}. */
    void busyAfter(int pass, int refuse) {
        passBeforeBusy.set(pass);
        busy.set(refuse);
    }

    List<String> receivedTexts() {
        return received.stream().map(Uplink::text).toList();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        authentications.add(request);
        if (request.brokered() && known.contains(request.clientId())) {
            return CompletableFuture.completedFuture(AuthResult.accept(request.clientId(), request.username()));
        }
        return CompletableFuture.completedFuture(AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, request.clientId(), "no such device"));
    }

    @Override
    public void connected(TransportConnection connection, AuthResult result) {
        connected.add(result.deviceId());
        connections.put(result.deviceId(), connection);
    }

    @Override
    public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
        if (passBeforeBusy.getAndUpdate(n -> n > 0 ? n - 1 : 0) == 0 && busy.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return CompletableFuture.failedFuture(new ThingportException(ErrorCode.UNAVAILABLE, "uplink budget exhausted"));
        }
        received.add(new Uplink(((CloudConnection) connection).deviceId(), message.topic(), message.payload()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean maySubscribe(TransportConnection connection, String topicFilter) {
        return false;
    }

    @Override
    public void disconnected(TransportConnection connection, String reason) {
        disconnected.add(((CloudConnection) connection).deviceId());
        connections.remove(((CloudConnection) connection).deviceId(), connection);
    }

    @Override
    public void commandOutcome(TransportConnection connection, String messageId, boolean success, String code, String detail) {
        outcomes.add(new Outcome(((CloudConnection) connection).deviceId(), messageId, success, code, detail));
    }
}
