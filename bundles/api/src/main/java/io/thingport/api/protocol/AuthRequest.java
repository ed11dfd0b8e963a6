package io.thingport.api.protocol;

import io.thingport.api.Secrets;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The credentials a connection presented: MQTT CONNECT's client id, user name and password, the same values from
 * HTTP headers or CoAP options, or the first frame of a transport without a login handshake (TCP, UDP, WebSocket),
 * which the protocol's authenticator parses itself.
 *
 * @param frame        the login frame for TCP, UDP and WebSocket ({@code clientId}, {@code username} and
 *                     {@code password} are then empty); empty for other transports
 * @param certificates the client certificate chain the TLS/DTLS handshake verified (leaf first); empty without
 *                     mutual TLS
 * @param brokered     {@code true} when no device credentials exist because an external MQTT broker that the platform
 *                     reads (the MQTT-client component) authenticated the device: {@code clientId} is then the device
 *                     id and {@code username} its product id, taken from the topic. The platform checks such a device
 *                     against the registry (known, enabled, of that product) instead of calling the protocol's
 *                     authenticator.
 */
public record AuthRequest(Transport transport, String clientId, String username, byte[] password,
                          InetSocketAddress remoteAddress, byte[] frame, List<X509Certificate> certificates,
                          boolean brokered) {
    public AuthRequest {
        Objects.requireNonNull(transport, "transport");
        clientId = clientId == null ? "" : clientId;
        username = username == null ? "" : username;
        password = password == null ? new byte[0] : password.clone();
        frame = frame == null ? new byte[0] : frame.clone();
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    /** Credentials from a login handshake (MQTT CONNECT, HTTP headers, CoAP options), without client certificates. */
    public AuthRequest(Transport transport, String clientId, String username, byte[] password, InetSocketAddress remoteAddress) {
        this(transport, clientId, username, password, remoteAddress, null, null, false);
    }

    /** A login frame of a transport without a handshake. */
    public static AuthRequest ofFrame(Transport transport, byte[] frame, InetSocketAddress remoteAddress,
                                      List<X509Certificate> certificates) {
        return new AuthRequest(transport, null, null, null, remoteAddress, frame, certificates, false);
    }

    /** A device that an external broker authenticated (see {@link #brokered()}). */
    public static AuthRequest brokered(Transport transport, String deviceId, String productId, InetSocketAddress broker) {
        return new AuthRequest(transport, deviceId, productId, null, broker, null, null, true);
    }

    /** The same credentials with the client certificate chain verified by the TLS handshake. */
    public AuthRequest withCertificates(List<X509Certificate> verified) {
        return new AuthRequest(transport, clientId, username, password, remoteAddress, frame, verified, brokered);
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    @Override
    public byte[] frame() {
        return frame.clone();
    }

    /**
     * The credentials with the password masked ({@link Secrets#mask}: with some protocols it is the device secret
     * itself) and the login frame, which may carry a password, reduced to its length.
     */
    @Override
    public String toString() {
        return "AuthRequest[transport=" + transport + ", clientId=" + clientId + ", username=" + username + ", password="
                + Secrets.mask(new String(password, StandardCharsets.UTF_8)) + ", remoteAddress=" + remoteAddress + ", frame="
                + frame.length + " bytes, certificates=" + certificates.stream().map(c -> c.getSubjectX500Principal().getName())
                .toList() + ", brokered=" + brokered + "]";
    }
}
