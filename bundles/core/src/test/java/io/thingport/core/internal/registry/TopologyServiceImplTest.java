package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.NewDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage")
class TopologyServiceImplTest {
    private final RegistryFixture registry = new RegistryFixture();
    private TopologyServiceImpl topology;

    @BeforeEach
    void setUp() {
        registry.product(false);
        for (String id : new String[] {"gw-1", "gw-2", "c-1", "c-2"}) {
            registry.devices.createDevice(new NewDevice(id, "p1", null, null));
        }
        topology = new TopologyServiceImpl(registry.devices, registry.products, registry.sessions);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private static ErrorCode code(Throwable t) {
        return ((ThingportException) t).code();
    }

    @Test
    void bindingsFollowTheRulesAndSurviveARestart() {
        // Verifies binding, idempotence, the one-level and one-gateway rules, and that bindings are durable.
        // GIVEN c-1 and c-2 bound to gw-1
        topology.bind("gw-1", "c-1");
        topology.bind("gw-1", "c-2");
        topology.bind("gw-1", "c-1");
        // THEN
        assertThat(topology.children("gw-1")).containsExactly("c-1", "c-2");
        assertThat(topology.gatewayOf("c-1")).hasValue("gw-1");
        assertThat(topology.gatewayOf("gw-1")).isEmpty();
        assertThatThrownBy(() -> topology.bind("gw-2", "c-1")).hasMessageContaining("is a sub-device of gateway gw-1 already")
                .extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> topology.bind("c-1", "gw-2")).hasMessageContaining("is a sub-device itself");
        assertThatThrownBy(() -> topology.bind("gw-2", "gw-1")).hasMessageContaining("is a gateway with sub-devices");
        assertThatThrownBy(() -> topology.bind("gw-2", "gw-2")).hasMessageContaining("cannot be its own gateway");
        assertThatThrownBy(() -> topology.bind("gw-2", "nobody")).extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> topology.children("nobody")).extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.NOT_FOUND);
        // WHEN the platform restarts / THEN the bindings are there
        registry.restart();
        topology = new TopologyServiceImpl(registry.devices, registry.products, registry.sessions);
        assertThat(topology.gatewayOf("c-2")).hasValue("gw-1");
        assertThat(topology.boundChild("gw-1", "c-2")).isPresent();
        assertThat(topology.boundChild("gw-2", "c-2")).isEmpty();
    }

    @Test
    void unbindingAndDeletingEndBindings() {
        // Verifies unbind, and that deleting a gateway or a sub-device deletes its bindings (a new device of the same id
        // starts without any).
        topology.bind("gw-1", "c-1");
        topology.bind("gw-1", "c-2");
        topology.unbind("c-1");
        assertThat(topology.children("gw-1")).containsExactly("c-2");
        assertThatThrownBy(() -> topology.unbind("c-1")).extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.NOT_FOUND);
        registry.devices.deleteDevice("gw-1");
        assertThat(topology.gatewayOf("c-2")).isEmpty();
        registry.devices.createDevice(new NewDevice("gw-1", "p1", null, null));
        assertThat(topology.children("gw-1")).isEmpty();
        assertThat(topology.boundChild("gw-1", "c-2")).isEmpty();
    }

    @Test
    void aGatewayRegistersSubDevicesOnlyWhereTheProductAllows() {
        // Verifies registration by a gateway: refused without the product's registration switch, then created and bound,
        // idempotent for its own sub-device, refused for a device that exists and is not its sub-device.
        assertThatThrownBy(() -> topology.registerChild("gw-1", "new-1", "p1")).extracting(TopologyServiceImplTest::code)
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(registry.devices.findDevice("new-1")).isEmpty();
        registry.products.setDynamicRegistration("p1", true);
        topology.registerChild("gw-1", "new-1", "p1");
        topology.registerChild("gw-1", "new-1", "p1");
        assertThat(topology.gatewayOf("new-1")).hasValue("gw-1");
        assertThatThrownBy(() -> topology.registerChild("gw-2", "new-1", "p1")).extracting(TopologyServiceImplTest::code)
                .isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> topology.registerChild("gw-1", "c-1", "p1")).extracting(TopologyServiceImplTest::code)
                .isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> topology.registerChild("gw-1", "x-1", "nope")).extracting(TopologyServiceImplTest::code)
                .isEqualTo(ErrorCode.NOT_FOUND);
        // a device that may not be bound is not left behind: c-1 is a gateway's child, so it cannot register children
        topology.bind("gw-2", "c-2");
        assertThatThrownBy(() -> topology.registerChild("c-2", "new-2", "p1")).hasMessageContaining("is a sub-device itself");
        assertThat(registry.devices.findDevice("new-2")).isEmpty();
    }
}
