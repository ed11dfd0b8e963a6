package io.thingport.network.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The frame handler on its own, transport-agnostic: an embedded channel, frames as bytes, a writer that brackets
 * payloads, and a platform whose stages the test completes by hand (on the test thread, then the channel's tasks run).
 */
class FrameConnectionHandlerTest {
    private final Platform platform = new Platform();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final FrameConnectionHandler handler;

    FrameConnectionHandlerTest() {
        handler = new FrameConnectionHandler(channel, new FrameConnectionSettings("c1", Transport.TCP, 100, 2, 10, 300), platform,
                new FrameWriter() {
                    @Override
                    public Object frame(Channel ch, byte[] payload) {
                        String text = new String(payload, StandardCharsets.UTF_8);
                        if (text.equals("unframeable")) {
                            throw ThingportException.invalidArgument("cannot frame that");
                        }
                        return Unpooled.copiedBuffer("<" + text + ">", StandardCharsets.UTF_8);
                    }

                    @Override
                    public Object goodbye(Channel ch, CloseCause cause, String reason) {
                        return Unpooled.copiedBuffer("bye:" + cause, StandardCharsets.UTF_8);
                    }
                });
        channel.pipeline().addLast(handler);
    }

    static final class Platform implements TransportListener {
        final List<AuthRequest> logins = new CopyOnWriteArrayList<>();
        final CompletableFuture<AuthResult> auth = new CompletableFuture<>();
        final List<TransportConnection> connected = new CopyOnWriteArrayList<>();
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> stages = new CopyOnWriteArrayList<>();
        final List<String> disconnects = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<AuthResult> authenticate(AuthRequest request) {
            logins.add(request);
            return auth;
        }

        @Override
        public void connected(TransportConnection connection, AuthResult result) {
            connected.add(connection);
        }

        @Override
        public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
            received.add(message.payloadAsText());
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages.add(stage);
            return stage;
        }

        @Override
        public boolean maySubscribe(TransportConnection connection, String topicFilter) {
            return false;
        }

        @Override
        public void disconnected(TransportConnection connection, String reason) {
            disconnects.add(reason);
        }
    }

    private void frame(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private List<String> written() {
        List<String> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            if (b.isReadable()) {
                out.add(b.toString(StandardCharsets.UTF_8));
            }
            b.release();
        }
        return out;
    }

    private static AuthResult accepted() {
        return AuthResult.accept("d1", "p1").withReply(EncodedMessage.of("", "ok"));
    }

    @Test
    void framesDuringTheLoginAreHeldInOrderAndReadingStops() {
        frame("login");
        frame("a");
        channel.writeInbound((Object) "b".getBytes(StandardCharsets.UTF_8));
        assertThat(platform.logins).hasSize(1);
        assertThat(platform.logins.get(0).frame()).isEqualTo("login".getBytes(StandardCharsets.UTF_8));
        assertThat(platform.logins.get(0).transport()).isEqualTo(Transport.TCP);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(platform.received).isEmpty();

        platform.auth.complete(accepted());
        channel.runPendingTasks();
        assertThat(written()).containsExactly("<ok>");
        assertThat(platform.connected).containsExactly(handler);
        assertThat(platform.received).containsExactly("a", "b");
    }

    @Test
    void aRefusedLoginWritesTheReplyThenClosesWithoutReportingAConnection() {
        frame("bad");
        frame("ignored");
        platform.auth.complete(AuthResult.refuse(AuthFailure.BAD_SIGNATURE, null, "nope").withReply(EncodedMessage.of("", "no")));
        channel.runPendingTasks();
        assertThat(written()).containsExactly("<no>", "bye:REFUSED");
        assertThat(channel.isOpen()).isFalse();
        assertThat(FrameConnectionHandler.closeReason(channel)).isEqualTo("login refused: nope");
        assertThat(platform.connected).isEmpty();
        assertThat(platform.received).isEmpty();
        assertThat(platform.disconnects).isEmpty();
    }

    @Test
    void maxInflightStopsReadingUntilAStageCompletes() {
        frame("login");
        platform.auth.complete(accepted());
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        for (int i = 1; i <= 5; i++) {
            frame("m" + i);
        }
        assertThat(platform.received).containsExactly("m1", "m2");
        assertThat(channel.config().isAutoRead()).isFalse();
        platform.stages.get(0).complete(null);
        channel.runPendingTasks();
        assertThat(platform.received).containsExactly("m1", "m2", "m3");
        assertThat(channel.config().isAutoRead()).isFalse();
        for (int i = 0; i < 5; i++) {
            platform.stages.forEach(s -> s.complete(null));
            channel.runPendingTasks();
        }
        assertThat(platform.received).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aForbiddenStageClosesAndTheDisconnectIsReportedOnce() {
        frame("login");
        platform.auth.complete(accepted());
        channel.runPendingTasks();
        frame("x");
        platform.stages.get(0).completeExceptionally(new ThingportException(ErrorCode.FORBIDDEN, "not yours"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(written()).containsExactly("<ok>", "bye:FORBIDDEN");
        handler.close("again");
        channel.close();
        channel.runPendingTasks();
        assertThat(platform.disconnects).containsExactly("forbidden: not yours");
    }

    @Test
    void aStorageFailureClosesSoTheDeviceResends() {
        frame("login");
        platform.auth.complete(accepted());
        channel.runPendingTasks();
        frame("x");
        platform.stages.get(0).completeExceptionally(new IllegalStateException("disk full"));
        channel.runPendingTasks();
        assertThat(platform.disconnects).containsExactly("the platform could not store a message: disk full");
    }

    @Test
    void framesThePlatformDidNotTakeAreOfferedAgainAfterAPauseInTheOrderRead() {
        // Verifies UNAVAILABLE answered later (on another thread, in any order): the connection stays, reading stops for
        // the pause (50 ms), the refused frames go again oldest first before the queued one, and nothing closes.
        // GIVEN a logged-in connection (maxInflight 2) with two frames in flight and one queued
        channel.freezeTime();
        frame("login");
        platform.auth.complete(accepted());
        channel.runPendingTasks();
        frame("m1");
        frame("m2");
        frame("m3");

        // WHEN the platform refuses the second, then the first, as being at its bound
        platform.stages.get(1).completeExceptionally(new ThingportException(ErrorCode.UNAVAILABLE, "busy"));
        platform.stages.get(0).completeExceptionally(new ThingportException(ErrorCode.UNAVAILABLE, "busy"));
        channel.runPendingTasks();

        // THEN nothing more goes and nothing is read until the pause is over
        assertThat(platform.received).containsExactly("m1", "m2");
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.advanceTimeBy(49, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(platform.received).containsExactly("m1", "m2");

        // AND WHEN the pause is over, then the platform takes them
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        List<String> offeredAgain = List.copyOf(platform.received);
        platform.stages.get(2).complete(null);
        platform.stages.get(3).complete(null);
        channel.runPendingTasks();
        platform.stages.get(4).complete(null);
        channel.runPendingTasks();

        // THEN the refused ones went again in the order read, then the queued one; reading resumed, nothing closed
        assertThat(offeredAgain).containsExactly("m1", "m2", "m1", "m2");
        assertThat(platform.received).containsExactly("m1", "m2", "m1", "m2", "m3");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.isOpen()).isTrue();
        assertThat(written()).containsExactly("<ok>");
    }

    @Test
    void aPauseEndsWithTheConnection() {
        // Verifies that a frame waiting for the pause is never offered again once the connection closed.
        // GIVEN a frame the platform did not take
        channel.freezeTime();
        frame("login");
        platform.auth.complete(accepted());
        channel.runPendingTasks();
        frame("m1");
        platform.stages.get(0).completeExceptionally(new ThingportException(ErrorCode.UNAVAILABLE, "busy"));
        channel.runPendingTasks();

        // WHEN the platform closes the connection during the pause, and the pause would be over
        handler.close("bye");
        channel.runPendingTasks();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        // THEN the frame was offered once only and the disconnection is the platform's
        assertThat(platform.received).containsExactly("m1");
        assertThat(platform.disconnects).containsExactly("bye");
    }

    @Test
    void sendFramesThePayloadAndFailsClearly() throws Exception {
        assertThatThrownBy(() -> handler.send(EncodedMessage.of("", "early")).toCompletableFuture().get(1, TimeUnit.SECONDS))
                .cause().extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.DEVICE_OFFLINE);
        frame("login");
        platform.auth.complete(accepted());
        channel.runPendingTasks();
        written();
        CompletableFuture<Void> sent = handler.send(EncodedMessage.of("topic ignored", "down")).toCompletableFuture();
        channel.runPendingTasks();
        sent.get(1, TimeUnit.SECONDS);
        assertThat(written()).containsExactly("<down>");
        assertThatThrownBy(() -> handler.send(EncodedMessage.of("", "unframeable")).toCompletableFuture().get(1, TimeUnit.SECONDS))
                .cause().hasMessage("cannot frame that")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(handler.isOpen()).isTrue();
        handler.close("bye now");
        channel.runPendingTasks();
        assertThat(handler.isOpen()).isFalse();
        assertThat(written()).containsExactly("bye:NORMAL");
        assertThat(platform.disconnects).containsExactly("bye now");
    }

    @Test
    void aFailedLoginCheckClosesWithTheError() {
        frame("login");
        platform.auth.completeExceptionally(new IllegalStateException("registry down"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(FrameConnectionHandler.closeReason(channel)).isEqualTo("authentication failed: registry down");
        assertThat(platform.disconnects).isEmpty();
    }

    @Test
    void theHandlerInstallsTheIdleDetectorFirst() {
        assertThat(channel.pipeline().names().get(0)).isEqualTo(FrameConnectionHandler.IDLE_HANDLER);
    }
}
