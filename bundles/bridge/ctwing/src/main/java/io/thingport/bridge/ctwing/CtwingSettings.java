package io.thingport.bridge.ctwing;

import io.thingport.api.Identifiers;
import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code ctwing} component's configuration keys, checked. Besides these, the component accepts the
 * {@link NetworkComponentConfig#COMMON_KEYS}, except that a {@code certificate} is refused: the push server speaks plain
 * HTTP (TLS is for a proxy in front of it). An unknown key is refused; every error names the key, never the value of
 * a secret key ({@code pushToken}, {@code appSecret}, {@code masterKey}).
 *
 * <table>
 *   <caption>Keys of the {@code ctwing} type</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address of the push server</td></tr>
 *   <tr><td>{@code port}</td><td>required</td><td>TCP port of the push server; {@code 0} picks a free one</td></tr>
 *   <tr><td>{@code product}</td><td>required</td><td>the Thingport product id the CTWing devices belong to</td></tr>
 *   <tr><td>{@code pushToken}</td><td>required</td><td>secret: the last path segment of the push URL
 *       {@code /ctwing/<pushToken>}; 43 URL-safe Base64 characters (32 random bytes)</td></tr>
 *   <tr><td>{@code payload}</td><td>{@code transparent}</td><td>{@code transparent}: data reports carry the device's
 *       bytes ({@code APPdata}) for a custom protocol's codec; {@code thing-model}: data reports and events become
 *       official-protocol frames</td></tr>
 *   <tr><td>{@code autoRegister}</td><td>{@code false}</td><td>create a device of {@code product} the first time CTWing
 *       reports one the platform does not know</td></tr>
 *   <tr><td>{@code maxBody}</td><td>1048576</td><td>largest push body in bytes (at most 1 MiB); larger → 413</td></tr>
 *   <tr><td>{@code maxDevices}</td><td>100000</td><td>devices online through this component at once</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>cores</td><td>Netty event-loop threads of the push server</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>120</td><td>seconds before an idle push connection closes</td></tr>
 *   <tr><td>{@code appKey}</td><td>required</td><td>the CTWing application's key</td></tr>
 *   <tr><td>{@code appSecret}</td><td>required</td><td>secret: the CTWing application's secret (API signatures)</td></tr>
 *   <tr><td>{@code masterKey}</td><td>required</td><td>secret: the CTWing product's MasterKey (command APIs)</td></tr>
 *   <tr><td>{@code productId}</td><td>required</td><td>the CTWing product id (a number); pushes of other CTWing products
 *       are ignored</td></tr>
 *   <tr><td>{@code apiBaseUrl}</td><td>{@code https://ag-api.ctwing.cn}</td><td>the CTWing API gateway</td></tr>
 *   <tr><td>{@code operator}</td><td>{@code thingport}</td><td>the {@code operator} sent with commands</td></tr>
 *   <tr><td>{@code commandTtlSeconds}</td><td>7200</td><td>how long CTWing keeps a command for a sleeping device</td></tr>
 *   <tr><td>{@code payloadDataType}</td><td>{@code hex}</td><td>transparent mode: commands are sent as hex of the
 *       encoded bytes ({@code hex}) or as their UTF-8 text ({@code string}); thing-model mode always sends text</td></tr>
 * </table>
 *
 * @param host         bind address
 * @param port         TCP port (0 picks a free one)
 * @param product      the Thingport product of the devices
 * @param pushToken    the secret path segment of the push URL
 * @param payload      how data reports are handed to the platform
 * @param autoRegister whether unknown devices are created
 * @param maxBody      largest push body in bytes
 * @param maxDevices   devices online at once
 * @param ioThreads    Netty event-loop threads
 * @param idleTimeout  seconds before an idle push connection closes
 * @param bridge       the CTWing API settings ({@link CtwingBridgeConfig#parse})
 */
public record CtwingSettings(String host, int port, String product, String pushToken, PayloadMode payload, boolean autoRegister,
                             int maxBody, int maxDevices, int ioThreads, int idleTimeout, CtwingBridgeConfig bridge) {

    /** How the component hands data reports to the platform. */
    public enum PayloadMode {
        /** The device's bytes ({@code payload.APPdata}) with an empty topic, for a custom protocol's codec. */
        TRANSPARENT("transparent"),
        /** Official-protocol frames ({@code /{product}/{device}/properties/report}, {@code .../event/{id}}). */
        THING_MODEL("thing-model");

        private final String key;

        PayloadMode(String key) {
            this.key = key;
        }

        /** The value of the {@code payload} key. */
        public String key() {
            return key;
        }
    }

    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String PRODUCT = "product";
    public static final String PUSH_TOKEN = "pushToken";
    public static final String PAYLOAD = "payload";
    public static final String AUTO_REGISTER = "autoRegister";
    public static final String MAX_BODY = "maxBody";
    public static final String MAX_DEVICES = "maxDevices";
    public static final String IO_THREADS = "ioThreads";
    public static final String IDLE_TIMEOUT = "idleTimeout";

    /** The keys read by {@link CtwingBridgeConfig#parse}. */
    static final Set<String> BRIDGE_KEYS = Set.of(CtwingBridgeConfig.APP_KEY, CtwingBridgeConfig.APP_SECRET, CtwingBridgeConfig.MASTER_KEY,
            CtwingBridgeConfig.PRODUCT_ID, CtwingBridgeConfig.API_BASE_URL, CtwingBridgeConfig.OPERATOR,
            CtwingBridgeConfig.COMMAND_TTL_SECONDS, CtwingBridgeConfig.PAYLOAD_DATA_TYPE);

    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    public static final Set<String> KEYS = Stream.concat(
            Stream.of(HOST, PORT, PRODUCT, PUSH_TOKEN, PAYLOAD, AUTO_REGISTER, MAX_BODY, MAX_DEVICES, IO_THREADS, IDLE_TIMEOUT),
            BRIDGE_KEYS.stream()).collect(Collectors.toUnmodifiableSet());

    public static final int DEFAULT_MAX_DEVICES = 100_000;
    public static final int DEFAULT_IDLE_TIMEOUT = 120;
    private static final int MIN_BODY = 1024;

    /** The checked settings of {@code c}; {@code INVALID_ARGUMENT} naming the key otherwise. */
    public static CtwingSettings from(NetworkComponentConfig c) {
        c.checkKeys(CtwingProvider.TYPE, KEYS);
        String port = c.properties().get(PORT);
        if (port == null || port.isBlank()) {
            throw invalid(c, PORT + " is required (a ctwing component has no default port; 0 picks a free one)");
        }
        if (c.tls()) {
            throw invalid(c, "certificate: the CTWing push server speaks plain HTTP; put a TLS-terminating proxy in front of it");
        }
        String product = c.string(PRODUCT, "");
        if (product.isEmpty()) {
            throw invalid(c, PRODUCT + " is required: the Thingport product the CTWing devices belong to");
        }
        try {
            Identifiers.requireObjectId(PRODUCT, product);
        } catch (ThingportException e) {
            throw invalid(c, e.getMessage());
        }
        String token = c.string(PUSH_TOKEN, "");
        if (token.isEmpty()) {
            throw invalid(c, PUSH_TOKEN + " is required: the secret last segment of the push URL /ctwing/<pushToken>");
        }
        if (!PushToken.wellFormed(token)) {
            throw invalid(c, PUSH_TOKEN + " must be 43 URL-safe Base64 characters (32 random bytes without padding), e.g. from "
                    + "openssl rand -base64 32 | tr '+/' '-_' | tr -d '='");
        }
        String mode = c.choice(PAYLOAD, PayloadMode.TRANSPARENT.key(),
                Set.of(PayloadMode.TRANSPARENT.key(), PayloadMode.THING_MODEL.key()));
        CtwingBridgeConfig bridge;
        try {
            Map<String, String> bridgeKeys = new HashMap<>();
            c.properties().forEach((k, v) -> {
                if (BRIDGE_KEYS.contains(k)) {
                    bridgeKeys.put(k, v);
                }
            });
            bridge = CtwingBridgeConfig.parse(bridgeKeys);
        } catch (ThingportException e) {
            throw invalid(c, e.getMessage());
        }
        return new CtwingSettings(c.string(HOST, "0.0.0.0"), c.integer(PORT, 0, 0, 65535), product, token,
                mode.equals(PayloadMode.THING_MODEL.key()) ? PayloadMode.THING_MODEL : PayloadMode.TRANSPARENT,
                c.bool(AUTO_REGISTER, false),
                c.integer(MAX_BODY, CtwingPushParser.MAX_BODY_BYTES, MIN_BODY, CtwingPushParser.MAX_BODY_BYTES),
                c.integer(MAX_DEVICES, DEFAULT_MAX_DEVICES, 1, 10_000_000),
                c.integer(IO_THREADS, Runtime.getRuntime().availableProcessors(), 1, 256),
                c.integer(IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, 1, 86_400), bridge);
    }

    /** The push URL's path: {@code /ctwing/<pushToken>}. Secret: never log it. */
    public String pushPath() {
        return "/ctwing/" + pushToken;
    }

    /** The settings for a log or a shell: the secrets masked. */
    @Override
    public String toString() {
        return "CtwingSettings[host=" + host + ", port=" + port + ", product=" + product + ", pushToken=" + Secrets.mask(pushToken)
                + ", payload=" + payload.key() + ", autoRegister=" + autoRegister + ", maxBody=" + maxBody + ", maxDevices=" + maxDevices
                + ", ioThreads=" + ioThreads + ", idleTimeout=" + idleTimeout + ", " + bridge.describe() + "]";
    }

    private static ThingportException invalid(NetworkComponentConfig c, String message) {
        return ThingportException.invalidArgument("network component " + c.id() + ": " + message);
    }
}
