package io.thingport.api.message;

import java.util.Map;
import java.util.Objects;

/**
 * What every device message carries.
 *
 * @param messageId chosen by the sender, at most 64 characters; replies carry the request's id
 * @param productId the device's product
 * @param deviceId  the device the message is from or for
 * @param timestamp epoch milliseconds: the device's time when it gave one, else the platform's receive/send time
 * @param headers   transport or protocol details (e.g. {@code topic}, {@code qos}); never null
 */
public record MessageHeader(String messageId, String productId, String deviceId, long timestamp, Map<String, String> headers) {
    public static final int MAX_MESSAGE_ID_LENGTH = 64;

    public MessageHeader {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(deviceId, "deviceId");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static MessageHeader of(String messageId, String productId, String deviceId, long timestamp) {
        return new MessageHeader(messageId, productId, deviceId, timestamp, Map.of());
    }
}
