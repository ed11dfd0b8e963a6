package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the bridge settings. */
class CtwingBridgeConfigTest {
    private static final String SECRET = "appSecret-1234567890";
    private static final String MASTER = "b3f0c2d4e5a6478899aabbccddeeff00";

    private static Map<String, String> valid() {
        Map<String, String> settings = new HashMap<>();
        settings.put("appKey", "demoAppKey01");
        settings.put("appSecret", SECRET);
        settings.put("masterKey", MASTER);
        settings.put("productId", "15045240");
        return settings;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> settings = valid();
        settings.put(key, value);
        return settings;
    }

    @Test
    void minimalSettingsTakeDefaults() {
        // Verifies that the four required keys suffice: default base URL, operator, ttl 7200 and hex payloads.
        // GIVEN / WHEN
        CtwingBridgeConfig config = CtwingBridgeConfig.parse(valid());
        // THEN
        assertThat(config.appKey()).isEqualTo("demoAppKey01");
        assertThat(config.productId()).isEqualTo(15045240L);
        assertThat(config.apiBaseUrl()).isEqualTo(URI.create("https://ag-api.ctwing.cn"));
        assertThat(config.operator()).isEqualTo("thingport");
        assertThat(config.commandTtlSeconds()).isEqualTo(7200);
        assertThat(config.payloadDataType()).isEqualTo(PayloadDataType.HEX);
        // AND the optional keys are read
        Map<String, String> all = valid();
        all.putAll(Map.of("apiBaseUrl", "http://127.0.0.1:9000", "operator", "admin", "commandTtlSeconds", "0",
                "payloadDataType", "STRING"));
        CtwingBridgeConfig custom = CtwingBridgeConfig.parse(all);
        assertThat(custom.apiBaseUrl().getPort()).isEqualTo(9000);
        assertThat(custom.operator()).isEqualTo("admin");
        assertThat(custom.commandTtlSeconds()).isZero();
        assertThat(custom.payloadDataType()).isEqualTo(PayloadDataType.STRING);
    }

    @Test
    void refusalsNameTheKeyAndNeverTheSecret() {
        // Verifies that each bad setting is INVALID_ARGUMENT naming its key, and that no message echoes a secret.
        // GIVEN / WHEN / THEN
        assertRefused(with("appKey", " "), "CTWing setting 'appKey' is required");
        assertRefused(with("appKey", "has space"), "CTWing setting 'appKey' must be 1 to 256 printable ASCII characters without spaces");
        Map<String, String> noSecret = valid();
        noSecret.remove("appSecret");
        assertRefused(noSecret, "CTWing setting 'appSecret' is required");
        assertRefused(with("appSecret", SECRET + "\u00e9x"), "CTWing setting 'appSecret' must be 1 to 256 printable ASCII characters");
        assertRefused(with("masterKey", MASTER + " x"), "CTWing setting 'masterKey' must be");
        assertRefused(with("productId", "abc"), "CTWing setting 'productId' must be a positive integer, not 'abc'");
        assertRefused(with("productId", "0"), "CTWing setting 'productId' must be a positive integer");
        assertRefused(with("apiBaseUrl", "ftp://ag-api.ctwing.cn"), "CTWing setting 'apiBaseUrl' must be an http or https URL");
        assertRefused(with("apiBaseUrl", "https://user:pw@ag-api.ctwing.cn"), "CTWing setting 'apiBaseUrl' must not carry user information");
        assertRefused(with("apiBaseUrl", "https://ag-api.ctwing.cn/?x=1"), "CTWing setting 'apiBaseUrl' must not have a query");
        assertRefused(with("apiBaseUrl", "http://[bad"), "CTWing setting 'apiBaseUrl' is not a URL");
        assertRefused(with("commandTtlSeconds", "864001"), "CTWing setting 'commandTtlSeconds' must be between 0 and 864000");
        assertRefused(with("commandTtlSeconds", "-1"), "CTWing setting 'commandTtlSeconds' must be a whole number");
        assertRefused(with("payloadDataType", "base64"), "CTWing setting 'payloadDataType' must be 'hex' (2) or 'string' (1)");
        assertRefused(with("operator", "x".repeat(65)), "CTWing setting 'operator' must be 1 to 64 characters");
    }

    @Test
    void describeMasksSecrets() {
        // Verifies that describe() and toString() show the app key but mask the app secret and the MasterKey.
        // GIVEN
        CtwingBridgeConfig config = CtwingBridgeConfig.parse(valid());
        // WHEN
        String text = config.describe();
        // THEN
        assertThat(text).contains("appKey=demoAppKey01", "appSecret=appS\u2026", "masterKey=b3f0\u2026", "productId=15045240",
                "payloadDataType=hex").doesNotContain(SECRET).doesNotContain(MASTER);
        assertThat(config.toString()).isEqualTo(text);
    }

    private static void assertRefused(Map<String, String> settings, String messageStart) {
        assertThatThrownBy(() -> CtwingBridgeConfig.parse(settings))
                .isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith(messageStart).doesNotContain(SECRET).doesNotContain(MASTER);
                });
    }
}
