package io.thingport.bridge.onenet;

import java.util.Objects;

/**
 * Legacy push {@code type 1}: one data point of a device.
 *
 * @param devId the OneNET device id ({@code dev_id}, a number on the wire, kept as its decimal text)
 * @param dsId the data stream id ({@code ds_id}), e.g. {@code temperature} or {@code 3303_0_5700}
 * @param at the time of the data point, milliseconds since the epoch
 * @param value the value: {@link Number}, {@link String}, {@link Boolean}, an unmodifiable Map or List, or null
 */
public record LegacyDataPoint(String devId, String dsId, long at, Object value) implements OneNetMessage {
    public LegacyDataPoint {
        Objects.requireNonNull(devId, "devId");
        Objects.requireNonNull(dsId, "dsId");
        value = JsonValues.immutable(value);
    }

    @Override
    public String dedupKey() {
        return DedupKeys.of("onenet-legacy", 1, devId, dsId, at, JsonValues.canonical(value));
    }
}
