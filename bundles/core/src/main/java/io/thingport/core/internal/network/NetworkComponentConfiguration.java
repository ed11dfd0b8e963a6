package io.thingport.core.internal.network;

import io.thingport.api.ThingportException;
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
        id = nameOf(FACTORY_PID, properties);
        try {
            manager.configureComponent(id, userKeys(properties));
        } catch (ThingportException e) {
            LOG.error("Network component {}: {}", id, e.getMessage());
        }
    }

    /** The keys an operator wrote, without the ones ConfigurationAdmin, DS and fileinstall add. */
    static Map<String, String> userKeys(Map<String, ?> properties) {
        Map<String, String> values = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.") && !k.startsWith("osgi.")) {
                values.put(k, String.valueOf(v).trim());
            }
        });
        return values;
    }

    /**
     * {@code name} if set, else the configuration's name ({@code <factoryPid>~<name>}, or the {@code
     * <factoryPid>-<name>.cfg} file name).
     */
    static String nameOf(String factoryPid, Map<String, ?> properties) {
        Object name = properties.get("name");
        if (name != null && !name.toString().isBlank()) {
            return name.toString().trim();
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String f = file.toString();
            f = f.substring(f.lastIndexOf('/') + 1);
            int dot = f.lastIndexOf('.');
            if (f.startsWith(factoryPid + "-") && dot > factoryPid.length() + 1) {
                return f.substring(factoryPid.length() + 1, dot);
            }
        }
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }
}
