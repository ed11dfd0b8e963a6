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
import io.thingport.api.protocol.Transport;
import io.thingport.network.dtls.DtlsSupport;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Option;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.option.StringOptionDefinition;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.MessageDeliverer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every CoAP request, whatever its path (the server has no resource tree): credentials from options
 * 2100/2104/2108 (or the DTLS client certificate), POST/PUT = one uplink on the topic given by the URI path, GET =
 * poll for queued downlinks. Runs on Californium's protocol threads and never waits there: the platform's stages
 * complete the exchange later (the request is acknowledged with an empty ACK first when the answer is not ready).
 */
final class CoapRequestHandler implements MessageDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(CoapRequestHandler.class);

    private final String componentId;
    private final CoapServerSettings settings;
    private final CoapSessions sessions;
    private final TransportListener listener;

    CoapRequestHandler(String componentId, CoapServerSettings settings, CoapSessions sessions, TransportListener listener) {
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
            LOG.info("network component {}: refused a payload of {} bytes from {} (maxMessageLength {})", componentId,
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
        AuthRequest auth = credentials(request, responder);
        if (auth == null) {
            return;
        }
        byte[] payload = request.getPayload();
        sessions.begin(auth).whenComplete((lease, error) -> {
            try {
                if (error != null) {
                    Throwable cause = unwrap(error);
                    LOG.warn("network component {}: cannot check the login of {}: {}", componentId, auth.clientId(), cause.toString());
                    responder.error(ResponseCode.SERVICE_UNAVAILABLE, "unavailable",
                            "the login cannot be checked now: " + cause.getMessage());
                } else if (lease.connection() == null) {
                    refused(lease.result(), auth, responder);
                } else if (!upload) {
                    responder.downlinks(ResponseCode.CONTENT, lease);
                } else {
                    deliver(lease, new EncodedMessage(topic, payload, Map.of()), responder);
                }
            } catch (RuntimeException e) {
                LOG.warn("network component {}: request of {} failed", componentId, auth.clientId(), e);
                responder.error(ResponseCode.INTERNAL_SERVER_ERROR, "internal", "the request failed: " + e);
            }
        });
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

    private void refused(AuthResult result, AuthRequest auth, Responder responder) {
        AuthFailure failure = result.failure();
        String detail = result.detail() == null || result.detail().isBlank() ? String.valueOf(failure) : result.detail();
        LOG.info("network component {}: login of {} from {} refused: {} ({})", componentId, auth.clientId(),
                auth.remoteAddress(), failure, detail);
        if (failure != null && failure.badCredentials()) {
            responder.error(ResponseCode.UNAUTHORIZED, "unauthorized", "login refused: " + detail);
        } else {
            responder.error(ResponseCode.FORBIDDEN, "forbidden", "login refused: " + detail);
        }
    }

    /** The request's credentials, or {@code null} after answering 4.01 when they are missing. */
    private AuthRequest credentials(Request request, Responder responder) {
        InetSocketAddress remote = request.getSourceContext().getPeerAddress();
        List<X509Certificate> certificates = DtlsSupport.peerCertificates(request.getSourceContext());
        Option clientId = first(request, CoapOptions.CLIENT_ID);
        Option username = first(request, CoapOptions.USERNAME);
        Option password = first(request, CoapOptions.PASSWORD);
        if (certificates.isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (clientId == null) {
                missing.add(CoapOptions.CLIENT_ID_NUMBER + " (client id)");
            }
            if (username == null) {
                missing.add(CoapOptions.USERNAME_NUMBER + " (user name)");
            }
            if (password == null) {
                missing.add(CoapOptions.PASSWORD_NUMBER + " (password)");
            }
            if (!missing.isEmpty()) {
                LOG.debug("network component {}: request from {} without credentials {}", componentId, remote, missing);
                responder.error(ResponseCode.UNAUTHORIZED, "unauthorized", "credentials missing: every request carries the options "
                        + CoapOptions.CLIENT_ID_NUMBER + " (client id), " + CoapOptions.USERNAME_NUMBER + " (user name) and "
                        + CoapOptions.PASSWORD_NUMBER + " (password); missing or empty: " + String.join(", ", missing));
                return null;
            }
        }
        AuthRequest auth = new AuthRequest(Transport.COAP, clientId == null ? "" : clientId.getStringValue(),
                username == null ? "" : username.getStringValue(),
                password == null ? new byte[0] : password.getValue(), remote);
        return certificates.isEmpty() ? auth : auth.withCertificates(certificates);
    }

    /** The first non-empty value of a credential option, or {@code null}. */
    private static Option first(Request request, StringOptionDefinition definition) {
        for (Option option : request.getOptions().getOthers(definition)) {
            if (option.getLength() > 0) {
                return option;
            }
        }
        return null;
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

        void downlinks(ResponseCode code, RequestSessions.Lease lease) {
            if (done.get()) {
                return;
            }
            Response response = new Response(code);
            response.setPayload(ResponseBodies.downlinks(lease.drain()));
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
