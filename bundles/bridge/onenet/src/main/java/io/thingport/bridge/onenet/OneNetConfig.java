package io.thingport.bridge.onenet;

import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A OneNET bridge's settings, validated. Read with {@link #parse(Map)}; error messages name the setting and the rule,
 * never a secret's value; {@link #describe()} and {@link #toString()} mask the secrets.
 *
 * @param mode which OneNET: the legacy multi-protocol platform or OneNET Studio
 * @param token the push token (3 to 32 printable ASCII characters)
 * @param aesKey the push aesKey if encryption is on: 43 Base64 characters (legacy) or 16 characters (Studio)
 * @param productId the Studio product id (for downlinks)
 * @param accessKey the Studio product access key, Base64 (for downlinks)
 * @param apiBaseUrl the Studio API base URL (http or https)
 * @param tokenLifetime how long an API token is valid after it is made
 */
public record OneNetConfig(Mode mode, String token, Optional<String> aesKey, Optional<String> productId, Optional<String> accessKey,
        URI apiBaseUrl, Duration tokenLifetime) {
    /** Which OneNET. */
    public enum Mode {
        LEGACY, STUDIO
    }

    public static final String MODE = "mode";
    public static final String TOKEN = "token";
    public static final String AES_KEY = "aesKey";
    public static final String PRODUCT_ID = "productId";
    public static final String ACCESS_KEY = "accessKey";
    public static final String API_BASE_URL = "apiBaseUrl";
    public static final String TOKEN_LIFETIME_SECONDS = "tokenLifetimeSeconds";
    /** Every setting {@link #parse(Map)} knows; any other key is refused. */
    public static final Set<String> KEYS = Set.of(MODE, TOKEN, AES_KEY, PRODUCT_ID, ACCESS_KEY, API_BASE_URL, TOKEN_LIFETIME_SECONDS);

    /** The default API token lifetime. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);
    private static final long MIN_LIFETIME_SECONDS = 60;
    private static final long MAX_LIFETIME_SECONDS = 86_400;
    private static final Pattern TOKEN_PATTERN = Pattern.compile("[\\x21-\\x7E]{3,32}");
    private static final Pattern LEGACY_AES_KEY = Pattern.compile("[A-Za-z0-9+/]{43}");
    private static final Pattern STUDIO_AES_KEY = Pattern.compile("[\\x21-\\x7E]{16}");
    private static final Pattern PRODUCT_ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_ACCESS_KEY_CHARS = 256;
    private static final int MAX_URL_CHARS = 512;

    public OneNetConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(aesKey, "aesKey");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    }

    /**
     * Reads and checks the settings. Required: {@code mode} ({@code legacy} or {@code studio}) and {@code token}.
     * Optional: {@code aesKey}; for Studio downlinks {@code productId} and {@code accessKey} (both or neither),
     * {@code apiBaseUrl} (default {@value OneNetUnverified#DEFAULT_API_BASE_URL}), {@code tokenLifetimeSeconds}
     * (60 to 86400, default 3600). Blank values count as absent.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the first bad setting
     */
    public static OneNetConfig parse(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw bad(unknown.iterator().next(), "is not a OneNET bridge setting (known: " + new TreeSet<>(KEYS) + ")");
        }
        Mode mode = mode(value(settings, MODE).orElseThrow(() -> bad(MODE, "is required (legacy or studio)")));
        String token = value(settings, TOKEN).orElseThrow(() -> bad(TOKEN, "is required"));
        if (!TOKEN_PATTERN.matcher(token).matches()) {
            throw bad(TOKEN, "must be 3 to 32 printable ASCII characters without spaces");
        }
        Optional<String> aesKey = value(settings, AES_KEY);
        if (aesKey.isPresent()) {
            if (mode == Mode.LEGACY && !LEGACY_AES_KEY.matcher(aesKey.get()).matches()) {
                throw bad(AES_KEY, "must be " + LegacyCipher.AES_KEY_CHARS + " Base64 characters for the legacy platform (got "
                        + aesKey.get().length() + " characters)");
            }
            if (mode == Mode.STUDIO && !STUDIO_AES_KEY.matcher(aesKey.get()).matches()) {
                throw bad(AES_KEY, "must be " + StudioCipher.AES_KEY_CHARS + " printable ASCII characters for OneNET Studio (got "
                        + aesKey.get().length() + " characters)");
            }
            if (mode == Mode.LEGACY) {
                try {
                    LegacyCipher.key(aesKey.get());
                } catch (IllegalArgumentException e) {
                    throw bad(AES_KEY, "is not a valid Base64 key");
                }
            }
        }
        Optional<String> productId = value(settings, PRODUCT_ID);
        Optional<String> accessKey = value(settings, ACCESS_KEY);
        if (mode == Mode.LEGACY && (productId.isPresent() || accessKey.isPresent())) {
            throw bad(productId.isPresent() ? PRODUCT_ID : ACCESS_KEY, "is only used in studio mode");
        }
        if (productId.isPresent() != accessKey.isPresent()) {
            throw bad(productId.isPresent() ? ACCESS_KEY : PRODUCT_ID, "is required when '"
                    + (productId.isPresent() ? PRODUCT_ID : ACCESS_KEY) + "' is set (downlinks need both)");
        }
        if (productId.isPresent() && !PRODUCT_ID_PATTERN.matcher(productId.get()).matches()) {
            throw bad(PRODUCT_ID, "must be 1 to 64 letters, digits, '_' or '-'");
        }
        if (accessKey.isPresent()) {
            checkAccessKey(accessKey.get());
        }
        URI apiBaseUrl = url(value(settings, API_BASE_URL).orElse(OneNetUnverified.DEFAULT_API_BASE_URL));
        Duration lifetime = lifetime(value(settings, TOKEN_LIFETIME_SECONDS));
        return new OneNetConfig(mode, token, aesKey, productId, accessKey, apiBaseUrl, lifetime);
    }

    /** The settings for display: secrets masked ({@link Secrets#mask(String)}). */
    public String describe() {
        return "OneNET " + mode.name().toLowerCase(Locale.ROOT) + " bridge: token " + Secrets.mask(token) + ", aesKey "
                + aesKey.map(Secrets::mask).orElse("none (plain pushes)") + ", productId " + productId.orElse("none") + ", accessKey "
                + accessKey.map(Secrets::mask).orElse("none") + ", API " + apiBaseUrl + ", API token lifetime "
                + tokenLifetime.toSeconds() + " s";
    }

    /** Same as {@link #describe()}: a record's default would show the secrets. */
    @Override
    public String toString() {
        return describe();
    }

    /** A legacy push parser for this configuration, with the default limits. */
    public LegacyPushParser legacyPushParser() {
        requireMode(Mode.LEGACY);
        return new LegacyPushParser(token, aesKey, PushLimits.DEFAULT);
    }

    /** A Studio push parser for this configuration, with the default limits. */
    public StudioPushParser studioPushParser() {
        requireMode(Mode.STUDIO);
        return new StudioPushParser(token, aesKey, PushLimits.DEFAULT);
    }

    private void requireMode(Mode expected) {
        if (mode != expected) {
            throw new IllegalStateException("the bridge is in " + mode + " mode, not " + expected);
        }
    }

    private static Optional<String> value(Map<String, String> settings, String key) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Mode mode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "legacy" -> Mode.LEGACY;
            case "studio" -> Mode.STUDIO;
            default -> throw bad(MODE, "must be legacy or studio");
        };
    }

    private static void checkAccessKey(String accessKey) {
        if (accessKey.length() > MAX_ACCESS_KEY_CHARS) {
            throw bad(ACCESS_KEY, "is longer than " + MAX_ACCESS_KEY_CHARS + " characters");
        }
        try {
            if (Base64.getDecoder().decode(accessKey).length == 0) {
                throw bad(ACCESS_KEY, "must not be empty");
            }
        } catch (IllegalArgumentException e) {
            throw bad(ACCESS_KEY, "must be Base64 (as OneNET shows it)");
        }
    }

    private static URI url(String text) {
        if (text.length() > MAX_URL_CHARS) {
            throw bad(API_BASE_URL, "is longer than " + MAX_URL_CHARS + " characters");
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw bad(API_BASE_URL, "must be an http or https URL with a host");
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw bad(API_BASE_URL, "must not carry user info, a query or a fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw bad(API_BASE_URL, "is not a valid URL");
        }
    }

    private static Duration lifetime(Optional<String> text) {
        if (text.isEmpty()) {
            return DEFAULT_TOKEN_LIFETIME;
        }
        try {
            long seconds = Long.parseLong(text.get());
            if (seconds >= MIN_LIFETIME_SECONDS && seconds <= MAX_LIFETIME_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(TOKEN_LIFETIME_SECONDS, "must be a whole number of seconds from " + MIN_LIFETIME_SECONDS + " to " + MAX_LIFETIME_SECONDS);
    }

    private static ThingportException bad(String key, String rule) {
        return ThingportException.invalidArgument("OneNET setting '" + key + "' " + rule);
    }
}
