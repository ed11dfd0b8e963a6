package io.thingport.bridge.onenet;

import java.util.Objects;

/**
 * OneNET Studio {@code messageType "lifeCycle"}: a device went online or offline.
 *
 * @param source the push and device
 * @param online {@code data.status} is {@code "online"}
 * @param time {@code data.time}, milliseconds since the epoch
 */
public record StudioLifecycle(StudioSource source, boolean online, long time) implements OneNetMessage {
    public StudioLifecycle {
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String dedupKey() {
        return DedupKeys.of(DedupParts.join(source.keyParts(), "lifeCycle", online, time));
    }
}
