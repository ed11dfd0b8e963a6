package io.thingport.examples.protocol.compact;

import static io.thingport.examples.protocol.compact.TestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CompactAuthenticatorTest {
    private static final long NOW = 1_700_000_000_000L;

    /** Device d1, secret S, timestamp 1700000000000: the example of the README. */
    private static final String LOGIN_D1 = "01 02 6431 0000018bcfe56800"
            + " bd52b4fe1895566f84fdba01a5aefff78ea8554fa7a57ef6867cbd1353052d7c";

    private final CompactAuthenticator authenticator = new CompactAuthenticator();
    private final TestSupport.FakeAuthContext context = new TestSupport.FakeAuthContext(NOW)
            .device("d1", "sensor", "S", true)
            .device("off", "sensor", "S2", false);

    private AuthResult login(byte[] frame) {
        return authenticator.authenticate(AuthRequest.ofFrame(Transport.TCP, frame, null, List.of()), context);
    }

    /** A LOGIN frame built independently of the production code. */
    static byte[] loginFrame(String deviceId, long timestamp, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] hmac = mac.doFinal((deviceId + "|" + timestamp).getBytes(StandardCharsets.UTF_8));
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x01);
        out.write(id.length);
        out.write(id);
        out.write(ByteBuffer.allocate(8).putLong(timestamp).array());
        out.write(hmac);
        return out.toByteArray();
    }

    @Test
    void theDocumentedExampleIsAccepted() throws Exception {
        assertThat(hex(loginFrame("d1", NOW, "S"))).isEqualTo(hex(hex(LOGIN_D1)));
        AuthResult r = login(hex(LOGIN_D1));
        assertThat(r.accepted()).isTrue();
        assertThat(r.deviceId()).isEqualTo("d1");
        assertThat(r.productId()).isEqualTo("sensor");
        assertThat(r.registrationOnly()).isFalse();
    }

    @Test
    void acceptedWithinFiveMinutesEitherWay() throws Exception {
        assertThat(login(loginFrame("d1", NOW - 300_000, "S")).accepted()).isTrue();
        assertThat(login(loginFrame("d1", NOW + 300_000, "S")).accepted()).isTrue();
    }

    @Test
    void badHmac() throws Exception {
        AuthResult r = login(loginFrame("d1", NOW, "wrong"));
        assertThat(r.accepted()).isFalse();
        assertThat(r.failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
        assertThat(r.deviceId()).isEqualTo("d1");

        byte[] flipped = loginFrame("d1", NOW, "S");
        flipped[flipped.length - 1] ^= 1;
        assertThat(login(flipped).failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
    }

    @Test
    void staleTimestamp() throws Exception {
        AuthResult old = login(loginFrame("d1", NOW - 300_001, "S"));
        assertThat(old.failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
        assertThat(old.detail()).contains("300 s behind");
        AuthResult ahead = login(loginFrame("d1", NOW + 600_000, "S"));
        assertThat(ahead.failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
        assertThat(ahead.detail()).contains("600 s ahead of");
        assertThat(login(loginFrame("d1", -1, "S")).failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
    }

    @Test
    void replayedLoginIsStale() throws Exception {
        byte[] frame = loginFrame("d1", NOW - 1000, "S");
        assertThat(login(frame).accepted()).isTrue();
        AuthResult replay = login(frame);
        assertThat(replay.failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
        assertThat(replay.detail()).startsWith("replayed login");
        assertThat(login(loginFrame("d1", NOW - 2000, "S")).failure()).isEqualTo(AuthFailure.STALE_TIMESTAMP);
        assertThat(login(loginFrame("d1", NOW - 999, "S")).accepted()).isTrue();
    }

    @Test
    void unknownDevice() throws Exception {
        AuthResult r = login(loginFrame("nobody", NOW, "S"));
        assertThat(r.failure()).isEqualTo(AuthFailure.UNKNOWN_DEVICE);
        assertThat(r.deviceId()).isEqualTo("nobody");
    }

    @Test
    void disabledDevice() throws Exception {
        AuthResult r = login(loginFrame("off", NOW, "S2"));
        assertThat(r.failure()).isEqualTo(AuthFailure.DISABLED_DEVICE);
        assertThat(r.failure().badCredentials()).isFalse();
        // without the secret a device does not learn that it is disabled
        assertThat(login(loginFrame("off", NOW, "guess")).failure()).isEqualTo(AuthFailure.BAD_SIGNATURE);
    }

    @Test
    void malformedLogins() {
        String good = LOGIN_D1.replace(" ", "");
        for (String frame : List.of(
                "",                                   // empty
                "02" + good.substring(2),             // not a LOGIN
                good.substring(0, good.length() - 2), // HMAC one byte short
                good + "00",                          // trailing byte
                "01 00 0000018bcfe56800",             // empty device id
                "01 05 6431")) {                      // device id truncated
            AuthResult r = login(hex(frame));
            assertThat(r.accepted()).as(frame).isFalse();
            assertThat(r.failure()).as(frame).isEqualTo(AuthFailure.MALFORMED_CREDENTIALS);
            assertThat(r.detail()).as(frame).startsWith("LOGIN frame: byte offset ");
        }
        assertThat(login(hex(good.substring(0, good.length() - 2))).deviceId()).isEqualTo("d1");
        assertThat(login(hex("01 00")).deviceId()).isNull();
        assertThat(login(hex("02")).detail()).isEqualTo(
                "LOGIN frame: byte offset 0: expected the LOGIN frame type 0x01 as the first frame, found 0x02");
    }
}
