package io.thingport.network.coap;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The CoAP server's device sessions: {@link RequestSessions} (login on the first request, reuse with identical
 * credentials and client certificate chain, idle close, queued downlinks), plus one guard: a lease whose session
 * was closed meanwhile (replaced by a concurrent login of the same client, closed idle or by the component) is not
 * used for the request; the request logs in again, at most {@value #MAX_ATTEMPTS} times.
 */
final class CoapSessions implements AutoCloseable {
    private static final int MAX_ATTEMPTS = 3;

    private final String componentId;
    private final RequestSessions sessions;
    private volatile boolean closed;

    CoapSessions(String componentId, TransportListener platform, long idleMillis, int maxQueued) {
        this.componentId = componentId;
        this.sessions = new RequestSessions(componentId, Transport.COAP, platform, idleMillis, maxQueued);
    }

    /**
     * Opens or reuses the session for a request's credentials. Completes with the lease (without connection when the
     * login was refused), or exceptionally when the platform could not check the login or the component stopped.
     */
    CompletionStage<RequestSessions.Lease> begin(AuthRequest request) {
        return begin(request, 1);
    }

    private CompletionStage<RequestSessions.Lease> begin(AuthRequest request, int attempt) {
        if (closed) {
            return CompletableFuture.failedFuture(stopped());
        }
        CompletionStage<RequestSessions.Lease> started;
        try {
            started = sessions.begin(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return started.thenCompose(lease -> {
            TransportConnection connection = lease.connection();
            if (connection == null || connection.isOpen()) {
                return CompletableFuture.completedFuture(lease);
            }
            if (closed) {
                return CompletableFuture.failedFuture(stopped());
            }
            if (attempt >= MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(new ThingportException(ErrorCode.CONFLICT, "the session of "
                        + request.clientId() + " keeps being replaced by concurrent logins"));
            }
            return begin(request, attempt + 1);
        });
    }

    /** Open sessions. */
    int size() {
        return sessions.size();
    }

    /** Closes every session (each reported as disconnected). */
    @Override
    public void close() {
        closed = true;
        sessions.close();
    }

    private ThingportException stopped() {
        return new ThingportException(ErrorCode.INTERNAL, "network component " + componentId + " stopped");
    }
}
