package io.thingport.core.internal.network;

import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import java.util.LinkedHashMap;
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

    private final NetworkManagerImpl manager;
    private String id;

    @Activate
    public NetworkComponentConfiguration(@Reference NetworkManagerImpl manager, Map<String, Object> properties) {
        this.manager = manager;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        String old = id;
        apply(properties);
        if (old != null && !old.equals(id)) {
            manager.remove(old);
        }
    }

    @Deactivate
    void deactivate() {
        if (id != null) {
            manager.remove(id);
        }
    }

    private void apply(Map<String, Object> properties) {
        id = nameOf(properties);
        Map<String, String> values = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.") && !k.startsWith("osgi.")) {
                values.put(k, String.valueOf(v));
            }
        });
        String type = values.get("type");
        if (type == null || type.isBlank()) {
            LOG.error("Network component {}: the configuration has no 'type' (e.g. type = mqtt-server); ignored", id);
            manager.remove(id);
            return;
        }
        try {
            manager.configure(new NetworkComponentConfig(id, type.trim(), values));
        } catch (ThingportException e) {
            LOG.error("Network component {}: {}", id, e.getMessage());
        }
    }

    /** {@code name} if set, else the configuration's name ({@code io.thingport.network~mqtt} or the file name). */
    static String nameOf(Map<String, Object> properties) {
        Object name = properties.get("name");
        if (name != null && !name.toString().isBlank()) {
            return name.toString().trim();
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String f = file.toString();
            f = f.substring(f.lastIndexOf('/') + 1);
            int dash = f.indexOf('-');
            int dot = f.lastIndexOf('.');
            if (f.startsWith(FACTORY_PID + "-") && dot > dash) {
                return f.substring(dash + 1, dot);
            }
        }
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }
}
