package io.thingport.core.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.access.RecordingSystemLog;
import io.thingport.core.internal.protocol.TestProtocol;
import io.thingport.core.internal.registry.RegistryFixture;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the network runtime writes to the system log: components started, stopped or failing, gateways failing. */
@Tag("storage")
class NetworkEventsTest {
    private final RegistryFixture registry = new RegistryFixture();
    private final RecordingSystemLog systemLog = new RecordingSystemLog();
    private final NetworkRuntime runtime = new NetworkRuntime(registry.products, registry.devices, registry.sessions, registry.log, null,
            null, null, null, null, registry.config, systemLog, null, null);

    @AfterEach
    void tearDown() {
        runtime.close();
        registry.close();
    }

    /** A component type whose components "listen" on a fixed address, or refuse port 1 as in use. */
    private static NetworkComponentProvider provider(String type, Transport transport) {
        return new NetworkComponentProvider() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Transport transport() {
                return transport;
            }

            @Override
            public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
                if (config.string("port", "").equals("1")) {
                    throw ThingportException.invalidArgument("network component " + config.id() + ": port 1 is in use");
                }
                return new NetworkComponent() {
                    @Override
                    public NetworkComponentConfig config() {
                        return config;
                    }

                    @Override
                    public InetSocketAddress boundAddress() {
                        return new InetSocketAddress("127.0.0.1", 18830);
                    }

                    @Override
                    public int connectionCount() {
                        return 0;
                    }

                    @Override
                    public void close() {
                        // nothing bound
                    }
                };
            }
        };
    }

    @Test
    void aComponentThatStartsStopsOrFailsIsWrittenToTheSystemLog() {
        // Verifies the component events: started (with its status), failed to start (with the reason, ERROR) and
        // stopped; a component waiting for its type is not an event.
        // GIVEN
        runtime.addProvider(provider("tcp-server", Transport.TCP));
        // WHEN
        runtime.configureComponent("waiting", Map.of("type", "udp-server"));
        runtime.configureComponent("tcp", Map.of("type", "tcp-server", "port", "18830"));
        runtime.configureComponent("busy", Map.of("type", "tcp-server", "port", "1"));
        runtime.removeComponent("tcp");
        // THEN
        assertThat(systemLog.lines()).containsExactly(
                "INFO component tcp: network component started (tcp-server): listening on /127.0.0.1:18830",
                "ERROR component busy: network component failed to start: network component busy: port 1 is in use",
                "INFO component tcp: network component stopped");
    }

    @Test
    void aGatewayThatFailsIsWrittenToTheSystemLogOnce() {
        // Verifies the gateway failures the runtime meets: a configuration it refuses, and a protocol that does not
        // speak the component's transport; each once, not again while the gateway stays failed.
        // GIVEN a running TCP component and a protocol that speaks UDP only
        runtime.addProvider(provider("tcp-server", Transport.TCP));
        runtime.configureComponent("tcp", Map.of("type", "tcp-server", "port", "18830"));
        runtime.protocolsChanged(Map.of("udp-only", new TestProtocol("udp-only", "1.0", Set.of(Transport.UDP))));
        // WHEN
        runtime.configureGateway("broken", Map.of("type", "custom", "protocol", "udp-only"));
        runtime.configureGateway("mismatch", Map.of("type", "custom", "network", "tcp", "protocol", "udp-only"));
        runtime.protocolsChanged(Map.of("udp-only", new TestProtocol("udp-only", "1.1", Set.of(Transport.UDP))));
        // THEN
        assertThat(systemLog.lines()).hasSize(3);
        assertThat(systemLog.lines().get(1)).isEqualTo("ERROR gateway broken: gateway failed: gateway broken: network (the network"
                + " component it uses) is required");
        assertThat(systemLog.lines().get(2)).startsWith("ERROR gateway mismatch: gateway failed: ").contains("udp-only");
    }
}
