package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.TestPki;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Request → what the platform should do: routes, logins and message headers, without a socket. */
class HttpRequestsTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

    private static HttpHeaders headers(String... kv) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < kv.length; i += 2) {
            h.add(kv[i], kv[i + 1]);
        }
        return h;
    }

    @Test
    void getAndPostGoToTheTopicUnderThePrefix() {
        // Verifies that GET and POST inside the prefix route to the percent-decoded path minus the prefix.
        // GIVEN the prefix /api
        // WHEN a POST with a query string and an encoded character, a GET of the prefix itself and an absolute URI arrive
        HttpRequests.Route post = HttpRequests.route(HttpMethod.POST, "/api/p1/d%201/report?x=1", "/api");
        HttpRequests.Route get = HttpRequests.route(HttpMethod.GET, "/api", "/api");
        HttpRequests.Route absolute = HttpRequests.route(HttpMethod.POST, "http://host:8080/api/p1/d1", "/api");

        // THEN each is accepted with its topic
        assertThat(post.refused()).isFalse();
        assertThat(post.topic()).isEqualTo("/p1/d 1/report");
        assertThat(get.topic()).isEmpty();
        assertThat(absolute.topic()).isEqualTo("/p1/d1");
    }

    @Test
    void withoutAPrefixTheWholePathIsTheTopic() {
        // Verifies that an empty prefix takes every absolute path whole, and an absolute URI without path as "/".
        // GIVEN no prefix
        // WHEN paths are mapped
        // THEN the topic is the path
        assertThat(HttpRequests.topic("/p1/d1", "")).isEqualTo("/p1/d1");
        assertThat(HttpRequests.topic("http://host", "")).isEqualTo("/");
        assertThat(HttpRequests.topic("*", "")).isNull();
    }

    @Test
    void pathsOutsideThePrefixAre404() {
        // Verifies that a path that only shares the prefix's characters, or lies elsewhere, is refused with 404.
        // GIVEN the prefix /api
        // WHEN paths outside it are routed
        HttpRequests.Route sibling = HttpRequests.route(HttpMethod.POST, "/apix/p1", "/api");
        HttpRequests.Route other = HttpRequests.route(HttpMethod.GET, "/other", "/api");

        // THEN both are refused with 404 naming the prefix
        assertThat(sibling.refused()).isTrue();
        assertThat(sibling.topic()).isNull();
        assertThat(sibling.refusal().status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(sibling.refusal().json()).isEqualTo("{\"code\":\"not_found\",\"message\":\"the path must start with /api/\"}");
        assertThat(other.refusal().status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(HttpRequests.route(HttpMethod.GET, "/x", "").refused()).isFalse();
    }

    @Test
    void otherMethodsAre405BeforeThePathIsLookedAt() {
        // Verifies that methods other than GET and POST are refused with 405 and Allow, even outside the prefix.
        // GIVEN the prefix /api
        // WHEN a PUT inside the prefix and a DELETE outside it are routed
        HttpRequests.Route put = HttpRequests.route(HttpMethod.PUT, "/api/p1", "/api");
        HttpRequests.Route delete = HttpRequests.route(HttpMethod.DELETE, "/elsewhere", "/api");

        // THEN both are 405 with Allow: GET, POST
        assertThat(put.refusal().status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(put.refusal().allow()).isEqualTo("GET, POST");
        assertThat(put.refusal().json()).contains("\"code\":\"method_not_allowed\"", "method PUT is not supported");
        assertThat(delete.refusal().status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void theCredentialHeadersBecomeAnHttpLogin() {
        // Verifies that the three headers become an AuthRequest, the password as the header's bytes and the names as UTF-8.
        // GIVEN credential headers with a non-ASCII user name (Netty keeps one char per byte)
        String latin1 = new String("dév|1".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        HttpHeaders h = headers("X-Client-Id", "d1", "X-Username", latin1, "X-Password", "s3cr3t");

        // WHEN the login is made without a client certificate
        Optional<AuthRequest> login = HttpRequests.login(h, List.of(), REMOTE);

        // THEN it carries the decoded values, the remote address and no certificate
        assertThat(login).hasValueSatisfying(a -> {
            assertThat(a.transport()).isEqualTo(Transport.HTTP);
            assertThat(a.clientId()).isEqualTo("d1");
            assertThat(a.username()).isEqualTo("dév|1");
            assertThat(new String(a.password(), StandardCharsets.UTF_8)).isEqualTo("s3cr3t");
            assertThat(a.remoteAddress()).isEqualTo(REMOTE);
            assertThat(a.certificates()).isEmpty();
        });
    }

    @Test
    void withoutACertificateEveryHeaderIsRequired() {
        // Verifies that a missing header or an empty client id gives no login when no certificate was verified.
        // GIVEN header sets that each lack something
        // WHEN logins are made without a certificate
        // THEN none is made
        assertThat(HttpRequests.login(headers("X-Username", "u", "X-Password", "p"), List.of(), REMOTE)).isEmpty();
        assertThat(HttpRequests.login(headers("X-Client-Id", "", "X-Username", "u", "X-Password", "p"), List.of(), REMOTE))
                .isEmpty();
        assertThat(HttpRequests.login(headers("X-Client-Id", "d1", "X-Password", "p"), List.of(), REMOTE)).isEmpty();
        assertThat(HttpRequests.login(headers("X-Client-Id", "d1", "X-Username", "u"), List.of(), REMOTE)).isEmpty();
        assertThat(HttpRequests.login(headers("X-Client-Id", "d1", "X-Username", "", "X-Password", ""), List.of(), REMOTE))
                .isPresent();
    }

    @Test
    void aVerifiedCertificateStandsInForMissingHeaders() {
        // Verifies that with a verified client certificate missing headers count as empty and the chain is attached.
        // GIVEN a verified certificate chain and no headers
        List<X509Certificate> chain = List.of(TestPki.get().ca());

        // WHEN the login is made
        Optional<AuthRequest> login = HttpRequests.login(headers(), chain, REMOTE);

        // THEN it has empty credentials and the chain
        assertThat(login).hasValueSatisfying(a -> {
            assertThat(a.clientId()).isEmpty();
            assertThat(a.username()).isEmpty();
            assertThat(a.password()).isEmpty();
            assertThat(a.certificates()).isEqualTo(chain);
        });
    }

    @Test
    void credentialsLogInATokenAloneResumesAndACertificateAloneLogsIn() {
        // Verifies how a request identifies its device: any credential header makes a login (even with a token: a
        // request with credentials always logs in again), a token without credentials resumes its session, a verified
        // certificate without either logs in, and nothing usable is Missing.
        // GIVEN header sets and a verified chain
        List<X509Certificate> chain = List.of(TestPki.get().ca());
        HttpHeaders credentials = headers("X-Client-Id", "d1", "X-Username", "d1|1", "X-Password", "p");
        HttpHeaders both = headers("X-Client-Id", "d1", "X-Username", "d1|1", "X-Password", "p", "X-Session-Token", "t");
        HttpHeaders token = headers("X-Session-Token", "tok-1");

        // WHEN / THEN
        assertThat(HttpRequests.presented(credentials, List.of(), REMOTE)).isInstanceOfSatisfying(HttpRequests.Login.class,
                l -> assertThat(l.request().clientId()).isEqualTo("d1"));
        assertThat(HttpRequests.presented(both, List.of(), REMOTE)).isInstanceOf(HttpRequests.Login.class);
        assertThat(HttpRequests.presented(token, List.of(), REMOTE)).isEqualTo(new HttpRequests.Token("tok-1"));
        assertThat(HttpRequests.presented(token, chain, REMOTE)).isEqualTo(new HttpRequests.Token("tok-1"));
        assertThat(HttpRequests.presented(headers(), chain, REMOTE)).isInstanceOfSatisfying(HttpRequests.Login.class,
                l -> assertThat(l.request().certificates()).isEqualTo(chain));
        assertThat(HttpRequests.presented(headers("X-Session-Token", ""), chain, REMOTE)).isInstanceOf(HttpRequests.Login.class);
        assertThat(HttpRequests.presented(headers(), List.of(), REMOTE)).isEqualTo(new HttpRequests.Missing());
        assertThat(HttpRequests.presented(headers("X-Session-Token", ""), List.of(), REMOTE)).isEqualTo(new HttpRequests.Missing());
        assertThat(HttpRequests.presented(headers("X-Client-Id", "d1", "X-Session-Token", "tok-1"), List.of(), REMOTE))
                .isEqualTo(new HttpRequests.Missing());
    }

    @Test
    void theMessageCarriesTheContentTypeOnlyWhenSent() {
        // Verifies that the platform's message headers hold the request's Content-Type, and nothing without one.
        // GIVEN requests with and without Content-Type
        // WHEN their message headers are taken
        // THEN only the content type is passed on, under its lower-case name
        assertThat(HttpRequests.messageHeaders(headers("Content-Type", "application/json", "X-Client-Id", "d1")))
                .isEqualTo(Map.of("content-type", "application/json"));
        assertThat(HttpRequests.messageHeaders(headers("X-Client-Id", "d1"))).isEmpty();
    }

    @Test
    void aMissingOrBadContentLengthIsUnknown() {
        // Verifies that the declared length is read, and that an absent or unparsable one counts as unknown (-1).
        // GIVEN requests with a length, without one and with garbage
        DefaultHttpRequest sized = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        sized.headers().set("Content-Length", "42");
        DefaultHttpRequest none = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        DefaultHttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        bad.headers().set("Content-Length", "lots");

        // WHEN their lengths are read
        // THEN 42, -1 and -1
        assertThat(HttpRequests.contentLength(sized)).isEqualTo(42);
        assertThat(HttpRequests.contentLength(none)).isEqualTo(-1);
        assertThat(HttpRequests.contentLength(bad)).isEqualTo(-1);
    }
}
