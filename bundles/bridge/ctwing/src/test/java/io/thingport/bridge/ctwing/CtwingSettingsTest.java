package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ctwing} component's keys: defaults, and refusals that name the key but never a secret's value. */
class CtwingSettingsTest {
    private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
    private static final String APP_SECRET = "very-secret-app-secret";
    private static final String MASTER_KEY = "very-secret-master-key";

    private static Map<String, String> keys() {
        Map<String, String> keys = new HashMap<>();
        keys.put("port", "8090");
        keys.put("product", "meter");
        keys.put("pushToken", TOKEN);
        keys.put("appKey", "app");
        keys.put("appSecret", APP_SECRET);
        keys.put("masterKey", MASTER_KEY);
        keys.put("productId", "15045240");
        return keys;
    }

    private static CtwingSettings settings(Map<String, String> keys) {
        return CtwingSettings.from(new NetworkComponentConfig("cloud", CtwingProvider.TYPE, keys));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> keys = keys();
        if (value == null) {
            keys.remove(key);
        } else {
            keys.put(key, value);
        }
        return keys;
    }

    @Test
    void defaultsApply() {
        // Verifies the defaults of the optional keys and that the required ones are read.
        // GIVEN only the required keys
        // WHEN they are read
        CtwingSettings s = settings(keys());
        // THEN
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(8090);
        assertThat(s.product()).isEqualTo("meter");
        assertThat(s.payload()).isEqualTo(CtwingSettings.PayloadMode.TRANSPARENT);
        assertThat(s.autoRegister()).isFalse();
        assertThat(s.maxBody()).isEqualTo(1 << 20);
        assertThat(s.maxDevices()).isEqualTo(100_000);
        assertThat(s.bridge().productId()).isEqualTo(15045240L);
        assertThat(s.bridge().apiBaseUrl()).hasToString(CtwingApi.DEFAULT_BASE_URL);
        assertThat(s.pushPath()).isEqualTo("/ctwing/" + TOKEN);
        assertThat(s.toString()).doesNotContain(TOKEN, APP_SECRET, MASTER_KEY);
    }

    @Test
    void thingModelAndAutoRegisterAreRead() {
        // Verifies that payload = thing-model and autoRegister = true are read.
        // GIVEN / WHEN
        Map<String, String> keys = with("payload", "thing-model");
        keys.put("autoRegister", "true");
        CtwingSettings s = settings(keys);
        // THEN
        assertThat(s.payload()).isEqualTo(CtwingSettings.PayloadMode.THING_MODEL);
        assertThat(s.autoRegister()).isTrue();
    }

    @Test
    void refusalsNameTheKeyButNoSecret() {
        // Verifies that each bad or missing key is refused with INVALID_ARGUMENT naming it, without a secret's value.
        // GIVEN / WHEN / THEN
        assertRefused(with("port", null), "port");
        assertRefused(with("product", null), "product");
        assertRefused(with("product", "a/b"), "product");
        assertRefused(with("pushToken", null), "pushToken");
        assertRefused(with("pushToken", "short-secret-token"), "pushToken");
        assertRefused(with("payload", "xml"), "payload");
        assertRefused(with("appSecret", null), "appSecret");
        assertRefused(with("appSecret", "has a space " + APP_SECRET), "appSecret");
        assertRefused(with("masterKey", "bad key " + MASTER_KEY), "masterKey");
        assertRefused(with("productId", "abc"), "productId");
        assertRefused(with("apiBaseUrl", "ftp://example.com"), "apiBaseUrl");
        assertRefused(with("maxBody", "99999999"), "maxBody");
        assertRefused(with("colour", "blue"), "colour");
    }

    private static void assertRefused(Map<String, String> keys, String key) {
        assertThatThrownBy(() -> settings(keys))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(key)
                .hasMessageContaining("cloud")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(APP_SECRET, MASTER_KEY, TOKEN, "short-secret-token"));
    }
}
