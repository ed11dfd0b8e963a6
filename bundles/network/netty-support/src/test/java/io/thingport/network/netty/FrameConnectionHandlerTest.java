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
