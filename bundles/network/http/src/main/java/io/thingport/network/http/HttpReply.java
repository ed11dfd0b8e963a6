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
import io.thingport.api.network.RequestSessions;
import io.thingport.api.network.ResponseBodies;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.netty.UplinkOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The answer to one request: its status, its JSON body ({@link ResponseBodies}), for a {@code 405} the allowed methods
 * and, when the platform is at its bound, when to try again. The factories are the server's decisions (which status
 * and error code for which outcome); {@link #toResponse} builds the HTTP response. Immutable.
 *
 * @param allow      the {@code Allow} header, or {@code null}
 * @param retryAfter the {@code Retry-After} header (seconds), or {@code null}
 */
record HttpReply(HttpResponseStatus status, String json, String allow, String retryAfter) {
    static final String ALLOWED_METHODS = "GET, POST";
    /** Seconds a device waits before sending again a request the platform did not take because it is at its bound. */
    static final int RETRY_AFTER_SECONDS = 1;

    /** {@code {"code":"...","message":"..."}} with {@code status}. */
    static HttpReply error(HttpResponseStatus status, String code, String message) {
        return new HttpReply(status, ResponseBodies.error(code, message), null, null);
    }

    /**
     * {@code 200} with the downlinks queued for the device and, answering a login, the new session's token:
     * {@code {"token":"...","downlinks":[...]}}.
     *
     * @param token the token of the session the request's login opened, or {@code null}
     */
    static HttpReply downlinks(String token, List<EncodedMessage> downlinks) {
        return new HttpReply(HttpResponseStatus.OK, ResponseBodies.downlinks(token, downlinks), null, null);
    }

    /** {@code 405} for a method other than GET and POST. */
    static HttpReply methodNotAllowed(HttpMethod method) {
        return new HttpReply(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseBodies.error("method_not_allowed", "method "
                + method + " is not supported: POST <path>/<topic> sends a message, GET polls for downlinks"), ALLOWED_METHODS, null);
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
     * A refused login: {@code 401} for bad credentials, {@code 503} with {@code Retry-After} when the platform did not
     * check it because it is at its bound of waiting logins, else {@code 403}, with what the failure tells a device
     * ({@link AuthFailure#deviceCode()}, {@link AuthFailure#deviceMessage()}): one body for an unknown device, a bad
     * signature and a replayed login alike. The detail stays with the operator.
     */
    static HttpReply loginRefused(AuthResult result) {
        AuthFailure failure = result.failure() == null ? AuthFailure.NOT_AUTHORIZED : result.failure();
        if (failure == AuthFailure.SERVER_BUSY) {
            return busy("the platform is busy checking other logins");
        }
        HttpResponseStatus status = failure.badCredentials() ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.FORBIDDEN;
        return error(status, failure.deviceCode(), failure.deviceMessage());
    }

    /**
     * {@code 503}: the login could not be checked ({@code cause} unwrapped); with {@code Retry-After: 1} when the platform
     * is at its bound of login checks ({@code UNAVAILABLE}).
     */
    static HttpReply loginUnchecked(Throwable cause) {
        if (UplinkOutcome.of(cause) == UplinkOutcome.UNAVAILABLE) {
            return busy("the platform is busy and did not check the login");
        }
        return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the login could not be checked: " + cause.getMessage());
    }

    /**
     * The platform did not take the message ({@code cause} unwrapped): {@code 403} when it refused it as a breach of the
     * access rules ({@code FORBIDDEN}); {@code 503} with {@code Retry-After: 1} when it is at its bound
     * ({@code UNAVAILABLE}: nothing was stored, the device sends it again shortly); else {@code 503} (the device sends it
     * again).
     */
    static HttpReply notStored(Throwable cause) {
        return switch (UplinkOutcome.of(cause)) {
            case FORBIDDEN -> error(HttpResponseStatus.FORBIDDEN, "forbidden", cause.getMessage());
            case UNAVAILABLE -> busy("the platform is busy and did not take the message");
            default -> error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the platform could not store the message: "
                    + cause.getMessage());
        };
    }

    /** {@code 503} {@code unavailable} with {@code Retry-After}: the platform is at one of its bounds; send again shortly. */
    private static HttpReply busy(String what) {
        return new HttpReply(HttpResponseStatus.SERVICE_UNAVAILABLE, ResponseBodies.error(ErrorCode.UNAVAILABLE.wireName(), what
                + ": send the request again after " + RETRY_AFTER_SECONDS + " s"), null, Integer.toString(RETRY_AFTER_SECONDS));
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
        if (retryAfter != null) {
            h.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        if (closeAfter) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!version.isKeepAliveDefault()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }
}
