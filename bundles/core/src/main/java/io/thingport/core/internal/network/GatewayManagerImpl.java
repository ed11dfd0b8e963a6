package io.thingport.core.internal.network;

import io.thingport.api.ThingportException;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogService;
import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.network.FactoryConfigurations.Undo;
import io.thingport.core.internal.network.NetworkRuntime.GatewaySnapshot;
import io.thingport.core.internal.registry.ProductServiceImpl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link GatewayManager} service: creates, changes and deletes device access gateways by writing their
 * configurations, checked by {@link GatewayRules}, and waiting until the {@link NetworkRuntime} has applied them. A
 * configuration the runtime refuses is taken back, as for network components. Each change is written to the system log
 * (category {@code gateway}); a gateway that fails is written there by the runtime.
 */
@Component(service = GatewayManager.class)
public final class GatewayManagerImpl implements GatewayManager {
    private final NetworkRuntime runtime;
    private final ProductServiceImpl products;
    private final FactoryConfigurations configurations;
    private final SystemLogService systemLog;

    @Activate
    public GatewayManagerImpl(@Reference NetworkRuntime runtime, @Reference ProductServiceImpl products,
                              @Reference ConfigurationAdmin configAdmin, @Reference SystemLogService systemLog) {
        this.runtime = runtime;
        this.products = products;
        this.systemLog = systemLog;
        this.configurations = new FactoryConfigurations(configAdmin, GatewayConfiguration.FACTORY_PID, "gateway");
    }

    @Override
    public List<String> types() {
        return GatewayRules.TYPES;
    }

    @Override
    public List<GatewayInfo> gateways() {
        return runtime.gatewayList();
    }

    @Override
    public Optional<GatewayInfo> gateway(String name) {
        return runtime.gateway(name);
    }

    @Override
    public GatewayInfo create(String name, String type, String network, String protocol, String description) {
        Map<String, String> wanted = GatewayRules.newConfiguration(name, type, network, protocol, description);
        runtime.checkBinding(name, wanted.get("network"), wanted.get("protocol"), true);
        Undo undo = configurations.create(name, wanted, "gateway created by iot:gateway-create");
        GatewaySnapshot result = runtime.awaitGateway(name, wanted);
        if (result.failed()) {
            undo.run();
            runtime.awaitGatewayGone(name);
            throw ThingportException.invalidArgument(result.info().detail());
        }
        record(name, "gateway created: " + result.info().type() + ", network " + result.info().network() + ", protocol "
                + result.info().protocol());
        return result.info();
    }

    @Override
    public GatewayInfo update(String name, String network, String protocol, String description) {
        Map<String, String> old = configurations.values(name);
        Map<String, String> wanted = GatewayRules.changedConfiguration(name, old, network, protocol, description,
                products.productsOfGateway(name));
        runtime.checkBinding(name, wanted.get("network"), wanted.get("protocol"), false);
        GatewayInfo info = apply(name, old, wanted);
        if (!wanted.equals(old)) {
            record(name, "gateway updated: network " + info.network() + ", protocol " + info.protocol());
        }
        return info;
    }

    @Override
    public GatewayInfo setEnabled(String name, boolean enabled) {
        Map<String, String> old = configurations.values(name);
        Map<String, String> wanted = new TreeMap<>(old);
        wanted.put("enabled", String.valueOf(enabled));
        GatewayInfo info = apply(name, old, wanted);
        if (!wanted.equals(old)) {
            record(name, enabled ? "gateway enabled" : "gateway disabled");
        }
        return info;
    }

    @Override
    public void delete(String name) {
        configurations.values(name);
        GatewayRules.checkDelete(name, products.productsOfGateway(name));
        configurations.delete(name);
        runtime.awaitGatewayGone(name);
        record(name, "gateway deleted");
    }

    private void record(String gateway, String message) {
        systemLog.record(SystemEvent.INFO, SystemEvents.GATEWAY, gateway, message);
    }

    /** Writes a changed configuration; one the runtime refuses is rolled back to {@code old}. */
    private GatewayInfo apply(String name, Map<String, String> old, Map<String, String> wanted) {
        Undo undo = configurations.change(name, wanted);
        GatewaySnapshot result = runtime.awaitGateway(name, wanted);
        if (result.failed()) {
            undo.run();
            runtime.awaitGateway(name, old);
            throw ThingportException.invalidArgument(result.info().detail() + " (the previous configuration was kept)");
        }
        return result.info();
    }
}
