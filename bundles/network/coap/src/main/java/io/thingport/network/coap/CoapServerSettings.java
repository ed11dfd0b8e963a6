package io.thingport.network.coap;

import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.dtls.DtlsSettings;
import java.util.HashSet;
import java.util.Set;

/**
 * The CoAP server's configuration keys (besides {@link NetworkComponentConfig#COMMON_KEYS}), checked.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address</td></tr>
 *   <tr><td>{@code port}</td><td>5683, or 5684 with DTLS</td><td>UDP port; 0 picks a free one</td></tr>
 *   <tr><td>{@code maxMessageLength}</td><td>1024</td><td>largest request payload in bytes (also the largest
 *       block-wise body); a larger one is answered 4.13 Request Entity Too Large with Size1</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>120</td><td>seconds without a request after which a device session
 *       closes (the device goes offline)</td></tr>
 *   <tr><td>{@code sessionLifetime}</td><td>3600</td><td>seconds after its login when a device session closes,
 *       however busy (the device logs in again)</td></tr>
 *   <tr><td>{@code maxQueued}</td><td>32</td><td>downlinks held for a device between its requests; a further
 *       downlink fails with {@code TOO_LARGE}</td></tr>
 *   <tr><td>{@code maxPeers}</td><td>10000</td><td>the most entries each table of per-source protocol state holds:
 *       requests remembered for duplicate detection, block-wise uploads in progress, message-id counters</td></tr>
 *   <tr><td>{@code dedupSeconds}</td><td>30</td><td>how long a request is remembered to recognise its
 *       retransmissions; also how long a source's block-wise upload and message-id counter outlive its last
 *       request</td></tr>
 *   <tr><td>{@code maxPendingLogins}</td><td>1024</td><td>logins whose check the platform has not answered yet; a
 *       further login is answered 5.03 at once</td></tr>
 *   <tr><td>{@code loginTimeout}</td><td>10</td><td>seconds a login waits for the platform's check; then it is
 *       answered 5.03</td></tr>
 *   <tr><td>{@code pskIdentity}</td><td>none</td><td>DTLS pre-shared key identity (with {@code pskKey})</td></tr>
 *   <tr><td>{@code pskKey}</td><td>none</td><td>DTLS pre-shared key: text, or hex with prefix {@code 0x}</td></tr>
 *   <tr><td>{@code clientAuth}</td><td>{@code none}</td><td>{@code none}, {@code optional} or {@code require}: DTLS
 *       client certificates, verified against the trusted certificates (needs {@code certificate})</td></tr>
 * </table>
 * DTLS is on (the port serves only {@code coaps}) when {@code certificate} names a managed certificate and/or a
 * pre-shared key is configured.
 *
 * @param host             bind address ({@code host}, default {@code 0.0.0.0})
 * @param port             UDP port ({@code port}, default 5683, or 5684 when DTLS is on; 0 picks a free one)
 * @param maxMessageLength largest request payload in bytes ({@code maxMessageLength}, default 1024)
 * @param idleTimeout      seconds a device session lives without a request ({@code idleTimeout}, default 120)
 * @param sessionLifetime  seconds a device session lives after its login, however busy; its token is refused from
 *                         then on and the device logs in again ({@code sessionLifetime}, default 3600)
 * @param maxQueued        downlinks queued per device for its next request ({@code maxQueued}, default 32)
 * @param maxPeers         the bound of each per-source table: requests remembered for duplicate detection (and
 *                         {@link BoundedDeduplicator#BYTES_PER_REQUEST} bytes of datagram each on average),
 *                         block-wise uploads, message-id counters ({@code maxPeers}, default 10000)
 * @param dedupSeconds     how long a request is remembered for duplicate detection, and a source's block-wise upload
 *                         and message-id counter after its last request ({@code dedupSeconds}, default 30)
 * @param maxPendingLogins logins being checked by the platform at once ({@code maxPendingLogins}, default 1024)
 * @param loginTimeout     seconds a login waits for the platform's check ({@code loginTimeout}, default 10)
 * @param dtls             the DTLS keys {@code pskIdentity}, {@code pskKey} (no defaults) and {@code clientAuth}
 *                         (default {@code none})
 */
record CoapServerSettings(String host, int port, int maxMessageLength, int idleTimeout, int sessionLifetime, int maxQueued,
                          int maxPeers, int dedupSeconds, int maxPendingLogins, int loginTimeout, DtlsSettings dtls) {
    static final String TYPE = "coap-server";
    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of("host", "port", "maxMessageLength", "idleTimeout", "sessionLifetime",
                "maxQueued", "maxPeers", "dedupSeconds", "maxPendingLogins", "loginTimeout"));
        keys.addAll(DtlsSettings.KEYS);
        KEYS = Set.copyOf(keys);
    }

    static CoapServerSettings from(NetworkComponentConfig c) {
        c.checkKeys(TYPE, KEYS);
        DtlsSettings dtls = DtlsSettings.from(c);
        return new CoapServerSettings(c.string("host", "0.0.0.0"), c.integer("port", dtls.on() ? 5684 : 5683, 0, 65535),
                c.integer("maxMessageLength", 1024, 16, 8 * 1024 * 1024), c.integer("idleTimeout", 120, 1, 7 * 24 * 3600),
                c.integer("sessionLifetime", 3_600, 1, 7 * 24 * 3600), c.integer("maxQueued", 32, 1, 65_535),
                c.integer("maxPeers", 10_000, 16, 1_000_000), c.integer("dedupSeconds", 30, 1, 247),
                c.integer("maxPendingLogins", 1_024, 1, 100_000), c.integer("loginTimeout", 10, 1, 600), dtls);
    }
}
