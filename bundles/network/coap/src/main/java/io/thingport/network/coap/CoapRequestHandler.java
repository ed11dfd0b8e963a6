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
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
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
 */
final class CoapRequestHandler implements MessageDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(CoapRequestHandler.class);

    private final String componentId;
    private final CoapServerSettings settings;
    private final RequestSessions sessions;
    private final TransportListener listener;

    CoapRequestHandler(String componentId, CoapServerSettings settings, RequestSessions sessions, TransportListener listener) {
        this.componentId = componentId;
        this.settings = settings;
        this.sessions = sessions;
        this.listener = listener;
    }

    @Override
    public void deliverRequest(Exchange exchange) {
        Responder responder = new Responder(exchange);
        try {
            handle(exchange.getRequest(), responder);
        } catch (RuntimeException e) {
            LOG.warn("network component {}: request from {} failed", componentId,
                    exchange.getRequest().getSourceContext().getPeerAddress(), e);
            responder.error(ResponseCode.INTERNAL_SERVER_ERROR, "internal", "the request failed: " + e);
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
        boolean upload = code == Code.POST || code == Code.PUT;
        if (!upload && code != Code.GET) {
            responder.error(ResponseCode.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "use POST or PUT to send a message, GET to fetch downlinks");
            return;
        }
        if (request.getPayloadSize() > settings.maxMessageLength()) {
            // DEBUG: any peer can cause this before logging in (the device log keeps refused logins, aggregated).
            LOG.debug("network component {}: refused a payload of {} bytes from {} (maxMessageLength {})", componentId,
                    request.getPayloadSize(), request.getSourceContext().getPeerAddress(), settings.maxMessageLength());
            Response response = errorResponse(ResponseCode.REQUEST_ENTITY_TOO_LARGE, "too_large", "the payload has "
                    + request.getPayloadSize() + " bytes; at most " + settings.maxMessageLength() + " are accepted");
            response.getOptions().setSize1(settings.maxMessageLength());
            responder.respond(response);
            return;
        }
        List<String> path = request.getOptions().getUriPath();
        if (upload && path.isEmpty()) {
            responder.error(ResponseCode.BAD_REQUEST, "bad_request",
                    "the URI path is the topic: send the message to e.g. /<productId>/<deviceId>/properties/report");
            return;
        }
        String topic = "/" + String.join("/", path);
        InetSocketAddress remote = request.getSourceContext().getPeerAddress();
        List<X509Certificate> certificates = DtlsSupport.peerCertificates(request.getSourceContext());
        CoapRequests.Presented presented = CoapRequests.presented(request.getOptions(), certificates, remote);
        byte[] payload = request.getPayload();
        if (presented instanceof CoapRequests.Token token) {
            Optional<RequestSessions.Lease> lease = sessions.resume(token.token(), remote);
            if (lease.isPresent()) {
                serve(lease.get(), upload, new EncodedMessage(topic, payload, Map.of()), responder);
            } else {
                LOG.debug("network component {}: unknown or expired session token from {}", componentId, remote);
                invalidSession(responder);
            }
            return;
        }
        if (presented instanceof CoapRequests.Missing missing) {
            LOG.debug("network component {}: request from {} without credentials {}", componentId, remote, missing.missing());
            responder.error(ResponseCode.UNAUTHORIZED, "unauthorized", "credentials missing: log in with the options "
                    + CoapOptions.CLIENT_ID_NUMBER + " (client id), " + CoapOptions.USERNAME_NUMBER + " (user name) and "
                    + CoapOptions.PASSWORD_NUMBER + " (password), then send option " + CoapOptions.SESSION_TOKEN_NUMBER
                    + " (session token) with the token the login returned; missing or empty: " + String.join(", ", missing.missing()));
            return;
        }
        AuthRequest auth = ((CoapRequests.Login) presented).request();
        CompletionStage<RequestSessions.Lease> login;
        try {
            login = sessions.login(auth);
        } catch (RuntimeException e) {
            login = CompletableFuture.failedFuture(e);
        }
        login.whenComplete((lease, error) -> {
            try {
                if (error != null) {
                    Throwable cause = unwrap(error);
                    LOG.warn("network component {}: cannot check the login of {}: {}", componentId, auth.clientId(), cause.toString());
                    responder.error(ResponseCode.SERVICE_UNAVAILABLE, "unavailable",
                            "the login cannot be checked now: " + cause.getMessage());
                } else if (lease.connection() == null) {
                    refused(lease.result(), auth, responder);
                } else {
                    serve(lease, upload, new EncodedMessage(topic, payload, Map.of()), responder);
                }
            } catch (RuntimeException e) {
                LOG.warn("network component {}: request of {} failed", componentId, auth.clientId(), e);
                responder.error(ResponseCode.INTERNAL_SERVER_ERROR, "internal", "the request failed: " + e);
            }
        });
    }

    /**
     * Serves a request of an open session: a GET is answered with the queued downlinks, a POST/PUT's message goes to
     * the platform. A session that ended meanwhile (replaced by a newer login) is answered as an unknown token.
     */
    private void serve(RequestSessions.Lease lease, boolean upload, EncodedMessage message, Responder responder) {
        if (!lease.connection().isOpen()) {
            invalidSession(responder);
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
            } else {
                LOG.warn("network component {}: the platform could not store a message of {} on {}: {}", componentId,
                        connection.id(), message.topic(), cause.toString());
                responder.error(ResponseCode.SERVICE_UNAVAILABLE, "unavailable",
                        "the platform could not store the message, send it again: " + cause.getMessage());
            }
        });
    }

    /**
     * A refused login: 4.01 for bad credentials, else 4.03, with what the failure tells a device
     * ({@link AuthFailure#deviceCode()}, {@link AuthFailure#deviceMessage()}): one body for an unknown device, a bad
     * signature and a replayed login alike. The detail is logged here and in the platform's device log only.
     */
    private void refused(AuthResult result, AuthRequest auth, Responder responder) {
        AuthFailure failure = result.failure() == null ? AuthFailure.NOT_AUTHORIZED : result.failure();
        // DEBUG: any peer can cause this before logging in (the device log keeps refused logins, aggregated).
        LOG.debug("network component {}: login of {} from {} refused: {} ({})", componentId, auth.clientId(),
                auth.remoteAddress(), failure, result.detail());
        responder.error(failure.badCredentials() ? ResponseCode.UNAUTHORIZED : ResponseCode.FORBIDDEN, failure.deviceCode(),
                failure.deviceMessage());
    }

    /** 4.01 {@value RequestSessions#INVALID_SESSION}: the token is unknown, or its session has ended. */
    private static void invalidSession(Responder responder) {
        responder.error(ResponseCode.UNAUTHORIZED, RequestSessions.INVALID_SESSION, "the session token is unknown or expired: log in "
                + "again with the options " + CoapOptions.CLIENT_ID_NUMBER + ", " + CoapOptions.USERNAME_NUMBER + " and "
                + CoapOptions.PASSWORD_NUMBER);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Response errorResponse(ResponseCode code, String error, String message) {
        Response response = new Response(code);
        response.setPayload(ResponseBodies.error(error, message));
        response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        return response;
    }

    /** Sends the one response of an exchange, from any thread. */
    private static final class Responder {
        private final Exchange exchange;
        private final AtomicBoolean done = new AtomicBoolean();

        Responder(Exchange exchange) {
            this.exchange = exchange;
        }

        void respond(Response response) {
            if (done.compareAndSet(false, true)) {
                exchange.sendResponse(response);
            }
        }

        void error(ResponseCode code, String error, String message) {
            respond(errorResponse(code, error, message));
        }

        /** The downlinks queued for the session and, answering a login, the new session's token. */
        void downlinks(ResponseCode code, RequestSessions.Lease lease) {
            if (done.get()) {
                return;
            }
            Response response = new Response(code);
            response.setPayload(ResponseBodies.downlinks(lease.token().orElse(null), lease.drain()));
            response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
            respond(response);
        }

        /** Acknowledges a confirmable request whose answer is not ready, so it is sent later as a separate response. */
        void acceptIfPending() {
            if (!done.get()) {
                exchange.sendAccept();
            }
        }
    }
}
