package io.thingport.network.udp;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.dtls.DtlsSettings;
import java.util.HashSet;
import java.util.Set;

/**
 * The UDP component's configuration keys (besides {@link NetworkComponentConfig#COMMON_KEYS}), checked.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address</td></tr>
 *   <tr><td>{@code port}</td><td>required</td><td>UDP port; 0 picks a free one</td></tr>
 *   <tr><td>{@code maxMessageLength}</td><td>1024</td><td>largest datagram (DTLS: decrypted record) in bytes; a
 *       larger one is dropped and logged, the sender's session is unaffected</td></tr>
 *   <tr><td>{@code maxInflight}</td><td>32</td><td>datagrams per address the platform is still storing (or that
 *       wait for the login check); further datagrams from that address are dropped and logged</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>120</td><td>seconds without a datagram after which a session closes (the
 *       device goes offline)</td></tr>
 *   <tr><td>{@code pskIdentity}</td><td>none</td><td>DTLS pre-shared key identity (with {@code pskKey})</td></tr>
 *   <tr><td>{@code pskKey}</td><td>none</td><td>DTLS pre-shared key: text, or hex with prefix {@code 0x}</td></tr>
 *   <tr><td>{@code clientAuth}</td><td>{@code none}</td><td>{@code none}, {@code optional} or {@code require}: DTLS
 *       client certificates, verified against the trusted certificates (needs {@code certificate})</td></tr>
 * </table>
 * DTLS is on (the port accepts only DTLS) when {@code certificate} names a managed certificate and/or a pre-shared
 * key is configured.
 *
 * @param host             bind address ({@code host}, default {@code 0.0.0.0})
 * @param port             UDP port ({@code port}, required; 0 picks a free one)
 * @param maxMessageLength largest datagram accepted, in bytes ({@code maxMessageLength}, default 1024)
 * @param maxInflight      datagrams per address being stored or held for the login before further ones are dropped
 *                         ({@code maxInflight}, default 32)
 * @param idleTimeout      seconds a session lives without a datagram ({@code idleTimeout}, default 120)
 * @param dtls             the DTLS keys {@code pskIdentity}, {@code pskKey} (no defaults) and {@code clientAuth}
 *                         (default {@code none})
 */
record UdpSettings(String host, int port, int maxMessageLength, int maxInflight, int idleTimeout, DtlsSettings dtls) {
    static final String TYPE = "udp";
    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of("host", "port", "maxMessageLength", "maxInflight", "idleTimeout"));
        keys.addAll(DtlsSettings.KEYS);
        KEYS = Set.copyOf(keys);
    }

    static UdpSettings from(NetworkComponentConfig c) {
        c.checkKeys(TYPE, KEYS);
        if (c.string("port", null) == null) {
            throw ThingportException.invalidArgument("network component " + c.id() + ": port is required (a UDP port, 0 picks a free one)");
        }
        DtlsSettings dtls = DtlsSettings.from(c);
        return new UdpSettings(c.string("host", "0.0.0.0"), c.integer("port", 0, 0, 65535),
                c.integer("maxMessageLength", 1024, 1, 65_507), c.integer("maxInflight", 32, 1, 65_535),
                c.integer("idleTimeout", 120, 1, 7 * 24 * 3600), dtls);
    }
}
