package io.thingport.bridge.onenet;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Legacy push {@code type 2}: a device went online ({@code status 1}) or offline ({@code status 0}).
 *
 * @param devId the OneNET device id
 * @param online whether the device is online now
 * @param at when, milliseconds since the epoch, if given
 * @param loginType {@code login_type} if given: 1 EDP, 6 MODBUS, 7 MQTT, 10 NB-IoT (others are kept as they are)
 */
public record LegacyDeviceStatus(String devId, boolean online, OptionalLong at, OptionalInt loginType) implements OneNetMessage {
    public LegacyDeviceStatus {
        Objects.requireNonNull(devId, "devId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(loginType, "loginType");
    }

    @Override
    public String dedupKey() {
        return DedupKeys.of("onenet-legacy", 2, devId, online, at.isPresent() ? at.getAsLong() : null,
                loginType.isPresent() ? loginType.getAsInt() : null);
    }
}
