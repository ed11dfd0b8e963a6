package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's answers: status, JSON body and headers for each outcome, without a socket. */
class HttpReplyTest {

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void refusedLoginsAre401ForBadCredentialsElse403() {
        // Verifies that a refused login's status follows AuthFailure.badCredentials(), that every bad-credentials failure
        // gets one byte-identical body, and that no detail reaches the device.
        // GIVEN refused logins: an unknown device, a bad signature, a replay, a disabled device, one without a failure
        AuthResult unknown = AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, "ghost", "unknown device ghost");
        AuthResult badSignature = AuthResult.refuse(AuthFailure.BAD_SIGNATURE, "d1", "wrong password");
        AuthResult replayed = AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, "d1", "replayed login: 17 is not newer");
        AuthResult disabled = AuthResult.refuse(AuthFailure.DISABLED_DEVICE, "d1", "device d1 is disabled");
        AuthResult unnamed = new AuthResult(false, "d1", null, false, null, "no");

        // WHEN they are answered
        HttpReply unauthorized = HttpReply.loginRefused(badSignature);
        HttpReply forbidden = HttpReply.loginRefused(disabled);
        HttpReply notAuthorized = HttpReply.loginRefused(unnamed);

        // THEN 401 bad_credentials for the first three alike, 403 disabled_device, 403 not_authorized; no detail
        assertThat(unauthorized.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(unauthorized.json()).isEqualTo("{\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}");
        assertThat(HttpReply.loginRefused(unknown)).isEqualTo(unauthorized);
        assertThat(HttpReply.loginRefused(replayed)).isEqualTo(unauthorized);
        assertThat(forbidden.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(forbidden.json()).isEqualTo("{\"code\":\"disabled_device\",\"message\":\"the device is disabled\"}");
        assertThat(notAuthorized.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(notAuthorized.json()).isEqualTo("{\"code\":\"not_authorized\",\"message\":\"not authorized\"}");
    }

    @Test
    void aLoginTheBusyPlatformDidNotCheckIs503WithRetryAfter() {
        // Verifies that a login refused at the platform's bound of waiting logins tells the device to come back.
        HttpReply reply = HttpReply.loginRefused(AuthResult.refuse(AuthFailure.SERVER_BUSY, null, "1000 logins are waiting"));
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(reply.json()).contains("\"code\":\"unavailable\"").doesNotContain("1000 logins");
        assertThat(reply.retryAfter()).isEqualTo("1");
    }

    @Test
    void anUnknownOrEndedTokenIs401InvalidSession() {
        // Verifies the answer to a token the server does not know: 401, code invalid_session, telling the device to log in.
        HttpReply reply = HttpReply.invalidSession();
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(reply.json()).startsWith("{\"code\":\"invalid_session\",\"message\":\"the session token is unknown or expired: "
                + "log in again");
    }

    @Test
    void aForbiddenMessageIs403AndAnyOtherFailure503() {
        // Verifies that only the platform's FORBIDDEN refusal answers 403; every other failure asks for a resend (503).
        // GIVEN a FORBIDDEN refusal, another Thingport error and a plain exception
        ThingportException forbidden = new ThingportException(ErrorCode.FORBIDDEN, "topic not allowed");
        ThingportException timedOut = new ThingportException(ErrorCode.TIMEOUT, "storage down");

        // WHEN the message is answered as not stored
        HttpReply refused = HttpReply.notStored(forbidden);
        HttpReply retry = HttpReply.notStored(timedOut);
        HttpReply crashed = HttpReply.notStored(new IllegalStateException("boom"));

        // THEN 403 forbidden with the platform's message, else 503 unavailable
        assertThat(refused.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(refused.json()).isEqualTo("{\"code\":\"forbidden\",\"message\":\"topic not allowed\"}");
        assertThat(retry.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(retry.json()).isEqualTo(
                "{\"code\":\"unavailable\",\"message\":\"the platform could not store the message: storage down\"}");
        assertThat(crashed.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(crashed.json()).contains("boom");
    }

    @Test
    void aBusyPlatformIs503WithRetryAfterAndOtherFailuresWithout() {
        // Verifies that UNAVAILABLE (the platform at its bound, for a message or a login) answers 503 unavailable with
        // Retry-After: 1 and a short message, and that other 503s carry no Retry-After.
        // GIVEN the platform at its bound, wrapped as a composed stage would, and another failure
        ThingportException busy = new ThingportException(ErrorCode.UNAVAILABLE, "in-flight uplinks at their bound of 4096");
        ThingportException down = new ThingportException(ErrorCode.TIMEOUT, "storage down");

        // WHEN the message and a login are answered
        HttpReply message = HttpReply.notStored(busy);
        HttpReply login = HttpReply.loginUnchecked(busy);
        FullHttpResponse response = message.toResponse(HttpVersion.HTTP_1_1, false);

        // THEN 503 with Retry-After: 1 and the usual error shape; the others have no Retry-After
        assertThat(message.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(message.retryAfter()).isEqualTo("1");
        assertThat(message.json()).isEqualTo("{\"code\":\"unavailable\",\"message\":\"the platform is busy and did not take the "
                + "message: send the request again after 1 s\"}");
        assertThat(response.headers().get("Retry-After")).isEqualTo("1");
        assertThat(body(response)).isEqualTo(message.json());
        assertThat(login.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(login.retryAfter()).isEqualTo("1");
        assertThat(login.json()).contains("\"code\":\"unavailable\"", "did not check the login");
        assertThat(HttpReply.notStored(down).retryAfter()).isNull();
        assertThat(HttpReply.loginUnchecked(down).retryAfter()).isNull();
        FullHttpResponse other = HttpReply.notStored(down).toResponse(HttpVersion.HTTP_1_1, false);
        assertThat(other.headers().contains("Retry-After")).isFalse();
        other.release();
    }

    @Test
    void eachRefusalHasItsStatusAndCode() {
        // Verifies the status and error code of the refusals the handler makes on its own.
        // GIVEN / WHEN the refusals are built
        // THEN each has its status, code and message
        assertThat(HttpReply.missingCredentials().status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(HttpReply.missingCredentials().json()).contains("\"code\":\"malformed_credentials\"",
                "X-Client-Id, X-Username and X-Password", "X-Session-Token");
        assertThat(HttpReply.tooLarge("Content-Length 70000", 65536).status())
                .isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(HttpReply.tooLarge("the body", 10).json())
                .isEqualTo("{\"code\":\"too_large\",\"message\":\"the body exceeds maxMessageLength 10 bytes\"}");
        assertThat(HttpReply.malformed("bad header").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(HttpReply.malformed("bad header").json()).contains("\"code\":\"malformed\"", "malformed HTTP request: bad header");
        assertThat(HttpReply.loginUnchecked(new IllegalStateException("db down")).status())
                .isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(HttpReply.notFound("").json()).contains("the path must start with /\"");
        assertThat(HttpReply.tooLarge("x", 1).allow()).isNull();
    }

    @Test
    void downlinksAre200WithTheirTopicsAndPayloads() {
        // Verifies that a 200 lists the queued downlinks as JSON, and an empty list when none.
        // GIVEN one downlink
        EncodedMessage downlink = new EncodedMessage("/p1/d1/function/invoke", "{\"m\":1}".getBytes(StandardCharsets.UTF_8),
                Map.of());

        // WHEN replies with and without it are built
        // THEN the bodies list it, or nothing
        assertThat(HttpReply.downlinks(null, List.of(downlink)).status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(HttpReply.downlinks(null, List.of(downlink)).json())
                .isEqualTo("{\"downlinks\":[{\"topic\":\"/p1/d1/function/invoke\",\"payload\":\"{\\\"m\\\":1}\"}]}");
        assertThat(HttpReply.downlinks(null, List.of()).json()).isEqualTo("{\"downlinks\":[]}");
        // answering a login, the session's token comes first
        assertThat(HttpReply.downlinks("tok-1", List.of()).json()).isEqualTo("{\"token\":\"tok-1\",\"downlinks\":[]}");
    }

    @Test
    void theResponseCarriesJsonLengthAllowAndConnection() {
        // Verifies the headers of the built response: JSON with its length, Allow, and the Connection rules.
        // GIVEN a 405 reply
        HttpReply reply = HttpReply.methodNotAllowed(HttpMethod.PUT);

        // WHEN it is built for HTTP/1.1 keep-alive, HTTP/1.1 closing and HTTP/1.0 keep-alive
        FullHttpResponse kept = reply.toResponse(HttpVersion.HTTP_1_1, false);
        FullHttpResponse closed = reply.toResponse(HttpVersion.HTTP_1_1, true);
        FullHttpResponse old = reply.toResponse(HttpVersion.HTTP_1_0, false);

        // THEN each is JSON with its exact length and Allow; Connection is absent, close and keep-alive
        assertThat(kept.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(kept.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(kept.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(kept.headers().getInt("Content-Length")).isEqualTo(reply.json().getBytes(StandardCharsets.UTF_8).length);
        assertThat(kept.headers().get("Allow")).isEqualTo("GET, POST");
        assertThat(kept.headers().contains("Connection")).isFalse();
        assertThat(body(kept)).isEqualTo(reply.json());
        assertThat(closed.headers().get("Connection")).isEqualTo("close");
        assertThat(body(closed)).isEqualTo(reply.json());
        assertThat(old.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(old.headers().get("Connection")).isEqualTo("keep-alive");
        assertThat(body(old)).isEqualTo(reply.json());
    }

    @Test
    void theLengthCountsUtf8Bytes() {
        // Verifies that Content-Length is the UTF-8 byte count of a body with non-ASCII characters.
        // GIVEN a reply whose message has non-ASCII characters
        HttpReply reply = HttpReply.error(HttpResponseStatus.FORBIDDEN, "forbidden", "设备");

        // WHEN it is built
        FullHttpResponse response = reply.toResponse(HttpVersion.HTTP_1_1, false);

        // THEN the length counts bytes, not characters
        assertThat(response.headers().getInt("Content-Length")).isEqualTo(reply.json().length() + 4);
        assertThat(body(response)).isEqualTo(reply.json());
    }
}
