package io.thingport.bridge.onenet;

import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code onenet} component's configuration keys, checked. Besides these, the component accepts the
 * {@link NetworkComponentConfig#COMMON_KEYS} (the push server is plain HTTP: put a TLS-terminating proxy in front of it
 * for an {@code https} push URL). An unknown key is refused; every error names the key, never a secret's value
 * ({@code token}, {@code aesKey} and {@code accessKey} are {@link NetworkComponentConfig#SECRET_KEYS}).
 *
 * <table>
 *   <caption>Keys of the {@code onenet} type</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code host}</td><td>{@code 0.0.0.0}</td><td>bind address of the push server</td></tr>
 *   <tr><td>{@code port}</td><td>required</td><td>TCP port of the push server; {@code 0} picks a free one</td></tr>
 *   <tr><td>{@code product}</td><td>required</td><td>the Thingport product id of the cloud's devices</td></tr>
 *   <tr><td>{@code path}</td><td>{@code /onenet}</td><td>the push URL's path (GET verification and POST pushes); any other
 *       path is answered 404</td></tr>
 *   <tr><td>{@code autoRegister}</td><td>false</td><td>create a device the platform does not know (with a generated
 *       secret) when the cloud pushes for it; without, its messages are dropped (logged)</td></tr>
 *   <tr><td>{@code maxBody}</td><td>1048576</td><td>largest push body in bytes; larger → 413</td></tr>
 *   <tr><td>{@code maxDevices}</td><td>100000</td><td>cloud devices online on the platform at once</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>1</td><td>Netty event-loop threads of the push server</td></tr>
 *   <tr><td>{@code mode}</td><td>required</td><td>{@code legacy} (multi-protocol / NB-IoT pushes) or {@code studio}
 *       (OneNET Studio)</td></tr>
 *   <tr><td>{@code token}</td><td>required</td><td>the push token set on the OneNET console (secret)</td></tr>
 *   <tr><td>{@code aesKey}</td><td>none</td><td>the push aesKey when encryption (legacy) / secure mode (Studio) is on;
 *       then only encrypted pushes are accepted (secret)</td></tr>
 *   <tr><td>{@code productId}</td><td>none</td><td>Studio only: the OneNET product id, for downlinks</td></tr>
 *   <tr><td>{@code accessKey}</td><td>none</td><td>Studio only: the product's access key (Base64), for downlinks
 *       (secret)</td></tr>
 *   <tr><td>{@code apiBaseUrl}</td><td>{@code https://iot-api.heclouds.com}</td><td>Studio API base URL</td></tr>
 *   <tr><td>{@code tokenLifetimeSeconds}</td><td>3600</td><td>lifetime of a Studio API token (60..86400)</td></tr>
 * </table>
 *
 * @param host         bind address
 * @param port         TCP port (0: a free one)
 * @param product      the Thingport product of every device of this component
 * @param path         the push path, starting with {@code /}, without a trailing {@code /}
 * @param autoRegister whether unknown devices are created
 * @param maxBody      the largest push body, bytes
 * @param maxDevices   the most cloud devices online at once
 * @param ioThreads    event-loop threads
 * @param oneNet       the OneNET keys, read by {@link OneNetConfig#parse(Map)}
 */
public record OneNetSettings(String host, int port, String product, String path, boolean autoRegister, int maxBody, int maxDevices,
                             int ioThreads, OneNetConfig oneNet) {
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String PRODUCT = "product";
    public static final String PATH = "path";
    public static final String AUTO_REGISTER = "autoRegister";
    public static final String MAX_BODY = "maxBody";
    public static final String MAX_DEVICES = "maxDevices";
    public static final String IO_THREADS = "ioThreads";
    /** The default push path. */
    public static final String DEFAULT_PATH = "/onenet";
    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    public static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of(HOST, PORT, PRODUCT, PATH, AUTO_REGISTER, MAX_BODY, MAX_DEVICES, IO_THREADS));
        keys.addAll(OneNetConfig.KEYS);
        KEYS = Set.copyOf(keys);
    }

    /**
     * Reads and checks a component's configuration.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the component and the first bad key
     */
    public static OneNetSettings from(NetworkComponentConfig c) {
        c.checkKeys(OneNetProvider.TYPE, KEYS);
        if (c.tls() || !c.string("certificate", "").isEmpty()) {
            throw bad(c, "certificate: the OneNET push server speaks plain HTTP; put a TLS-terminating proxy in front of it");
        }
        if (c.string(PORT, "").isEmpty()) {
            throw bad(c, PORT + " is required (a onenet component has no default port; 0 picks a free one)");
        }
        String product = c.string(PRODUCT, "");
        if (product.isEmpty()) {
            throw bad(c, PRODUCT + " is required: the Thingport product of the cloud's devices");
        }
        if (product.length() > Identifiers.MAX_ID_LENGTH || !Identifiers.OBJECT_ID.matcher(product).matches()) {
            throw bad(c, PRODUCT + " '" + product + "' is not a product id (letters, digits, '_', '.', ':', '-'; at most "
                    + Identifiers.MAX_ID_LENGTH + ")");
        }
        Map<String, String> oneNetKeys = new HashMap<>();
        c.properties().forEach((k, v) -> {
            if (OneNetConfig.KEYS.contains(k)) {
                oneNetKeys.put(k, v);
            }
        });
        OneNetConfig oneNet;
        try {
            oneNet = OneNetConfig.parse(oneNetKeys);
        } catch (ThingportException e) {
            throw bad(c, e.getMessage());
        }
        return new OneNetSettings(c.string(HOST, "0.0.0.0"), c.integer(PORT, 0, 0, 65_535), product, path(c),
                c.bool(AUTO_REGISTER, false), c.integer(MAX_BODY, PushLimits.DEFAULT.maxBodyBytes(), 1024, 16 * 1024 * 1024),
                c.integer(MAX_DEVICES, 100_000, 1, 10_000_000), c.integer(IO_THREADS, 1, 1, 64), oneNet);
    }

    private static String path(NetworkComponentConfig c) {
        String p = c.string(PATH, DEFAULT_PATH);
        if (!p.startsWith("/")) {
            throw bad(c, PATH + " '" + p + "' must start with /");
        }
        for (char ch : p.toCharArray()) {
            if (ch == '?' || ch == '#' || ch == '%' || ch == '+' || Character.isWhitespace(ch) || Character.isISOControl(ch)) {
                throw bad(c, PATH + " '" + p + "' may not contain '" + ch + "' (a plain path such as /onenet is expected)");
            }
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static ThingportException bad(NetworkComponentConfig c, String message) {
        return ThingportException.invalidArgument("network component " + c.id() + ": " + message);
    }
}
