package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.Product;
import io.thingport.api.device.TopologyService;
import io.thingport.core.internal.gateway.DeviceSessions;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sub-device bindings for operators ({@link TopologyService}) and for gateways' connections: whether a message a
 * gateway sent speaks for one of its sub-devices ({@link #boundChild}), and a gateway registering a new sub-device
 * ({@link #registerChild}).
 */
@Component(service = {TopologyService.class, TopologyServiceImpl.class})
public final class TopologyServiceImpl implements TopologyService {
    private final DeviceServiceImpl devices;
    private final ProductServiceImpl products;
    private final DeviceSessions sessions;

    @Activate
    public TopologyServiceImpl(@Reference DeviceServiceImpl devices, @Reference ProductServiceImpl products,
                               @Reference DeviceSessions sessions) {
        this.devices = devices;
        this.products = products;
        this.sessions = sessions;
    }

    @Override
    public void bind(String gatewayId, String childId) {
        devices.topology().bind(gatewayId, childId, System.currentTimeMillis());
    }

    @Override
    public void unbind(String childId) {
        String gateway = devices.topology().unbind(childId);
        sessions.find(childId).filter(s -> s.parent().filter(p -> p.deviceId().equals(gateway)).isPresent())
                .ifPresent(s -> s.close("unbound from gateway " + gateway));
    }

    @Override
    public Optional<String> gatewayOf(String deviceId) {
        devices.getDevice(deviceId);
        return devices.topology().gatewayOf(deviceId);
    }

    @Override
    public List<String> children(String gatewayId) {
        devices.getDevice(gatewayId);
        return devices.topology().children(gatewayId);
    }

    /**
     * The sub-device {@code childId} if it is bound to {@code gatewayId} (blocking: it may load the device).
     */
    public Optional<DeviceRecord> boundChild(String gatewayId, String childId) {
        return devices.topology().gatewayOf(childId).filter(gatewayId::equals).flatMap(g -> devices.record(childId));
    }

    /**
     * A gateway registers a sub-device in a product that allows registration: creates and binds it, or confirms a
     * sub-device it has already (blocking). All or nothing: a device created here and then refused the binding is
     * deleted again.
     *
     * @throws ThingportException {@code NOT_FOUND} for an unknown product, {@code FORBIDDEN} when the product does not
     *                            allow registration, {@code CONFLICT} for a device that exists and is not this gateway's
     *                            sub-device in that product, what {@link #bind} throws
     */
    public void registerChild(String gatewayId, String childId, String productId) {
        Product product = products.getProduct(productId);
        if (!product.dynamicRegistration()) {
            throw new ThingportException(ErrorCode.FORBIDDEN, "product " + productId
                    + " does not allow registration (iot:product-registration " + productId + " on)");
        }
        Optional<DeviceRecord> existing = devices.record(childId);
        if (existing.isPresent()) {
            boolean mine = existing.get().productId().equals(productId)
                    && devices.topology().gatewayOf(childId).filter(gatewayId::equals).isPresent();
            if (!mine) {
                throw new ThingportException(ErrorCode.CONFLICT, "device " + childId + " exists and is not a sub-device of gateway "
                        + gatewayId + " in product " + productId + ": an operator binds it (iot:device-bind)");
            }
            return;
        }
        devices.createDevice(new NewDevice(childId, productId, null, null));
        try {
            bind(gatewayId, childId);
        } catch (RuntimeException e) {
            devices.deleteDevice(childId);
            throw e;
        }
    }
}
