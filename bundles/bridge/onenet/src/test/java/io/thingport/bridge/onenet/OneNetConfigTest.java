package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OneNetConfigTest {
    private static final String ACCESS_KEY = "KuF3NT/jUBJ62LNBB/A8XZA9CqS3Cu79B/ABmfA1UCw=";

    @Test
    void aStudioConfigurationIsReadWithDefaults() {
        // Verifies that a full Studio configuration is read and the base URL and token lifetime default.
        // GIVEN mode, token, aesKey, productId and accessKey
        OneNetConfig config = OneNetConfig.parse(Map.of("mode", "studio", "token", "thingport01", "aesKey", "0123456789abcdef",
                "productId", "C6z4Zk012B", "accessKey", ACCESS_KEY));
        // THEN the values and the defaults are there
        assertThat(config.mode()).isEqualTo(OneNetConfig.Mode.STUDIO);
        assertThat(config.aesKey()).contains("0123456789abcdef");
        assertThat(config.apiBaseUrl()).isEqualTo(URI.create("https://iot-api.heclouds.com"));
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(config.studioPushParser()).isNotNull();
    }

    @Test
    void aLegacyConfigurationNeedsOnlyModeAndToken() {
        // Verifies that legacy mode with token (and optionally a 43-character aesKey) is accepted.
        OneNetConfig config = OneNetConfig.parse(Map.of("mode", "LEGACY", "token", "abc", "aesKey", CipherTest.LEGACY_KEY,
                "apiBaseUrl", "http://127.0.0.1:8080/", "tokenLifetimeSeconds", "600"));
        assertThat(config.mode()).isEqualTo(OneNetConfig.Mode.LEGACY);
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.legacyPushParser()).isNotNull();
    }

    @Test
    void eachBadSettingIsNamedWithoutItsValue() {
        // Verifies that each rule names its key and never echoes a secret's value.
        Map<String, String> studio = Map.of("mode", "studio", "token", "thingport01");
        Map<String, String> legacy = Map.of("mode", "legacy", "token", "thingport01");
        assertBad(Map.of("token", "abc"), "mode", "is required");
        assertBad(Map.of("mode", "cloud", "token", "abc"), "mode", "legacy or studio");
        assertBad(Map.of("mode", "legacy"), "token", "is required");
        assertBad(with(legacy, "token", "ab"), "token", "3 to 32");
        assertBad(with(legacy, "token", "has space"), "token", "3 to 32");
        assertBad(with(legacy, "token", "t".repeat(33)), "token", "3 to 32");
        assertBad(with(legacy, "aesKey", "secretSecretSecret"), "aesKey", "43 Base64 characters");
        assertBad(with(legacy, "aesKey", "*".repeat(43)), "aesKey", "43 Base64 characters");
        assertBad(with(studio, "aesKey", "secretSecretSecret"), "aesKey", "16 printable ASCII characters");
        assertBad(with(legacy, "productId", "C6z4Zk012B"), "productId", "only used in studio mode");
        assertBad(with(studio, "productId", "C6z4Zk012B"), "accessKey", "is required when 'productId' is set");
        assertBad(with(studio, "accessKey", ACCESS_KEY), "productId", "is required when 'accessKey' is set");
        assertBad(with(with(studio, "accessKey", "secret*key"), "productId", "p1"), "accessKey", "must be Base64");
        assertBad(with(with(studio, "accessKey", ACCESS_KEY), "productId", "p 1"), "productId", "letters, digits");
        assertBad(with(studio, "apiBaseUrl", "ftp://example.com"), "apiBaseUrl", "http or https");
        assertBad(with(studio, "apiBaseUrl", "https://user:secretpw@example.com"), "apiBaseUrl", "user info");
        assertBad(with(studio, "tokenLifetimeSeconds", "5"), "tokenLifetimeSeconds", "from 60 to 86400");
        assertBad(with(studio, "tokenLifetimeSeconds", "soon"), "tokenLifetimeSeconds", "from 60 to 86400");
        assertBad(with(studio, "aeskey", "x"), "aeskey", "is not a OneNET bridge setting");
    }

    @Test
    void describeAndToStringMaskSecrets() {
        // Verifies that neither describe() nor toString() shows the token, aesKey or accessKey.
        // GIVEN a configuration with all secrets
        OneNetConfig config = OneNetConfig.parse(Map.of("mode", "studio", "token", "thingport01", "aesKey", "0123456789abcdef",
                "productId", "C6z4Zk012B", "accessKey", ACCESS_KEY));
        // WHEN it is described THEN only masks and non-secrets appear
        assertThat(config.describe()).isEqualTo(config.toString())
                .doesNotContain("thingport01", "0123456789abcdef", ACCESS_KEY)
                .contains("C6z4Zk012B", "https://iot-api.heclouds.com", "KuF3\u2026");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> settings = new HashMap<>(base);
        settings.put(key, value);
        return settings;
    }

    private static void assertBad(Map<String, String> settings, String key, String rule) {
        assertThatThrownBy(() -> OneNetConfig.parse(settings))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(rule)
                .satisfies(e -> settings.forEach((name, value) -> {
                    if (!name.equals("mode") && !name.equals("productId") && value.length() > 3) {
                        assertThat(e.getMessage()).doesNotContain(value);
                    }
                }));
    }
}
