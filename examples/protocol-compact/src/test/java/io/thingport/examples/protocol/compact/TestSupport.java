package io.thingport.examples.protocol.compact;

import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProductCredentials;
import io.thingport.api.protocol.Transport;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** Fakes of what the platform lends a codec and an authenticator, and hex helpers. */
final class TestSupport {
    private TestSupport() {
    }

    /** Hex with any spaces, e.g. {@code "02 00000001"}. */
    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static EncodedMessage frame(String spacedHex) {
        return new EncodedMessage("", hex(spacedHex), Map.of());
    }

    record Session(String deviceId, String productId) implements CodecSession {
        @Override
        public Transport transport() {
            return Transport.TCP;
        }

        @Override
        public boolean registrationOnly() {
            return false;
        }
    }

    static final class FakeAuthContext implements AuthContext {
        final Map<String, DeviceCredentials> devices = new HashMap<>();
        long now;

        FakeAuthContext(long now) {
            this.now = now;
        }

        FakeAuthContext device(String id, String product, String secret, boolean enabled) {
            devices.put(id, new DeviceCredentials(id, product, secret, enabled));
            return this;
        }

        @Override
        public Optional<DeviceCredentials> device(String deviceId) {
            return Optional.ofNullable(devices.get(deviceId));
        }

        @Override
        public Optional<ProductCredentials> product(String productId) {
            return Optional.empty();
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public boolean certificateBound(String deviceId, X509Certificate certificate) {
            return false; // this protocol does not identify devices by certificate
        }

        final Map<String, Long> logins = new HashMap<>();

        @Override
        public synchronized boolean recordLogin(String deviceId, long timestampMs) {
            Long previous = logins.get(deviceId);
            if (previous != null && timestampMs <= previous) {
                return false;
            }
            logins.put(deviceId, timestampMs);
            return true;
        }
    }
}
