package io.thingport.network.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.testkit.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server against the curl command, as a device script would use it. */
class HttpCurlTest {
    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;
    @TempDir
    Path tmp;

    @BeforeEach
    void start() {
        server = new HttpServerProvider().start(new NetworkComponentConfig("curl", "http-server",
                Map.of("host", "127.0.0.1", "port", "0", "maxMessageLength", "4096")), listener);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.boundAddress().getPort() + path;
    }

    private static List<String> credentials(String clientId, String password) {
        return List.of("-H", "X-Client-Id: " + clientId, "-H", "X-Username: " + clientId + "|1", "-H", "X-Password: " + password);
    }

    private static Curl.Result curl(List<String> first, String... rest) {
        List<String> args = new ArrayList<>(first);
        args.addAll(List.of(rest));
        return Curl.run(args.toArray(new String[0]));
    }

    @Test
    void curlPostsAReportAndReusesTheSession() {
        // Verifies the README example: 200 with the downlink list; a second curl run (new TCP connection) needs no login.
        Curl.Result r = curl(credentials("d1", "good"), "-H", "Content-Type: application/json",
                "--data-binary", "{\"temp\":21.5}", url("/p1/d1/properties/report"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"downlinks\":[]}");
        assertThat(listener.texts()).containsExactly("{\"temp\":21.5}");
        assertThat(listener.received.get(0).message().topic()).isEqualTo("/p1/d1/properties/report");

        Curl.Result again = curl(credentials("d1", "good"), "--data-binary", "{\"temp\":22}", url("/p1/d1/properties/report"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.received.get(1).connection()).isSameAs(listener.received.get(0).connection());
    }

    @Test
    void curlSeesRefusalsAsJson() {
        // Verifies 401/403 login refusals, 401 without headers, 403 forbidden and 405 through curl.
        Curl.Result bad = curl(credentials("d1", "nope"), "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body()).isEqualTo("{\"code\":\"bad_signature\",\"message\":\"bad signature\"}");
        Curl.Result disabled = curl(credentials("d1", "disabled"), "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(disabled.body()).isEqualTo("{\"code\":\"disabled_device\",\"message\":\"disabled\"}");
        Curl.Result anonymous = Curl.run("--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"code\":\"malformed_credentials\"");
        Curl.Result forbidden = curl(credentials("d1", "good"), "--data-binary", "{}", url("/forbidden/x"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body()).isEqualTo("{\"code\":\"forbidden\",\"message\":\"not yours\"}");
        Curl.Result put = curl(credentials("d1", "good"), "-X", "PUT", "--data-binary", "{}", url("/p1/d1/x"));
        assertThat(put.status()).isEqualTo(405);
    }

    @Test
    void curlPollsForDownlinks() throws Exception {
        // Verifies GET polling with curl after the platform sent a downlink through the session.
        assertThat(curl(credentials("d1", "good"), url("/p1/d1/poll")).body()).isEqualTo("{\"downlinks\":[]}");
        listener.connections.get(0).send(EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"m9\"}"))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        Curl.Result polled = curl(credentials("d1", "good"), url("/p1/d1/poll"));
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.body())
                .isEqualTo("{\"downlinks\":[{\"topic\":\"/p1/d1/function/invoke\",\"payload\":\"{\\\"messageId\\\":\\\"m9\\\"}\"}]}");
        assertThat(curl(credentials("d1", "good"), url("/p1/d1/poll")).body()).isEqualTo("{\"downlinks\":[]}");
    }

    @Test
    void curlOversizedBodiesGet413() throws Exception {
        // Verifies 413 for a large body (curl asks Expect: 100-continue), a chunked body and a small over-limit body.
        Path big = tmp.resolve("big.bin");
        Files.write(big, new byte[2 * 1024 * 1024]);
        Curl.Result expect = curl(credentials("d1", "good"), "--data-binary", "@" + big, url("/p1/d1/properties/report"));
        assertThat(expect.status()).as(expect.stderr()).isEqualTo(413);
        assertThat(expect.body())
                .isEqualTo("{\"code\":\"too_large\",\"message\":\"Content-Length 2097152 exceeds maxMessageLength 4096 bytes\"}");

        Path medium = tmp.resolve("medium.bin");
        Files.write(medium, new byte[300_000]);
        Curl.Result chunked = curl(credentials("d1", "good"), "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + medium,
                url("/p1/d1/properties/report"));
        assertThat(chunked.status()).as(chunked.stderr()).isEqualTo(413);
        assertThat(chunked.body()).contains("the body exceeds maxMessageLength 4096 bytes");

        Path small = tmp.resolve("small.bin");
        Files.write(small, new byte[5000]);
        Curl.Result plain = curl(credentials("d1", "good"), "--data-binary", "@" + small, url("/p1/d1/properties/report"));
        assertThat(plain.status()).as(plain.stderr()).isEqualTo(413);

        assertThat(listener.received).isEmpty();
        Curl.Result ok = curl(credentials("d1", "good"), "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(ok.status()).isEqualTo(200);
    }
}
