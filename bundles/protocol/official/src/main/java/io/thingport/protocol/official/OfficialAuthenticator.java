package io.thingport.protocol.official;

import io.thingport.api.network.Fingerprints;
import io.thingport.api.protocol.AuthContext;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCredentials;
import io.thingport.api.protocol.ProductCredentials;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The official protocol's credentials (official-protocol.md): {@code deviceId|timestampMs} signed with the device
 * secret, {@code productId|deviceId|timestampMs|register} signed with the product secret for dynamic registration, or
 * a verified TLS/DTLS client certificate whose CN is the device id and that an operator bound to that device.
 * The timestamp must be within ±5 minutes of the platform clock, and a device's accepted timestamps must increase
 * (registrations included), so a captured login cannot be replayed: the platform keeps the last one
 * ({@link AuthContext#recordLogin}), across restarts and protocol updates. The checks run in an order that tells a
 * device nothing before it has proven its secret (or its certificate): every failure up to the signature (the
 * binding) is bad credentials ({@link AuthFailure#badCredentials()}, one generic answer to the device), and only then
 * come the disabled device and the other refusals with codes of their own.
 */
final class OfficialAuthenticator implements Authenticator {
    static final long WINDOW_MS = 5 * 60 * 1000L;
    /** The key a login for an unknown device or product is checked with: no signature matches it by chance. */
    private static final String NO_SECRET = "\u0000 no secret";

    @Override
    public AuthResult authenticate(AuthRequest request, AuthContext context) {
        if (request.frame().length > 0) {
            AuthRequest login = OfficialFrameCodec.credentials(request);
            if (login.username().isEmpty() && login.certificates().isEmpty()) {
                return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, null, "the first frame must be the login "
                        + OfficialFrameCodec.AUTH_TOPIC + " {\"clientId\":..,\"username\":..,\"password\":..}");
            }
            request = login;
        }
        if (!request.certificates().isEmpty() && request.username().isEmpty()) {
            return certificate(request, context);
        }
        String[] parts = request.username().split("\\|", -1);
        if (parts.length == 2) {
            return device(request, parts[0], parts[1], context);
        }
        if (parts.length == 4 && parts[3].equals("register")) {
            return registration(request, parts[0], parts[1], parts[2], context);
        }
        return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, emptyToNull(request.clientId()),
                "user name must be {deviceId}|{timestampMs} or {productId}|{deviceId}|{timestampMs}|register");
    }

    private AuthResult device(AuthRequest request, String deviceId, String timestamp, AuthContext context) {
        if (!deviceId.equals(request.clientId())) {
            return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, deviceId,
                    "client id '" + request.clientId() + "' must equal the device id '" + deviceId + "' of the user name");
        }
        Optional<AuthResult> badTime = checkTimestamp(deviceId, timestamp, context);
        if (badTime.isPresent()) {
            return badTime.get();
        }
        long ts = Long.parseLong(timestamp);
        Optional<DeviceCredentials> device = context.device(deviceId);
        // The signature is checked for an unknown device too, so that its refusal takes as long as a bad signature's.
        boolean signed = Signatures.matches(Signatures.hmacSha256Hex(device.map(DeviceCredentials::secret).orElse(NO_SECRET),
                request.username()), request.password());
        if (device.isEmpty()) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, deviceId, "unknown device " + deviceId);
        }
        if (!signed) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, deviceId, "bad signature");
        }
        if (!device.get().enabled()) {
            return AuthResult.refuse(AuthFailure.DISABLED_DEVICE, deviceId, "device " + deviceId + " is disabled");
        }
        if (!context.recordLogin(deviceId, ts)) {
            return replayed(deviceId, ts);
        }
        return AuthResult.accept(deviceId, device.get().productId());
    }

    /**
     * Mutual TLS: the transport verified the client certificate against the component's trusted CAs; its subject's
     * CN names the device (and the client id, when given, must be the same). That CA may have signed certificates for
     * other devices, or this CN for anyone: the certificate identifies the device only when an operator bound it to
     * that device ({@link AuthContext#certificateBound}), and is refused as bad credentials otherwise, like an unknown
     * device.
     */
    private static AuthResult certificate(AuthRequest request, AuthContext context) {
        X509Certificate leaf = request.certificates().get(0);
        String subject = leaf.getSubjectX500Principal().getName();
        String deviceId = null;
        for (String part : subject.split(",")) {
            String p = part.trim();
            if (p.startsWith("CN=")) {
                deviceId = p.substring(3);
            }
        }
        if (deviceId == null || deviceId.isEmpty()) {
            return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, null, "the client certificate " + subject + " has no CN");
        }
        if (!request.clientId().isEmpty() && !request.clientId().equals(deviceId)) {
            return AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, deviceId, "client id '" + request.clientId()
                    + "' must equal the certificate's CN '" + deviceId + "'");
        }
        Optional<DeviceCredentials> device = context.device(deviceId);
        // The binding is looked up for an unknown device too, so that its refusal takes as long as an unbound one's.
        boolean bound = context.certificateBound(deviceId, leaf);
        if (device.isEmpty()) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_DEVICE, deviceId, "unknown device " + deviceId + " (certificate CN)");
        }
        if (!bound) {
            return AuthResult.refuse(AuthFailure.UNBOUND_CERTIFICATE, deviceId, "certificate " + Fingerprints.sha256Text(leaf)
                    + " (" + subject + ", issued by " + leaf.getIssuerX500Principal().getName() + ") is not bound to device "
                    + deviceId + " (iot:device-cert-bind)");
        }
        if (!device.get().enabled()) {
            return AuthResult.refuse(AuthFailure.DISABLED_DEVICE, deviceId, "device " + deviceId + " is disabled");
        }
        return AuthResult.accept(deviceId, device.get().productId());
    }

    private AuthResult registration(AuthRequest request, String productId, String deviceId, String timestamp,
                                     AuthContext context) {
        Optional<AuthResult> badTime = checkTimestamp(deviceId, timestamp, context);
        if (badTime.isPresent()) {
            return badTime.get();
        }
        Optional<ProductCredentials> product = context.product(productId);
        String data = productId + "|" + deviceId + "|" + timestamp;
        boolean signed = Signatures.matches(Signatures.hmacSha256Hex(product.map(ProductCredentials::secret).orElse(NO_SECRET),
                data), request.password());
        if (product.isEmpty()) {
            return AuthResult.refuse(AuthFailure.UNKNOWN_PRODUCT, deviceId, "unknown product " + productId);
        }
        if (!signed) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, deviceId, "bad registration signature");
        }
        if (!product.get().dynamicRegistration()) {
            return AuthResult.refuse(AuthFailure.REGISTRATION_NOT_ALLOWED, deviceId,
                    "product " + productId + " does not allow dynamic registration");
        }
        Optional<DeviceCredentials> existing = context.device(deviceId);
        if (existing.isPresent() && !existing.get().productId().equals(productId)) {
            return AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, deviceId,
                    "device id " + deviceId + " already exists in another product");
        }
        if (!context.recordLogin(deviceId, Long.parseLong(timestamp))) {
            return replayed(deviceId, Long.parseLong(timestamp));
        }
        return AuthResult.registration(deviceId, productId);
    }

    private static AuthResult replayed(String deviceId, long ts) {
        return AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, deviceId,
                "replayed login: timestamp " + ts + " is not newer than the device's last accepted login");
    }

    private static Optional<AuthResult> checkTimestamp(String deviceId, String timestamp, AuthContext context) {
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Optional.of(AuthResult.refuse(AuthFailure.MALFORMED_CREDENTIALS, deviceId,
                    "timestamp '" + timestamp + "' is not epoch milliseconds"));
        }
        long skew = ts - context.now();
        if (Math.abs(skew) > WINDOW_MS) {
            return Optional.of(AuthResult.refuse(AuthFailure.STALE_TIMESTAMP, deviceId,
                    "timestamp " + ts + " is " + Math.abs(skew) / 1000 + " s " + (skew < 0 ? "behind" : "ahead of")
                            + " the platform clock (allowed: 300 s)"));
        }
        return Optional.empty();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
