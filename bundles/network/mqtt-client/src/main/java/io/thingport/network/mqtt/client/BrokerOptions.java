package io.thingport.network.mqtt.client;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TlsMaterial;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/** How the {@link BrokerLink} logs into the broker: Paho's connect options, with TLS when configured. */
final class BrokerOptions {
    private BrokerOptions() {
    }

    /** The connect options: MQTT 3.1.1, no automatic reconnect (the link reconnects), credentials, TLS. */
    static MqttConnectOptions of(NetworkComponentConfig config, MqttClientSettings settings) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval(settings.keepAlive());
        options.setConnectionTimeout(settings.connectTimeout());
        options.setAutomaticReconnect(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setMaxInflight(1000);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().toCharArray());
        }
        if (settings.tls()) {
            options.setSocketFactory(socketFactory(config));
            options.setHttpsHostnameVerificationEnabled(true);
        }
        return options;
    }

    /** TLS towards the broker: the component's certificate (if any) as client certificate, the configured trust. */
    private static SSLSocketFactory socketFactory(NetworkComponentConfig config) {
        KeyManager[] keys = null;
        TlsMaterial own = config.certificate();
        if (own != null) {
            if (own.key() == null) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": certificate " + own.name()
                        + " has no private key, so it cannot identify this client to the broker");
            }
            try {
                keys = own.keyManagerFactory().getKeyManagers();
            } catch (ThingportException e) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": " + e.getMessage());
            }
        }
        TrustManager[] trust = null;
        if (!config.trusted().isEmpty()) {
            try {
                trust = TlsMaterial.trustManagerFactory(config.trusted()).getTrustManagers();
            } catch (ThingportException e) {
                throw ThingportException.invalidArgument("network component " + config.id() + ": trust: " + e.getMessage());
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw ThingportException.invalidArgument("network component " + config.id() + ": TLS cannot be set up: " + e.getMessage());
        }
    }
}
