package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.device.NodeType;
import io.thingport.api.device.ProductOptions;
import io.thingport.api.model.ThingModel;
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
        registry.products.createProduct(new NewProduct("hub", null, null, null, false, ThingModel.EMPTY, null, null,
                ProductOptions.DEFAULTS.withNode(NodeType.GATEWAY)));
        for (String id : new String[] {"gw-1", "gw-2", "c-1", "c-2"}) {
            registry.devices.createDevice(new NewDevice(id, id.startsWith("gw") ? "hub" : "p1", null, null));
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
        assertThatThrownBy(() -> topology.bind("c-1", "c-2")).hasMessageContaining("device c-1 cannot have sub-devices: its product p1"
                + " is not a gateway product").extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> topology.bind("gw-2", "gw-1")).hasMessageContaining("device gw-1 is a gateway (of gateway product hub)");
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
        registry.devices.createDevice(new NewDevice("gw-1", "hub", null, null));
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
        // a device that may not be bound is not left behind: c-2 is not a gateway, so it cannot register children, and a
        // gateway cannot register a child in a gateway product
        assertThatThrownBy(() -> topology.registerChild("c-2", "new-2", "p1")).hasMessageContaining("is not a gateway product");
        assertThat(registry.devices.findDevice("new-2")).isEmpty();
        registry.products.setDynamicRegistration("hub", true);
        assertThatThrownBy(() -> topology.registerChild("gw-1", "new-3", "hub")).hasMessageContaining("so it cannot be a sub-device");
        assertThat(registry.devices.findDevice("new-3")).isEmpty();
    }

    @Test
    void aProductsNodeTypeStaysTrueToItsDevicesBindings() {
        // Verifies that a gateway product whose devices have sub-devices cannot become an ordinary one, nor can a product
        // whose devices are sub-devices become a gateway product, and that both work again once the bindings are gone.
        // GIVEN c-1 bound to gw-1
        topology.bind("gw-1", "c-1");
        ProductOptions hub = registry.products.getProduct("hub").options();
        ProductOptions p1 = registry.products.getProduct("p1").options();
        // WHEN / THEN the node types that contradict the binding are refused, and nothing changed
        assertThatThrownBy(() -> registry.products.updateOptions("hub", DataFormat.FIXED, hub.withNode(NodeType.DEVICE)))
                .hasMessageContaining("product hub must stay a gateway product: its devices have 1 sub-devices")
                .extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> registry.products.updateOptions("p1", DataFormat.FIXED, p1.withNode(NodeType.GATEWAY)))
                .hasMessageContaining("product p1 cannot be a gateway product: 1 of its devices are sub-devices")
                .extracting(TopologyServiceImplTest::code).isEqualTo(ErrorCode.CONFLICT);
        assertThat(registry.products.getProduct("hub").options().node()).isEqualTo(NodeType.GATEWAY);
        registry.restart();
        assertThat(registry.products.getProduct("hub").options().node()).isEqualTo(NodeType.GATEWAY);
        assertThat(registry.products.getProduct("p1").options().node()).isEqualTo(NodeType.DEVICE);
        // WHEN c-1 is unbound / THEN both changes are allowed
        topology = new TopologyServiceImpl(registry.devices, registry.products, registry.sessions);
        topology.unbind("c-1");
        assertThat(registry.products.updateOptions("hub", DataFormat.FIXED, hub.withNode(NodeType.DEVICE)).options().node())
                .isEqualTo(NodeType.DEVICE);
        assertThat(registry.products.updateOptions("p1", DataFormat.FIXED, p1.withNode(NodeType.GATEWAY)).options().node())
                .isEqualTo(NodeType.GATEWAY);
    }
}
