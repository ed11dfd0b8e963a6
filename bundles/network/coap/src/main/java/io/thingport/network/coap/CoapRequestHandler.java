package io.thingport.network.coap;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.ResponseBodies;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.dtls.DtlsSupport;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.MessageDeliverer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every CoAP request, whatever its path (the server has no resource tree): a login with the credentials of
 * options 2100/2104/2108 (or the DTLS client certificate), whose answer carries a session token, or the token of
 * option 2112 ({@link RequestSessions}); POST/PUT = one uplink on the topic given by the URI path, GET = poll for
 * queued downlinks. Runs on Californium's protocol threads and never waits there: the platform's stages
 * complete the exchange later (the request is acknowledged with an empty ACK first when the answer is not ready).
 * <p>
 * A request that has not authenticated (no open session's token, no accepted login) is refused with a bare response:
 * the code alone (a 4.13 adds Size1), no diagnostic payload, and sent once. A datagram's source can be forged, so such
 * an answer must never be larger than the request (no reflection amplification, RFC 7252 section 11.3); the reason is
 * logged here (DEBUG) and, for a refused login, in the platform's device log. Answers within a session keep their
 * JSON bodies.
 * <p>
 * A login holds state until the platform has checked it, and anyone can send one from a forged source: at most
 * {@code maxPendingLogins} logins wait at once (a further one is refused 5.03 at once) and each waits at most
 * {@code loginTimeout} seconds ({@link #expireLogins()}, on the component's timer, refuses it 5.03); a session the
 * platform opens for a login after that is closed at once, since nobody received its token.
 */
final class CoapRequestHandler implements MessageDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(CoapRequestHandler.class);
    /** Max-Age of a 5.03 for back-pressure: when the device may send the message again (RFC 7252 5.9.3.4). */
    static final long RETRY_AFTER_SECONDS = 1;

    private final String componentId;
    private final CoapServerSettings settings;
    private final RequestSessions sessions;
    private final TransportListener listener;
    private final PendingLogins<Waiting> pendingLogins;

    /** A login waiting for the platform's check: what answers it once checked. */
    private record Waiting(Responder responder, boolean upload, EncodedMessage message) {
    }

    CoapRequestHandler(String componentId, CoapServerSettings settings, RequestSessions sessions, TransportListener listener) {
        this.componentId = componentId;
        this.settings = settings;
        this.sessions = sessions;
        this.listener = listener;
        this.pendingLogins = new PendingLogins<>(settings.maxPendingLogins(), settings.loginTimeout());
    }

    @Override
    public void deliverRequest(Exchange exchange) {
        Responder responder = new Responder(exchange);
        try {
            handle(exchange.getRequest(), responder);
        } catch (RuntimeException e) {
            LOG.warn("network component {}: request from {} failed", componentId,
                    exchange.getRequest().getSourceContext().getPeerAddress(), e);
            responder.refuse(ResponseCode.INTERNAL_SERVER_ERROR);
        }
        responder.acceptIfPending();
    }

    @Override
    public void deliverResponse(Exchange exchange, Response response) {
        // The server sends no requests of its own; a response can only be a stray one.
        LOG.debug("network component {}: ignoring an unexpected response {}", componentId, response);
    }

    private void handle(Request request, Responder responder) {
        Code code = request.getCode();
        InetSocketAddress remote = request.getSourceContext().getPeerAddress();
        boolean upload = code == Code.POST || code == Code.PUT;
        // DEBUG below: any peer can cause these refusals before logging in (the device log keeps refused logins,
        // aggregated per source).
        if (!upload && code != Code.GET) {
            LOG.debug("network component {}: refused {} from {}: use POST or PUT to send a message, GET to fetch downlinks",
                    componentId, code, remote);
            responder.refuse(ResponseCode.METHOD_NOT_ALLOWED);
            return;
        }
        if (request.getPayloadSize() > settings.maxMessageLength()) {
            LOG.debug("network component {}: refused a payload of {} bytes from {} (maxMessageLength {})", componentId,
                    request.getPayloadSize(), remote, settings.maxMessageLength());
            Response response = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            response.getOptions().setSize1(settings.maxMessageLength());
            responder.refuse(response);
            return;
        }
        List<String> path = request.getOptions().getUriPath();
        if (upload && path.isEmpty()) {
            LOG.debug("network component {}: refused {} without a URI path from {}: the path is the topic, e.g. "
                    + "/<productId>/<deviceId>/properties/report", componentId, code, remote);
            responder.refuse(ResponseCode.BAD_REQUEST);
            return;
        }
        String topic = "/" + String.join("/", path);
        List<X509Certificate> certificates = DtlsSupport.peerCertificates(request.getSourceContext());
        CoapRequests.Presented presented = CoapRequests.presented(request.getOptions(), certificates, remote);
        byte[] payload = request.getPayload();
        if (presented instanceof CoapRequests.Token token) {
            Optional<RequestSessions.Lease> lease = sessions.resume(token.token(), remote);
            if (lease.isPresent()) {
                serve(lease.get(), upload, new EncodedMessage(topic, payload, Map.of()), responder);
            } else {
                LOG.debug("network component {}: unknown or expired session token from {}", componentId, remote);
                responder.refuse(ResponseCode.UNAUTHORIZED);
            }
            return;
        }
        if (presented instanceof CoapRequests.Missing missing) {
            LOG.debug("network component {}: request from {} without credentials (log in with the options {}, {} and {}, "
                    + "then send option {} with the session token); missing or empty: {}", componentId, remote,
                    CoapOptions.CLIENT_ID_NUMBER, CoapOptions.USERNAME_NUMBER, CoapOptions.PASSWORD_NUMBER,
                    CoapOptions.SESSION_TOKEN_NUMBER, String.join(", ", missing.missing()));
            responder.refuse(ResponseCode.UNAUTHORIZED);
            return;
        }
        AuthRequest auth = ((CoapRequests.Login) presented).request();
        PendingLogins.Ticket<Waiting> ticket = pendingLogins.begin(new Waiting(responder, upload,
                new EncodedMessage(topic, payload, Map.of())));
        if (ticket == null) {
            LOG.debug("network component {}: refused the login of {} from {}: {} logins wait for the platform's check "
                    + "already (maxPendingLogins)", componentId, auth.clientId(), remote, pendingLogins.max());
            responder.refuse(ResponseCode.SERVICE_UNAVAILABLE);
            return;
        }
        CompletionStage<RequestSessions.Lease> login;
        try {
            login = sessions.login(auth);
        } catch (RuntimeException e) {
            login = CompletableFuture.failedFuture(e);
        }
        // The callback holds the ticket, not the exchange: a check the platform never answers keeps nothing here.
        login.whenComplete((lease, error) -> checked(pendingLogins.finish(ticket), auth, lease, error));
    }

    /** Answers a login once the platform checked it; {@code waiting} is null when it timed out before. */
    private void checked(Waiting waiting, AuthRequest auth, RequestSessions.Lease lease, Throwable error) {
        if (waiting == null) {
            if (error == null && lease.connection() != null) {
                lease.connection().close("its login was answered after loginTimeout (" + settings.loginTimeout()
                        + " s): the device did not get the session token");
            }
            return;
        }
        Responder responder = waiting.responder();
        try {
            if (error != null) {
                Throwable cause = unwrap(error);
                LOG.warn("network component {}: cannot check the login of {}: {}", componentId, auth.clientId(), cause.toString());
                responder.refuse(ResponseCode.SERVICE_UNAVAILABLE);
            } else if (lease.connection() == null) {
                refused(lease.result(), auth, responder);
            } else {
                serve(lease, waiting.upload(), waiting.message(), responder);
            }
        } catch (RuntimeException e) {
            LOG.warn("network component {}: request of {} failed", componentId, auth.clientId(), e);
            responder.refuse(ResponseCode.INTERNAL_SERVER_ERROR);
        }
    }

    /** Refuses (5.03) the logins that waited {@code loginTimeout} for the platform's check. On the component's timer. */
    void expireLogins() {
        try {
            for (Waiting waiting : pendingLogins.expire()) {
                LOG.debug("network component {}: the platform did not check a login within loginTimeout ({} s)",
                        componentId, settings.loginTimeout());
                waiting.responder().refuse(ResponseCode.SERVICE_UNAVAILABLE);
            }
        } catch (RuntimeException e) {
            LOG.warn("network component {}: refusing the logins that timed out failed", componentId, e);
        }
    }

    /** The logins waiting for the platform's check now. */
    int pendingLogins() {
        return pendingLogins.size();
    }

    /**
     * Serves a request of an open session: a GET is answered with the queued downlinks, a POST/PUT's message goes to
     * the platform. A session that ended meanwhile (replaced by a newer login) is answered as an unknown token.
     */
    private void serve(RequestSessions.Lease lease, boolean upload, EncodedMessage message, Responder responder) {
        if (!lease.connection().isOpen()) {
            LOG.debug("network component {}: the session of {} ended before its request was served", componentId,
                    lease.connection().id());
            responder.refuse(ResponseCode.UNAUTHORIZED);
        } else if (!upload) {
            responder.downlinks(ResponseCode.CONTENT, lease);
        } else {
            deliver(lease, message, responder);
        }
    }

    private void deliver(RequestSessions.Lease lease, EncodedMessage message, Responder responder) {
        TransportConnection connection = lease.connection();
        CompletionStage<Void> stored;
        try {
            stored = listener.received(connection, message);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((ignored, error) -> {
            if (error == null) {
                responder.downlinks(ResponseCode.CHANGED, lease);
                return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
                LOG.info("network component {}: forbidden message from {} on {}: {}", componentId, connection.id(),
                        message.topic(), te.getMessage());
                responder.error(ResponseCode.FORBIDDEN, "forbidden", te.getMessage());
            } else if (cause instanceof ThingportException te && te.code() == ErrorCode.UNAVAILABLE) {
                // Back-pressure: the platform is at a bound and took nothing; the device sends again after Max-Age.
                LOG.debug("network component {}: the platform is busy, message of {} on {} refused: {}", componentId,
                        connection.id(), message.topic(), te.getMessage());
                Response busy = new Response(ResponseCode.SERVICE_UNAVAILABLE);
                busy.setPayload(ResponseBodies.error("unavailable", "the platform is busy, send the message again in "
                        + RETRY_AFTER_SECONDS + " s"));
                busy.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON).setMaxAge(RETRY_AFTER_SECONDS);
                responder.respond(busy);
            } else {
                LOG.warn("network component {}: the platform could not store a message of {} on {}: {}", componentId,
                        connection.id(), message.topic(), cause.toString());
                responder.error(ResponseCode.SERVICE_UNAVAILABLE, "unavailable",
                        "the platform could not store the message, send it again: " + cause.getMessage());
            }
        });
    }

    /**
     * A refused login: a bare 4.01 for bad credentials (an unknown device, a bad signature and a replayed login alike),
     * a bare 5.03 when the platform was at its bound of logins waiting to be checked (come back later), else a bare
     * 4.03. The reason is logged here and in the platform's device log only.
     */
    private void refused(AuthResult result, AuthRequest auth, Responder responder) {
        AuthFailure failure = result.failure() == null ? AuthFailure.NOT_AUTHORIZED : result.failure();
        // DEBUG: any peer can cause this before logging in (the device log keeps refused logins, aggregated).
        LOG.debug("network component {}: login of {} from {} refused: {} ({})", componentId, auth.clientId(),
                auth.remoteAddress(), failure, result.detail());
        responder.refuse(failure.badCredentials() ? ResponseCode.UNAUTHORIZED
                : failure == AuthFailure.SERVER_BUSY ? ResponseCode.SERVICE_UNAVAILABLE : ResponseCode.FORBIDDEN);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Sends the one response of an exchange, from any thread. A refusal ({@link #refuse}) is bare and goes piggy-backed
     * on the ACK when it is ready at once; once the request was acknowledged with an empty ACK it goes as a NON
     * response, sent once: a confirmable separate response would be sent up to five times to an address that may be
     * forged. The lock makes that choice and the empty ACK one decision.
     */
    private static final class Responder {
        private final Exchange exchange;
        /** Guarded by this. */
        private boolean accepted;
        /** Guarded by this. */
        private boolean done;

        Responder(Exchange exchange) {
            this.exchange = exchange;
        }

        /** An answer within a session (piggy-backed, or a separate response as confirmable as the request). */
        synchronized void respond(Response response) {
            if (!done) {
                done = true;
                exchange.sendResponse(response);
            }
        }

        /** A refusal to a peer that has not authenticated: the code alone. */
        void refuse(ResponseCode code) {
            refuse(new Response(code));
        }

        /** A refusal to a peer that has not authenticated: a bare response (no payload; options only as CoAP asks). */
        synchronized void refuse(Response bare) {
            if (accepted) {
                bare.setType(Type.NON);
            }
            respond(bare);
        }

        /** An error within a session: the code and a JSON body saying why. */
        void error(ResponseCode code, String error, String message) {
            Response response = new Response(code);
            response.setPayload(ResponseBodies.error(error, message));
            response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
            respond(response);
        }

        /** The downlinks queued for the session and, answering a login, the new session's token. */
        synchronized void downlinks(ResponseCode code, RequestSessions.Lease lease) {
            if (done) {
                return;
            }
            Response response = new Response(code);
            response.setPayload(ResponseBodies.downlinks(lease.token().orElse(null), lease.drain()));
            response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
            respond(response);
        }

        /** Acknowledges a confirmable request whose answer is not ready, so it is sent later as a separate response. */
        synchronized void acceptIfPending() {
            if (!done) {
                accepted = true;
                exchange.sendAccept();
            }
        }
    }
}
