package io.thingport.api.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Devices, their state and their stored properties. Every method validates its input whole and either applies all
 * of it or nothing.
 */
@ProviderType
public interface DeviceService {
    CreatedDevice createDevice(NewDevice device);

    /**
     * Creates many devices of one product at once. Every row is checked first; if any row is wrong (bad id,
     * duplicate, existing device) nothing is created and the exception lists every wrong row by line number.
     */
    List<CreatedDevice> importDevices(String productId, String content, ImportFormat format);

    Optional<Device> findDevice(String deviceId);

    /** @throws io.thingport.api.ThingportException {@code NOT_FOUND} */
    Device getDevice(String deviceId);

    /** @param productId only this product's devices, or {@code null} for all */
    List<Device> listDevices(String productId);

    /** Deletes the device, its stored properties and its log; closes its connection if online. */
    void deleteDevice(String deviceId);

    /** Disabling closes the device's connection and refuses its next logins. */
    Device setEnabled(String deviceId, boolean enabled);

    /** Generates a new secret (the old one stops working at once) and returns it. */
    String rotateSecret(String deviceId);

    /** The latest stored value of every property the device has reported. */
    Map<String, PropertyValue> latestProperties(String deviceId);

    /** Stored values of one property, newest first. */
    List<PropertyValue> propertyHistory(String deviceId, String property, int limit);
}
