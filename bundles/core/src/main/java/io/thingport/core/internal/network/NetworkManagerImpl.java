package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentInfo;
import io.thingport.api.network.NetworkManager;
import io.thingport.core.internal.certs.CertificateServiceImpl;
import io.thingport.core.internal.network.FactoryConfigurations.Undo;
import io.thingport.core.internal.network.NetworkRuntime.ComponentSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link NetworkManager} service: creates, changes and deletes network components by writing their configurations
 * ({@link FactoryConfigurations}) and waiting until the {@link NetworkRuntime} has applied them. A configuration the
 * runtime refuses (its component failed to start) is taken back: a refused create leaves nothing behind, a refused
 * update restores the previous configuration.
 */
@Component(service = NetworkManager.class)
public final class NetworkManagerImpl implements NetworkManager {
    private final NetworkRuntime runtime;
    private final CertificateServiceImpl certificates;
    private final FactoryConfigurations configurations;

    @Activate
    public NetworkManagerImpl(@Reference NetworkRuntime runtime, @Reference CertificateServiceImpl certificates,
                              @Reference ConfigurationAdmin configAdmin) {
        this.runtime = runtime;
        this.certificates = certificates;
        this.configurations = new FactoryConfigurations(configAdmin, NetworkComponentConfiguration.FACTORY_PID, "network component");
    }

    @Override
    public List<NetworkComponentInfo> components() {
        return runtime.components();
    }

    @Override
    public Optional<NetworkComponentInfo> component(String name) {
        return runtime.component(name);
    }

    @Override
    public Map<String, String> types() {
        return runtime.types();
    }

    @Override
    public NetworkComponentInfo create(String name, String type, Map<String, String> properties) {
        Identifiers.requireName("network component name", name);
        Map<String, String> wanted = new TreeMap<>(trimmed(properties));
        wanted.remove("name");
        String t = type == null ? "" : type.trim();
        if (wanted.containsKey("type") && !wanted.get("type").equals(t)) {
            throw ThingportException.invalidArgument("network component " + name + ": type is given twice (" + t + " and "
                    + wanted.get("type") + ")");
        }
        wanted.put("type", t);
        runtime.checkNewComponent(name, t);
        checkCertificates(name, wanted);
        Undo undo = configurations.create(name, wanted, "network component created by iot:network-create");
        ComponentSnapshot result = runtime.awaitComponent(name, wanted);
        if (result.failed()) {
            undo.run();
            runtime.awaitComponentGone(name);
            throw new ThingportException(result.error(), result.info().detail());
        }
        return result.info();
    }

    @Override
    public NetworkComponentInfo update(String name, Map<String, String> set, Set<String> unset) {
        Map<String, String> old = configurations.values(name);
        Map<String, String> wanted = new TreeMap<>(old);
        Map<String, String> changes = trimmed(set);
        if ((changes.containsKey("type") && !changes.get("type").equals(old.get("type"))) || unset.contains("type")) {
            throw ThingportException.invalidArgument("network component " + name + ": the type cannot be changed (delete the component"
                    + " and create a new one)");
        }
        if (changes.containsKey("name") || unset.contains("name")) {
            throw ThingportException.invalidArgument("network component " + name + ": the name cannot be changed");
        }
        wanted.putAll(changes);
        unset.forEach(wanted::remove);
        checkCertificates(name, wanted);
        Undo undo = configurations.change(name, wanted);
        ComponentSnapshot result = runtime.awaitComponent(name, wanted);
        if (result.failed()) {
            undo.run();
            runtime.awaitComponent(name, old);
            throw new ThingportException(result.error(), result.info().detail() + " (the previous configuration was kept)");
        }
        return result.info();
    }

    @Override
    public NetworkComponentInfo setEnabled(String name, boolean enabled) {
        return update(name, Map.of("enabled", String.valueOf(enabled)), Set.of());
    }

    @Override
    public void delete(String name) {
        configurations.values(name);
        List<String> using = runtime.gatewaysUsing(name);
        if (!using.isEmpty()) {
            throw new ThingportException(ErrorCode.CONFLICT, "network component " + name + " is used by gateway(s) "
                    + String.join(", ", using) + ": delete them or move them to another component first");
        }
        configurations.delete(name);
        runtime.awaitComponentGone(name);
    }

    /** A configuration's {@code certificate} and {@code trust} must name managed certificates. */
    private void checkCertificates(String name, Map<String, String> properties) {
        for (String key : List.of("certificate", "trust")) {
            String cert = properties.get(key);
            if (cert != null && !cert.isBlank() && certificates.find(cert).isEmpty()) {
                throw ThingportException.invalidArgument("network component " + name + ": " + key + " names certificate " + cert
                        + ", which does not exist (see iot:cert-list)");
            }
        }
    }

    private static Map<String, String> trimmed(Map<String, String> in) {
        Map<String, String> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(k.trim(), v == null ? "" : v.trim()));
        return out;
    }
}
