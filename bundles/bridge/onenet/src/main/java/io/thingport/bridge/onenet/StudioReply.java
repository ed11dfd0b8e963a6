package io.thingport.bridge.onenet;

import java.util.Objects;
import java.util.Optional;

/**
 * OneNET Studio {@code messageType "reply"}: a device's reply to a property set or a service call. The reply's fields
 * are read from the msg's {@code data} object (the same place as for lifeCycle and notify; *unverified*).
 *
 * @param source the push and device
 * @param messageId {@code data.id}: the id of the request being answered, if present
 * @param code {@code data.code} (200 is success in OneJSON)
 * @param message {@code data.msg}, if present
 * @param data {@code data.data}, the service output if any (unmodifiable Map/List, scalar, or null)
 */
public record StudioReply(StudioSource source, Optional<String> messageId, int code, Optional<String> message, Object data)
        implements OneNetMessage {
    public StudioReply {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(message, "message");
        data = JsonValues.immutable(data);
    }

    @Override
    public String dedupKey() {
        return DedupKeys.of(DedupParts.join(source.keyParts(), "reply", messageId.orElse(null), code, message.orElse(null),
                JsonValues.canonical(data)));
    }
}
