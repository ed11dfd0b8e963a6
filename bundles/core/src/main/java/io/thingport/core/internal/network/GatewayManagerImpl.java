package io.thingport.core.internal.network;

import io.thingport.api.network.GatewayInfo;
import io.thingport.api.network.GatewayManager;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link GatewayManager} service; the gateways live in {@link NetworkManagerImpl} beside the components they use. */
@Component(service = GatewayManager.class)
public final class GatewayManagerImpl implements GatewayManager {
    private final NetworkManagerImpl manager;

    @Activate
    public GatewayManagerImpl(@Reference NetworkManagerImpl manager) {
        this.manager = manager;
    }

    @Override
    public List<String> types() {
        return NetworkManagerImpl.GATEWAY_TYPES;
    }

    @Override
    public List<GatewayInfo> gateways() {
        return manager.gatewayList();
    }

    @Override
    public Optional<GatewayInfo> gateway(String name) {
        return manager.gateway(name);
    }

    @Override
    public GatewayInfo create(String name, String type, String network, String protocol, String description) {
        return manager.createGateway(name, type, network, protocol, description);
    }

    @Override
    public GatewayInfo update(String name, String network, String protocol, String description) {
        return manager.updateGateway(name, network, protocol, description);
    }

    @Override
    public GatewayInfo setEnabled(String name, boolean enabled) {
        return manager.setGatewayEnabled(name, enabled);
    }

    @Override
    public void delete(String name) {
        manager.deleteGateway(name);
    }
}
