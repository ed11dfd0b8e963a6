package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.CertificateInfo;
import io.thingport.api.network.CertificateService;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.RestJson;
import io.thingport.rest.internal.resources.CertificateResource.CertificateBody;
import io.thingport.rest.internal.resources.DataSourceResource.DataSourceBody;
import io.thingport.rest.internal.resources.NetworkResource.NetworkChange;
import io.thingport.rest.internal.resources.NetworkResource.NetworkView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PlatformResourcesTest {
    /** A network manager with one MQTT client component, recording changes. */
    static final class Network implements NetworkManager {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<NetworkComponentInfo> components() {
            return List.of(component());
        }

        @Override
        public Optional<NetworkComponentInfo> component(String name) {
            return Optional.of(component()).filter(c -> c.id().equals(name));
        }

        @Override
        public Map<String, String> types() {
            return Map.of("mqtt-client", "MQTT");
        }

        @Override
        public NetworkComponentInfo create(String name, String type, Map<String, String> properties) {
            calls.add("create " + name + " " + type + " " + properties);
            return component();
        }

        @Override
        public NetworkComponentInfo update(String name, Map<String, String> set, Set<String> unset) {
            calls.add("update " + name + " " + set + " " + new TreeSet<>(unset));
            return component();
        }

        @Override
        public NetworkComponentInfo setEnabled(String name, boolean enabled) {
            calls.add((enabled ? "enable " : "disable ") + name);
            return component();
        }

        @Override
        public void delete(String name) {
            calls.add("delete " + name);
        }

        private static NetworkComponentInfo component() {
            return new NetworkComponentInfo("broker", "mqtt-client", "running", "", 0,
                    Map.of("url", "tcp://127.0.0.1:1883", "password", "a-long-broker-password", "enabled", "false"), List.of());
        }
    }

    /** A certificate store that records what it was given. */
    static final class Certificates implements CertificateService {
        String added;

        @Override
        public CertificateInfo add(String name, String description, String certificatePem, String privateKeyPem,
                String caChainPem) {
            added = name + " " + description + " " + certificatePem + " " + privateKeyPem + " " + caChainPem;
            return new CertificateInfo(name, description, "CN=x", "CN=ca", "01", Instant.EPOCH, Instant.EPOCH, "ab:cd",
                    privateKeyPem != null, 1, Instant.EPOCH, List.of());
        }

        @Override
        public List<CertificateInfo> list() {
            return List.of();
        }

        @Override
        public Optional<CertificateInfo> find(String name) {
            return Optional.empty();
        }

        @Override
        public void delete(String name) {
        }
    }

    // Verifies that a component's change goes to the manager as keys to set and keys to remove, and one key in both is refused.
    @Test
    void changesANetworkComponentsKeys() {
        // GIVEN
        Network network = new Network();
        NetworkResource resource = Callers.as(Callers.ADMIN, new NetworkResource(network));

        // WHEN
        resource.update("broker", new NetworkChange(Map.of("port", "1884"), List.of("idleTimeout")));

        // THEN
        assertThat(network.calls).containsExactly("update broker {port=1884} [idleTimeout]");
        assertThatThrownBy(() -> resource.update("broker", new NetworkChange(Map.of("port", "1"), List.of("port"))))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("unset");
        assertThatThrownBy(() -> resource.update("broker", new NetworkChange(null, List.of())))
                .isInstanceOf(FieldException.class);
    }

    // Verifies that a component is shown with its state, enabled flag and its secret keys masked as the manager gives them.
    @Test
    void showsAComponentWithoutItsSecrets() throws Exception {
        // GIVEN
        NetworkResource resource = Callers.as(Callers.ADMIN, new NetworkResource(new Network()));

        // WHEN
        NetworkView view = resource.get("broker");
        String json = RestJson.MAPPER.writeValueAsString(view);

        // THEN
        assertThat(view.enabled()).isFalse();
        assertThat(json).doesNotContain("a-long-broker-password").contains("tcp://127.0.0.1:1883");
        assertThatThrownBy(() -> resource.get("other")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    // Verifies that an admin limited to some products may not change network components.
    @Test
    void refusesACallerLimitedToSomeProducts() {
        // GIVEN
        Network network = new Network();
        NetworkResource resource = Callers.as(Callers.LIMITED_ADMIN, new NetworkResource(network));

        // WHEN / THEN
        assertThatThrownBy(() -> resource.delete("broker")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(network.calls).isEmpty();
    }

    // Verifies that a certificate's PEM fields reach the service (a blank key as none) and the answer has no key.
    @Test
    void addsACertificateFromPemText() throws Exception {
        // GIVEN
        Certificates certificates = new Certificates();
        CertificateResource resource = Callers.as(Callers.ADMIN, new CertificateResource(certificates));

        // WHEN
        var r = resource.add(new CertificateBody("ca", null, "-----BEGIN CERTIFICATE-----", " ", null));

        // THEN
        assertThat(certificates.added).isEqualTo("ca null -----BEGIN CERTIFICATE----- null null");
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(((CertificateInfo) r.getEntity()).hasPrivateKey()).isFalse();
        assertThat(new CertificateBody("s", null, "c", "-----BEGIN PRIVATE KEY----- k", null).toString()).doesNotContain("PRIVATE KEY");
        assertThatThrownBy(() -> resource.add(new CertificateBody("x", null, null, null, null)))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("certificate");
    }

    // Verifies that a data source needs a name and a type, and is answered with its secrets masked by the engine.
    @Test
    void addsADataSource() {
        // GIVEN
        FakeRuleService rules = new FakeRuleService();
        DataSourceResource resource = Callers.as(Callers.ADMIN, new DataSourceResource(rules));

        // WHEN
        var r = resource.add(new DataSourceBody("db", "jdbc", Map.of("url", "jdbc:postgresql://127.0.0.1/t", "password", "pw")));

        // THEN
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(((DataSourceResource.DataSourceView) r.getEntity()).options()).doesNotContainValue("pw");
        assertThatThrownBy(() -> resource.add(new DataSourceBody("db", null, null)))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("type");
    }
}
