package io.thingport.network.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.ResponseBodies;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The answer to one request: its status, its JSON body ({@link ResponseBodies}) and, for a {@code 405}, the allowed
 * methods. The factories are the server's decisions (which status and error code for which outcome); {@link #toResponse}
 * builds the HTTP response. Immutable.
 *
 * @param allow the {@code Allow} header, or {@code null}
 */
record HttpReply(HttpResponseStatus status, String json, String allow) {
    static final String ALLOWED_METHODS = "GET, POST";

    /** {@code {"code":"...","message":"..."}} with {@code status}. */
    static HttpReply error(HttpResponseStatus status, String code, String message) {
        return new HttpReply(status, ResponseBodies.error(code, message), null);
    }

    /**
     * {@code 200} with the downlinks queued for the device and, answering a login, the new session's token:
     * {@code {"token":"...","downlinks":[...]}}.
     *
     * @param token the token of the session the request's login opened, or {@code null}
     */
    static HttpReply downlinks(String token, List<EncodedMessage> downlinks) {
        return new HttpReply(HttpResponseStatus.OK, ResponseBodies.downlinks(token, downlinks), null);
    }

    /** {@code 405} for a method other than GET and POST. */
    static HttpReply methodNotAllowed(HttpMethod method) {
        return new HttpReply(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseBodies.error("method_not_allowed", "method "
                + method + " is not supported: POST <path>/<topic> sends a message, GET polls for downlinks"), ALLOWED_METHODS);
    }

    /** {@code 404} for a path outside the configured {@code prefix}. */
    static HttpReply notFound(String prefix) {
        return error(HttpResponseStatus.NOT_FOUND, "not_found", "the path must start with " + (prefix.isEmpty() ? "/" : prefix + "/"));
    }

    /** {@code 413}: {@code what} (the Content-Length or the body) exceeds {@code maxMessageLength}. */
    static HttpReply tooLarge(String what, int maxMessageLength) {
        return error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", what + " exceeds maxMessageLength "
                + maxMessageLength + " bytes");
    }

    /** {@code 400} for a request the HTTP decoder refused ({@code why} says what is wrong). */
    static HttpReply malformed(String why) {
        return error(HttpResponseStatus.BAD_REQUEST, "malformed", "malformed HTTP request: " + why);
    }

    /** {@code 401}: neither credential headers, nor a session token, nor a client certificate. */
    static HttpReply missingCredentials() {
        return error(HttpResponseStatus.UNAUTHORIZED, "malformed_credentials", "log in with the headers " + HttpRequests.CLIENT_ID
                + ", " + HttpRequests.USERNAME + " and " + HttpRequests.PASSWORD + " (or a client certificate), then send "
                + HttpRequests.SESSION_TOKEN + " with the token the login returned");
    }

    /** {@code 401} {@value RequestSessions#INVALID_SESSION}: the token is unknown, or its session has ended. */
    static HttpReply invalidSession() {
        return error(HttpResponseStatus.UNAUTHORIZED, RequestSessions.INVALID_SESSION, "the session token is unknown or expired: "
                + "log in again with " + HttpRequests.CLIENT_ID + ", " + HttpRequests.USERNAME + " and " + HttpRequests.PASSWORD);
    }

    /**
     * A refused login: {@code 401} for bad credentials, else {@code 403}, with what the failure tells a device
     * ({@link AuthFailure#deviceCode()}, {@link AuthFailure#deviceMessage()}): one body for an unknown device, a bad
     * signature and a replayed login alike. The detail stays with the operator.
     */
    static HttpReply loginRefused(AuthResult result) {
        AuthFailure failure = result.failure() == null ? AuthFailure.NOT_AUTHORIZED : result.failure();
        HttpResponseStatus status = failure.badCredentials() ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.FORBIDDEN;
        return error(status, failure.deviceCode(), failure.deviceMessage());
    }

    /** {@code 503}: the login could not be checked ({@code cause} unwrapped). */
    static HttpReply loginUnchecked(Throwable cause) {
        return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the login could not be checked: " + cause.getMessage());
    }

    /**
     * The platform did not take the message ({@code cause} unwrapped): {@code 403} when it refused it as a breach of the
     * access rules ({@code FORBIDDEN}), else {@code 503} (the device sends it again).
     */
    static HttpReply notStored(Throwable cause) {
        if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
            return error(HttpResponseStatus.FORBIDDEN, "forbidden", te.getMessage());
        }
        return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the platform could not store the message: "
                + cause.getMessage());
    }

    /**
     * The response for a request of {@code version}: JSON with its length, {@code Allow} when set, and
     * {@code Connection: close} when the connection closes after it ({@code keep-alive} for HTTP/1.0 otherwise).
     */
    FullHttpResponse toResponse(HttpVersion version, boolean closeAfter) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (allow != null) {
            h.set(HttpHeaderNames.ALLOW, allow);
        }
        if (closeAfter) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!version.isKeepAliveDefault()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }
}
