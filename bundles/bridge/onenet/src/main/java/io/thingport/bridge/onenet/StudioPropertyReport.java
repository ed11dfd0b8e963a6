package io.thingport.bridge.onenet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * OneNET Studio {@code messageType "notify"}, {@code notifyType "property"}: property values reported by a device.
 *
 * @param source the push and device
 * @param messageId {@code data.id}, the device's message id, if present
 * @param params property identifier → value and time, in document order (unmodifiable)
 */
public record StudioPropertyReport(StudioSource source, Optional<String> messageId, Map<String, TimedValue> params)
        implements OneNetMessage {
    public StudioPropertyReport {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    @Override
    public String dedupKey() {
        String content = params.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> JsonValues.canonical(entry.getKey()) + "=" + entry.getValue().canonical())
                .collect(Collectors.joining(","));
        return DedupKeys.of(DedupParts.join(source.keyParts(), "property", messageId.orElse(null), content));
    }
}
