package io.thingport.network.http;

import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.testkit.RecordingListener;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RecordingListener} whose messages on chosen topics complete with a stage of their own. */
final class ScriptedListener implements TransportListener {
    final RecordingListener recording = new RecordingListener();
    /** Topic → the stage its messages complete with (instead of {@link RecordingListener#gate}). */
    final Map<String, CompletableFuture<Void>> holds = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return recording.authenticate(request);
    }

    @Override
    public void connected(TransportConnection connection, AuthResult result) {
        recording.connected(connection, result);
    }

    @Override
    public CompletionStage<Void> received(TransportConnection connection, EncodedMessage message) {
        CompletionStage<Void> stage = recording.received(connection, message);
        CompletableFuture<Void> hold = holds.get(message.topic());
        return hold == null ? stage : hold;
    }

    @Override
    public boolean maySubscribe(TransportConnection connection, String topicFilter) {
        return recording.maySubscribe(connection, topicFilter);
    }

    @Override
    public void disconnected(TransportConnection connection, String reason) {
        recording.disconnected(connection, reason);
    }
}
