package io.thingport.api.device;

import java.util.List;

/**
 * One page of a {@link DeviceQuery}: its devices by id, and the cursor of the next page ({@code null} on the last).
 * Since 1.3.
 */
public record DevicePage(List<Device> devices, String next) {
    public DevicePage {
        devices = List.copyOf(devices);
    }
}
