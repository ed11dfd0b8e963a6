package io.thingport.bridge.ctwing;

import io.thingport.api.device.DeviceService;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code ctwing} network component type: the CTWing (China Telecom AEP) cloud bridge. Its component is the HTTP
 * server CTWing pushes to; each CTWing device appears to the platform as a brokered connection, and commands sent to
 * it go to the CTWing API. Keys and defaults: see {@link CtwingSettings}; behaviour: see {@link CtwingComponent}.
 *
 * <p>The {@link DeviceService} is optional: it is needed only by components with {@code autoRegister = true}.
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + CtwingProvider.TYPE)
public final class CtwingProvider implements NetworkComponentProvider {
    public static final String TYPE = "ctwing";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceService deviceService;

    public CtwingProvider() {
    }

    /** A provider outside OSGi (tests): {@code deviceService} may be {@code null}. */
    public CtwingProvider(DeviceService deviceService) {
        this.deviceService = deviceService;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Transport transport() {
        return Transport.HTTP;
    }

    @Override
    public NetworkComponent start(NetworkComponentConfig config, TransportListener listener) {
        return CtwingComponent.start(config, CtwingSettings.from(config), listener, () -> deviceService);
    }
}
