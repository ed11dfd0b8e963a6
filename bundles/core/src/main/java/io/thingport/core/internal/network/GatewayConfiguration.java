package io.thingport.core.internal.network;

import io.thingport.api.ThingportException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device access gateway: a factory configuration of {@code io.thingport.gateway}, usually the file
 * {@code etc/io.thingport.gateway-<name>.cfg} with the keys {@code type}, {@code network}, {@code protocol},
 * {@code enabled} and {@code description}.
 */
@Component(configurationPid = GatewayConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class GatewayConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);
    public static final String FACTORY_PID = "io.thingport.gateway";

    private final NetworkRuntime manager;
    private String id;

    @Activate
    public GatewayConfiguration(@Reference NetworkRuntime manager, Map<String, Object> properties) {
        this.manager = manager;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        String old = id;
        apply(properties);
        if (old != null && !old.equals(id)) {
            manager.removeGateway(old);
        }
    }

    @Deactivate
    void deactivate() {
        if (id != null) {
            manager.removeGateway(id);
        }
    }

    private void apply(Map<String, Object> properties) {
        id = FactoryConfigurations.nameOf(FACTORY_PID, properties);
        try {
            manager.configureGateway(id, FactoryConfigurations.userKeys(properties));
        } catch (ThingportException e) {
            LOG.error("Gateway {}: {}", id, e.getMessage());
        }
    }
}
