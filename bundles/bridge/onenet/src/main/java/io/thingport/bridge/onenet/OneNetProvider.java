package io.thingport.bridge.onenet;

import io.thingport.api.device.DeviceService;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.NetworkComponentProvider;
import io.thingport.api.network.TransportListener;
import io.thingport.api.protocol.Transport;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code onenet} network component type: the OneNET (China Mobile) cloud bridge. Its component is the HTTP server
 * OneNET pushes to; each OneNET device is a brokered connection of the platform. Keys: see {@link OneNetSettings};
 * behaviour: see {@link OneNetComponent}. The {@link DeviceService} is used only to create unknown devices
 * ({@code autoRegister=true}).
 */
@Component(service = NetworkComponentProvider.class, property = "type=" + OneNetProvider.TYPE)
public final class OneNetProvider implements NetworkComponentProvider {
    public static final String TYPE = "onenet";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeviceService deviceService;

    public OneNetProvider() {
    }

    /** For tests: a provider with this device service (or none). */
    OneNetProvider(DeviceService deviceService) {
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
        return OneNetComponent.start(config, OneNetSettings.from(config), listener, () -> Optional.ofNullable(deviceService));
    }
}
