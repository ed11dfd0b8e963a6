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
 * One network component configuration: a factory configuration of {@code io.thingport.network}, usually the file
 * {@code etc/io.thingport.network-<name>.cfg}. Editing the file reconfigures the component at run time; deleting it
 * stops the component.
 */
@Component(configurationPid = NetworkComponentConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class NetworkComponentConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkComponentConfiguration.class);
    public static final String FACTORY_PID = "io.thingport.network";

    private final NetworkRuntime manager;
    private String id;

    @Activate
    public NetworkComponentConfiguration(@Reference NetworkRuntime manager, Map<String, Object> properties) {
        this.manager = manager;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        String old = id;
        apply(properties);
        if (old != null && !old.equals(id)) {
            manager.removeComponent(old);
        }
    }

    @Deactivate
    void deactivate() {
        if (id != null) {
            manager.removeComponent(id);
        }
    }

    private void apply(Map<String, Object> properties) {
        id = FactoryConfigurations.nameOf(FACTORY_PID, properties);
        try {
            manager.configureComponent(id, FactoryConfigurations.userKeys(properties));
        } catch (ThingportException e) {
            LOG.error("Network component {}: {}", id, e.getMessage());
        }
    }
}
