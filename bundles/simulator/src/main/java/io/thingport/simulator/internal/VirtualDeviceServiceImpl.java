package io.thingport.simulator.internal;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.Product;
import io.thingport.api.simulation.VirtualDeviceInfo;
import io.thingport.api.simulation.VirtualDeviceOptions;
import io.thingport.api.simulation.VirtualDeviceService;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running virtual devices, bounded by {@link Limits#maxVirtualDevices()}; all stop with this component. */
@Component(service = VirtualDeviceService.class)
public final class VirtualDeviceServiceImpl implements VirtualDeviceService {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualDeviceServiceImpl.class);

    private final SimulatorEngine engine;
    private final ConcurrentSkipListMap<String, VirtualDevice> running = new ConcurrentSkipListMap<>();

    @Activate
    public VirtualDeviceServiceImpl(@Reference SimulatorEngine engine) {
        this.engine = engine;
    }

    @Deactivate
    void deactivate() {
        running.values().forEach(VirtualDevice::stop);
        running.clear();
    }

    @Override
    public synchronized VirtualDeviceInfo start(String deviceId, VirtualDeviceOptions options) {
        Objects.requireNonNull(deviceId, "deviceId");
        VirtualDeviceOptions o = options == null ? VirtualDeviceOptions.defaults() : options;
        if (running.containsKey(deviceId)) {
            throw new ThingportException(ErrorCode.CONFLICT, "device " + deviceId
                    + " is a virtual device already (iot:virtual-device-list)");
        }
        engine.limits.checkCapacity(running.size());
        Limits.checkInterval(o.interval());
        Device device = engine.devices.getDevice(deviceId);
        Product product = engine.products.getProduct(device.productId());
        Map<String, Object> fixed = o.values().isEmpty() ? Map.of() : product.thingModel().checkReported(o.values());
        MqttTargets.Target target = engine.target(product);
        VirtualDevice d = new VirtualDevice(deviceId, product, fixed, o.interval(), engine, target, VirtualDevice.Observer.NONE);
        running.put(deviceId, d);
        d.start();
        LOG.info("Virtual device {} started on {} (every {} ms)", deviceId, target.component(), o.interval().toMillis());
        return d.info();
    }

    @Override
    public void stop(String deviceId) {
        VirtualDevice d = running.remove(deviceId);
        if (d == null) {
            throw notVirtual(deviceId);
        }
        d.stop();
        LOG.info("Virtual device {} stopped", deviceId);
    }

    @Override
    public List<VirtualDeviceInfo> list() {
        return running.values().stream().map(VirtualDevice::info).toList();
    }

    @Override
    public Optional<VirtualDeviceInfo> find(String deviceId) {
        return Optional.ofNullable(running.get(deviceId)).map(VirtualDevice::info);
    }

    @Override
    public VirtualDeviceInfo set(String deviceId, Map<String, Object> values) {
        VirtualDevice d = require(deviceId);
        if (values == null || values.isEmpty()) {
            throw ThingportException.invalidArgument("give at least one property value (name=value)");
        }
        d.set(values);
        return d.info();
    }

    @Override
    public VirtualDeviceInfo raiseEvent(String deviceId, String eventId, Object data) {
        VirtualDevice d = require(deviceId);
        d.raiseEvent(Objects.requireNonNull(eventId, "eventId"), data);
        return d.info();
    }

    private VirtualDevice require(String deviceId) {
        VirtualDevice d = running.get(deviceId);
        if (d == null) {
            throw notVirtual(deviceId);
        }
        return d;
    }

    private static ThingportException notVirtual(String deviceId) {
        return new ThingportException(ErrorCode.NOT_FOUND, "device " + deviceId + " is not a running virtual device"
                + " (iot:virtual-device-start " + deviceId + ")");
    }
}
