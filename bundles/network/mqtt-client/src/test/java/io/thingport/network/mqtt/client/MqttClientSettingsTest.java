package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.network.NetworkComponentConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked settings, without a broker. */
class MqttClientSettingsTest {
    private static final String PASSWORD = "Sup3rSecretBrokerPass-42";

    @Test
    void theBrokerPasswordIsNeverPrinted() {
        // Verifies that the settings (which the component logs and its tests print) and the configuration they are read
        // from show the broker password masked, and that the error for a password without a user name does not quote it.
        // GIVEN a configuration with a user name and a long password, and one with a short password only
        NetworkComponentConfig config = new NetworkComponentConfig("broker", MqttClientSettings.TYPE,
                Map.of("remoteHost", "10.0.0.5", "username", "thingport", "password", PASSWORD));
        NetworkComponentConfig noUser = new NetworkComponentConfig("broker", MqttClientSettings.TYPE,
                Map.of("remoteHost", "10.0.0.5", "password", "short-pass"));
        // WHEN the settings are read
        MqttClientSettings settings = MqttClientSettings.from(config);
        // THEN the password is there for the connection, masked in every text
        assertThat(settings.password()).isEqualTo(PASSWORD);
        assertThat(settings.toString()).contains("username=thingport", "password=Sup3\u2026").doesNotContain(PASSWORD);
        assertThat(config.toString()).contains("password=Sup3\u2026").doesNotContain(PASSWORD);
        assertThatThrownBy(() -> MqttClientSettings.from(noUser)).hasMessageContaining("password is set without username")
                .hasMessageNotContaining("short-pass");
    }
}
