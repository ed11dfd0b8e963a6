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
    void curlLogsInThenSendsTheToken() {
        // Verifies the README flow: the login's answer carries the token; a second curl run (new TCP connection) with
        // only X-Session-Token is served by the same session without a login.
        Curl.Result r = curl(credentials("d1", "good"), "-H", "Content-Type: application/json",
                "--data-binary", "{\"temp\":21.5}", url("/p1/d1/properties/report"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.status()).isEqualTo(200);
        String token = HttpServerTest.token(r.body());
        assertThat(r.body()).isEqualTo("{\"token\":\"" + token + "\",\"downlinks\":[]}");
        assertThat(listener.texts()).containsExactly("{\"temp\":21.5}");
        assertThat(listener.received.get(0).message().topic()).isEqualTo("/p1/d1/properties/report");

        Curl.Result again = Curl.run("-H", "X-Session-Token: " + token, "--data-binary", "{\"temp\":22}", url("/p1/d1/properties/report"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"downlinks\":[]}");
        assertThat(listener.logins).hasSize(1);
        assertThat(listener.received.get(1).connection()).isSameAs(listener.received.get(0).connection());
    }

    @Test
    void curlSeesRefusalsAsJson() {
        // Verifies 401/403 login refusals (one generic body for bad credentials, a replayed login included), 401 without
        // headers, 401 for an unknown token, 403 forbidden and 405 through curl.
        String badCredentials = "{\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}";
        Curl.Result bad = curl(credentials("d1", "nope"), "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body()).isEqualTo(badCredentials);
        assertThat(curl(credentials("d2", "signed:1"), "--data-binary", "{}", url("/p1/d2/properties/report")).status()).isEqualTo(200);
        Curl.Result replay = curl(credentials("d2", "signed:1"), "--data-binary", "{}", url("/p1/d2/properties/report"));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body()).isEqualTo(badCredentials);
        Curl.Result disabled = curl(credentials("d1", "disabled"), "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(disabled.body()).isEqualTo("{\"code\":\"disabled_device\",\"message\":\"the device is disabled\"}");
        Curl.Result anonymous = Curl.run("--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"code\":\"malformed_credentials\"");
        Curl.Result unknownToken = Curl.run("-H", "X-Session-Token: nope", "--data-binary", "{}", url("/p1/d1/properties/report"));
        assertThat(unknownToken.status()).isEqualTo(401);
        assertThat(unknownToken.body()).contains("\"code\":\"invalid_session\"");
        Curl.Result forbidden = curl(credentials("d1", "good"), "--data-binary", "{}", url("/forbidden/x"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body()).isEqualTo("{\"code\":\"forbidden\",\"message\":\"not yours\"}");
        Curl.Result put = curl(credentials("d1", "good"), "-X", "PUT", "--data-binary", "{}", url("/p1/d1/x"));
        assertThat(put.status()).isEqualTo(405);
    }

    @Test
    void curlPollsForDownlinks() throws Exception {
        // Verifies GET polling with curl and the token after the platform sent a downlink through the session.
        String token = HttpServerTest.token(curl(credentials("d1", "good"), url("/p1/d1/poll")).body());
        listener.connections.get(0).send(EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"m9\"}"))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        Curl.Result polled = Curl.run("-H", "X-Session-Token: " + token, url("/p1/d1/poll"));
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.body())
                .isEqualTo("{\"downlinks\":[{\"topic\":\"/p1/d1/function/invoke\",\"payload\":\"{\\\"messageId\\\":\\\"m9\\\"}\"}]}");
        assertThat(Curl.run("-H", "X-Session-Token: " + token, url("/p1/d1/poll")).body()).isEqualTo("{\"downlinks\":[]}");
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
