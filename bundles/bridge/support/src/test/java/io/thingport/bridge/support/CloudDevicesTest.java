package io.thingport.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloudDevicesTest {
    /** A platform that knows the devices it is given and records what it is told. */
    private static final class Platform implements TransportListener {
        final Set<String> known;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Platform(Set<String> known) {
            this.known = known;
        }

        @Override
        public CompletionStage<AuthResult> authenticate(AuthRequest request) {
            calls.add("auth " + request.clientId() + " " + request.username() + " " + request.brokered());
            return CompletableFuture.supplyAsync(() -> known.contains(request.clientId())
                    ? AuthResult.accept(request.clientId(), request.username())
                    : AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, request.clientId(), "device " + request.clientId()
                            + " does not exist"));
        }

        @Override
        public void connected(TransportConnection connection, AuthResult result) {
            calls.add("connected " + result.deviceId());
        }

        @Override
        public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
            calls.add("received " + connection.id() + " " + message.payloadAsText());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean maySubscribe(TransportConnection connection, String topicFilter) {
            return false;
        }

        @Override
        public void disconnected(TransportConnection connection, String reason) {
            calls.add("disconnected " + connection.id() + " " + reason);
        }

        @Override
        public void commandOutcome(TransportConnection connection, String messageId, boolean success, String code, String detail) {
            calls.add("outcome " + connection.id() + " " + messageId + " " + success + " " + code);
        }
    }

    private static final InetSocketAddress CLOUD = InetSocketAddress.createUnresolved("cloud.example", 443);

    @Test
    void aDeviceIsAcceptedOnceAndItsMessagesGoOnOneConnectionUntilItGoesOffline() throws Exception {
        // Verifies the life of a cloud device: checked by the platform as brokered at its first message (once, even for
        // messages that race), its messages on one connection, downlinks to the bridge, outcomes to the platform, an
        // offline report closing the connection, and the next message opening a new one.
        // GIVEN a platform that knows d1 and a bridge that records downlinks
        Platform platform = new Platform(Set.of("d1"));
        List<String> downlinks = new CopyOnWriteArrayList<>();
        CloudDevices devices = new CloudDevices("c1", platform, CLOUD, (c, m) -> {
            downlinks.add(c.deviceId() + " " + m.payloadAsText());
            return CompletableFuture.completedFuture(null);
        }, 10);
        // WHEN two messages race, then a downlink, an outcome and an offline report
        CompletableFuture.allOf(devices.deliver("p", "d1", EncodedMessage.of("", "one")).toCompletableFuture(),
                devices.deliver("p", "d1", EncodedMessage.of("", "two")).toCompletableFuture()).get(10, TimeUnit.SECONDS);
        CloudConnection c = devices.find("p", "d1").orElseThrow();
        c.send(EncodedMessage.of("", "cmd")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        devices.outcome("p", "d1", "m1", true, null, null);
        devices.offline("p", "d1", "offline at the cloud");
        // THEN
        assertThat(platform.calls).containsExactly("auth d1 p true", "connected d1", "received c1/d1 one", "received c1/d1 two",
                "outcome c1/d1 m1 true null", "disconnected c1/d1 offline at the cloud");
        assertThat(downlinks).containsExactly("d1 cmd");
        assertThat(devices.size()).isZero();
        assertThat(c.isOpen()).isFalse();
        assertThat(c.send(EncodedMessage.of("", "late")).toCompletableFuture()).isCompletedExceptionally();
        // WHEN it reports again / THEN a new connection
        devices.deliver("p", "d1", EncodedMessage.of("", "three")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(platform.calls).filteredOn(s -> s.startsWith("auth")).hasSize(2);
        assertThat(devices.size()).isEqualTo(1);
        devices.close();
        assertThat(platform.calls.get(platform.calls.size() - 1)).isEqualTo("disconnected c1/d1 network component c1 stopped");
    }

    @Test
    void aRefusedDeviceHoldsNothingAndTheBoundIsKept() throws Exception {
        // Verifies that an unknown device's message fails with NOT_FOUND naming it and leaves no connection, that the
        // next message is checked again, and that a device beyond maxDevices is refused with TOO_LARGE.
        // GIVEN a platform that knows d1 and d2, and room for 1 device
        Platform platform = new Platform(Set.of("d1", "d2"));
        CloudDevices devices = new CloudDevices("c1", platform, CLOUD, (c, m) -> CompletableFuture.completedFuture(null), 1);
        // WHEN / THEN
        assertThatThrownBy(() -> devices.deliver("p", "nobody", EncodedMessage.of("", "x")).toCompletableFuture().get(10,
                TimeUnit.SECONDS)).hasCauseInstanceOf(ThingportException.class).hasMessageContaining("device nobody was refused")
                .satisfies(e -> assertThat(((ThingportException) e.getCause()).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(devices.size()).isZero();
        assertThatThrownBy(() -> devices.deliver("p", "nobody", EncodedMessage.of("", "x")).toCompletableFuture().get(10,
                TimeUnit.SECONDS)).hasCauseInstanceOf(ThingportException.class);
        assertThat(platform.calls).filteredOn(s -> s.startsWith("auth p")).isEmpty();
        assertThat(platform.calls).filteredOn(s -> s.startsWith("auth nobody")).hasSize(2);
        devices.deliver("p", "d1", EncodedMessage.of("", "x")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> devices.deliver("p", "d2", EncodedMessage.of("", "x")).toCompletableFuture().get(10,
                TimeUnit.SECONDS)).hasMessageContaining("holds 1 devices, the most allowed");
        devices.outcome("p", "d2", "m1", true, null, null);
        assertThat(platform.calls).noneMatch(s -> s.startsWith("outcome"));
    }
}
