package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.protocol.Transport;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OneNetSettingsTest {
    private static final String TOKEN = "s3cretPushTok";

    @Test
    void defaultsApply() {
        // Verifies that the optional keys take their documented defaults.
        // GIVEN only the required keys
        // WHEN they are read
        OneNetSettings s = OneNetSettings.from(config(Map.of()));
        // THEN the defaults apply
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.path()).isEqualTo("/onenet");
        assertThat(s.autoRegister()).isFalse();
        assertThat(s.maxBody()).isEqualTo(1024 * 1024);
        assertThat(s.maxDevices()).isEqualTo(100_000);
        assertThat(s.product()).isEqualTo("p1");
        assertThat(s.oneNet().mode()).isEqualTo(OneNetConfig.Mode.LEGACY);
        assertThat(s.oneNet().token()).isEqualTo(TOKEN);
    }

    @Test
    void keysAreRead() {
        // Verifies that every own key is read and a trailing '/' of the path is dropped.
        // GIVEN every key set
        Map<String, String> keys = Map.of("host", "127.0.0.1", "path", "/cloud/onenet/", "autoRegister", "true", "maxBody", "2048",
                "maxDevices", "10", "ioThreads", "2", "mode", "studio", "productId", "C6z4Zk012B", "accessKey", "YWJjZA==");
        // WHEN they are read
        OneNetSettings s = OneNetSettings.from(config(keys));
        // THEN they are taken
        assertThat(s).extracting(OneNetSettings::host, OneNetSettings::path, OneNetSettings::autoRegister, OneNetSettings::maxBody,
                OneNetSettings::maxDevices, OneNetSettings::ioThreads).containsExactly("127.0.0.1", "/cloud/onenet", true, 2048, 10, 2);
        assertThat(s.oneNet().productId()).contains("C6z4Zk012B");
    }

    @Test
    void requiredKeysAreNamed() {
        // Verifies that a missing port, product, mode or token is refused naming the key.
        // GIVEN configurations each without one required key
        // WHEN they are read
        // THEN the error names the key
        assertRefused(without("port"), "port is required");
        assertRefused(without("product"), "product is required");
        assertRefused(without("mode"), "'mode' is required");
        assertRefused(without("token"), "'token' is required");
    }

    @Test
    void unknownAndBadKeysAreRefused() {
        // Verifies that an unknown key, a bad path, a bad product and a legacy-only violation are refused naming the key.
        // GIVEN bad configurations
        // WHEN they are read
        // THEN each error names its key
        assertRefused(with("colour", "blue"), "unknown key 'colour'");
        assertRefused(with("path", "onenet"), "path 'onenet' must start with /");
        assertRefused(with("product", "bad/product"), "product 'bad/product'");
        assertRefused(with("productId", "C6z4Zk012B"), "'productId' is only used in studio mode");
        assertRefused(with("maxBody", "10"), "maxBody");
        assertRefused(with("certificate", "server"), "certificate: the OneNET push server speaks plain HTTP");
    }

    @Test
    void secretsAreNeverInErrors() {
        // Verifies that a bad token, aesKey or accessKey is refused naming the key but never showing the value.
        // GIVEN secrets that break the rules
        String badToken = "tok en with spaces";
        String badAesKey = "notAValidAesKeyOfTheRightLength";
        String badAccessKey = "!!!not-base64!!!";
        // WHEN they are read
        // THEN the errors name the keys only
        assertThatThrownBy(() -> OneNetSettings.from(config(Map.of("token", badToken))))
                .hasMessageContaining("'token'").hasMessageNotContaining(badToken);
        assertThatThrownBy(() -> OneNetSettings.from(config(Map.of("aesKey", badAesKey))))
                .hasMessageContaining("'aesKey'").hasMessageNotContaining(badAesKey);
        Map<String, String> studio = Map.of("mode", "studio", "productId", "C6z4Zk012B", "accessKey", badAccessKey);
        assertThatThrownBy(() -> OneNetSettings.from(config(studio)))
                .hasMessageContaining("'accessKey'").hasMessageNotContaining(badAccessKey);
        assertThatThrownBy(() -> OneNetSettings.from(config(Map.of("mode", "studio", "colour", "x"))))
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void providerIsTheOnenetHttpType() {
        // Verifies that the provider names the onenet type on HTTP and refuses a bad configuration before binding.
        // GIVEN the provider
        OneNetProvider provider = new OneNetProvider();
        // WHEN it is asked its type and given a configuration without a port
        // THEN it is onenet on HTTP and the configuration is refused
        assertThat(provider.type()).isEqualTo("onenet");
        assertThat(provider.transport()).isEqualTo(Transport.HTTP);
        assertThatThrownBy(() -> provider.start(new NetworkComponentConfig("on1", "onenet", without("port")), new FakePlatform()))
                .isInstanceOf(ThingportException.class).hasMessageContaining("port is required");
    }

    private static void assertRefused(Map<String, String> keys, String message) {
        assertThatThrownBy(() -> OneNetSettings.from(new NetworkComponentConfig("on1", "onenet", keys)))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("network component on1")
                .hasMessageContaining(message);
    }

    private static Map<String, String> base() {
        Map<String, String> keys = new HashMap<>();
        keys.put("port", "0");
        keys.put("product", "p1");
        keys.put("mode", "legacy");
        keys.put("token", TOKEN);
        return keys;
    }

    private static Map<String, String> without(String key) {
        Map<String, String> keys = base();
        keys.remove(key);
        return keys;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> keys = base();
        keys.put(key, value);
        return keys;
    }

    private static NetworkComponentConfig config(Map<String, String> more) {
        Map<String, String> keys = base();
        keys.putAll(more);
        return new NetworkComponentConfig("on1", "onenet", keys);
    }
}
