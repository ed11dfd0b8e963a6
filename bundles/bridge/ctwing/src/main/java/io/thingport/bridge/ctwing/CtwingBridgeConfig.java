package io.thingport.bridge.ctwing;

import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of one CTWing bridge. {@link #parse} checks a settings map and names the bad key (never echoing a
 * secret); {@link #describe()} (and {@link #toString()}) masks the secrets.
 *
 * @param appKey the application's key ({@code application} header)
 * @param appSecret the application's secret (HMAC key), never shown
 * @param masterKey the product's MasterKey (command APIs), never shown whole
 * @param productId the CTWing product id
 * @param apiBaseUrl the API gateway, http or https
 * @param operator the {@code operator} name sent with commands
 * @param commandTtlSeconds how long the platform keeps a command for an offline device
 * @param payloadDataType how command payloads are sent by default
 */
public record CtwingBridgeConfig(
        String appKey,
        String appSecret,
        String masterKey,
        long productId,
        URI apiBaseUrl,
        String operator,
        int commandTtlSeconds,
        PayloadDataType payloadDataType) {

    public static final String APP_KEY = "appKey";
    public static final String APP_SECRET = "appSecret";
    public static final String MASTER_KEY = "masterKey";
    public static final String PRODUCT_ID = "productId";
    public static final String API_BASE_URL = "apiBaseUrl";
    public static final String OPERATOR = "operator";
    public static final String COMMAND_TTL_SECONDS = "commandTtlSeconds";
    public static final String PAYLOAD_DATA_TYPE = "payloadDataType";

    public static final String DEFAULT_OPERATOR = "thingport";
    public static final int DEFAULT_COMMAND_TTL_SECONDS = 7200;
    /** The longest command ttl accepted: 10 days (our bound). */
    public static final int MAX_COMMAND_TTL_SECONDS = 864_000;

    /** A header-safe token: printable ASCII without spaces. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,256}");

    public CtwingBridgeConfig {
        requireSetting(APP_KEY, appKey != null && TOKEN.matcher(appKey).matches(),
                "must be 1 to 256 printable ASCII characters without spaces");
        requireSetting(APP_SECRET, appSecret != null && TOKEN.matcher(appSecret).matches(),
                "must be 1 to 256 printable ASCII characters without spaces");
        requireSetting(MASTER_KEY, masterKey != null && TOKEN.matcher(masterKey).matches(),
                "must be 1 to 256 printable ASCII characters without spaces");
        requireSetting(PRODUCT_ID, productId > 0, "must be a positive integer");
        Objects.requireNonNull(apiBaseUrl, API_BASE_URL);
        checkBaseUrl(apiBaseUrl);
        requireSetting(OPERATOR, operator != null && !operator.isBlank() && operator.length() <= 64
                && operator.codePoints().noneMatch(Character::isISOControl), "must be 1 to 64 characters without control characters");
        requireSetting(COMMAND_TTL_SECONDS, commandTtlSeconds >= 0 && commandTtlSeconds <= MAX_COMMAND_TTL_SECONDS,
                "must be between 0 and " + MAX_COMMAND_TTL_SECONDS + " seconds");
        Objects.requireNonNull(payloadDataType, PAYLOAD_DATA_TYPE);
    }

    /**
     * The settings in {@code settings}: {@code appKey}, {@code appSecret}, {@code masterKey}, {@code productId} required;
     * {@code apiBaseUrl} (default {@value CtwingApi#DEFAULT_BASE_URL}), {@code operator} (default
     * {@value #DEFAULT_OPERATOR}), {@code commandTtlSeconds} (default 7200), {@code payloadDataType} ({@code hex} or
     * {@code string}, default hex) optional. Other keys are ignored (the bridge SPI may add its own).
     */
    public static CtwingBridgeConfig parse(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        String appKey = required(settings, APP_KEY);
        String appSecret = required(settings, APP_SECRET);
        String masterKey = required(settings, MASTER_KEY);
        String productText = required(settings, PRODUCT_ID);
        long productId;
        if (!productText.matches("[0-9]{1,18}") || (productId = Long.parseLong(productText)) <= 0) {
            throw invalid(PRODUCT_ID, "must be a positive integer, not '" + PushFields.echo(productText) + "'");
        }
        URI baseUrl = baseUrl(optional(settings, API_BASE_URL, CtwingApi.DEFAULT_BASE_URL));
        String operator = optional(settings, OPERATOR, DEFAULT_OPERATOR);
        String ttlText = optional(settings, COMMAND_TTL_SECONDS, Integer.toString(DEFAULT_COMMAND_TTL_SECONDS));
        if (!ttlText.matches("[0-9]{1,9}")) {
            throw invalid(COMMAND_TTL_SECONDS, "must be a whole number of seconds, not '" + PushFields.echo(ttlText) + "'");
        }
        PayloadDataType dataType;
        try {
            dataType = PayloadDataType.parse(optional(settings, PAYLOAD_DATA_TYPE, "hex"));
        } catch (IllegalArgumentException e) {
            throw invalid(PAYLOAD_DATA_TYPE, e.getMessage());
        }
        return new CtwingBridgeConfig(appKey, appSecret, masterKey, productId, baseUrl, operator, Integer.parseInt(ttlText), dataType);
    }

    /** The settings for a log or a shell: secrets masked ({@link Secrets#mask}). */
    public String describe() {
        return "CTWing bridge[appKey=" + appKey + ", appSecret=" + Secrets.mask(appSecret) + ", masterKey=" + Secrets.mask(masterKey)
                + ", productId=" + productId + ", apiBaseUrl=" + apiBaseUrl + ", operator=" + operator
                + ", commandTtlSeconds=" + commandTtlSeconds + ", payloadDataType=" + payloadDataType.name().toLowerCase(Locale.ROOT)
                + "]";
    }

    /** Same as {@link #describe()}: a record's default would print the secrets. */
    @Override
    public String toString() {
        return describe();
    }

    private static String required(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw invalid(key, "is required");
        }
        return value.trim();
    }

    private static String optional(Map<String, String> settings, String key, String fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static URI baseUrl(String text) {
        try {
            URI uri = new URI(text);
            checkBaseUrl(uri);
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(API_BASE_URL, "is not a URL: '" + PushFields.echo(text) + "'");
        }
    }

    private static void checkBaseUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        requireSetting(API_BASE_URL, scheme.equals("http") || scheme.equals("https"), "must be an http or https URL");
        requireSetting(API_BASE_URL, uri.getHost() != null && !uri.getHost().isEmpty(), "must name a host");
        requireSetting(API_BASE_URL, uri.getRawUserInfo() == null, "must not carry user information");
        requireSetting(API_BASE_URL, uri.getRawQuery() == null && uri.getRawFragment() == null, "must not have a query or fragment");
    }

    private static void requireSetting(String key, boolean ok, String rule) {
        if (!ok) {
            throw invalid(key, rule);
        }
    }

    private static ThingportException invalid(String key, String rule) {
        return ThingportException.invalidArgument("CTWing setting '" + key + "' " + rule);
    }
}
