package io.thingport.protocol.gizwits;

import io.thingport.api.ErrorCode;
import io.thingport.api.TopicFilters;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Gizwits protocol's MQTT topics; payloads are data areas of {@link GizwitsBinaryCodec}.
 *
 * <ul>
 *   <li>{@code dev2app/{deviceId}}: reports (0x04 / 0x14, also 0x03 / 0x13) and transparent data (0x06);</li>
 *   <li>{@code dev2app/{deviceId}/{messageId}}: the answer to the downlink {@code messageId}: a read ack (0x03 / 0x13)
 *       gives a read reply, a report (0x04 / 0x14) a write reply with the reported state;</li>
 *   <li>{@code app2dev/{deviceId}/{messageId}}: downlinks (0x01 / 0x11 write, 0x02 / 0x12 read, 0x05 transparent).</li>
 * </ul>
 */
public final class GizwitsMqttCodec implements DeviceCodec {
    public static final String UPLINK_PREFIX = "dev2app/";
    public static final String DOWNLINK_PREFIX = "app2dev/";
    /** The last topic level of a transparent downlink that has no message id. */
    public static final String DIRECT_LEVEL = "direct";

    private final GizwitsBinaryCodec codec;

    public GizwitsMqttCodec(GizwitsBinaryCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
        String topic = message.topic();
        if (!topic.startsWith(UPLINK_PREFIX)) {
            if (topic.startsWith(DOWNLINK_PREFIX)) {
                throw new CodecException(ErrorCode.FORBIDDEN, "a device may not publish to " + topic + ": app2dev/... topics carry"
                        + " downlinks; publish to " + UPLINK_PREFIX + session.deviceId() + "[/{messageId}]");
            }
            throw new CodecException(ErrorCode.UNSUPPORTED_TOPIC, "unknown topic " + topic + ": a device publishes to "
                    + UPLINK_PREFIX + session.deviceId() + " or " + UPLINK_PREFIX + session.deviceId() + "/{messageId}");
        }
        String[] levels = topic.substring(UPLINK_PREFIX.length()).split("/", -1);
        if (!levels[0].equals(session.deviceId())) {
            throw new CodecException(ErrorCode.FORBIDDEN, "topic " + topic + " is outside this device's topics "
                    + UPLINK_PREFIX + session.deviceId() + "[/{messageId}]");
        }
        if (session.registrationOnly()) {
            throw new CodecException(ErrorCode.FORBIDDEN, "the Gizwits protocol has no dynamic registration");
        }
        if (levels.length > 2 || (levels.length == 2 && levels[1].isEmpty())) {
            throw new CodecException(ErrorCode.UNSUPPORTED_TOPIC, "unknown topic " + topic + ": a device publishes to "
                    + UPLINK_PREFIX + session.deviceId() + " or " + UPLINK_PREFIX + session.deviceId() + "/{messageId}");
        }
        String messageId = levels.length == 2 ? levels[1] : "";
        if (messageId.length() > MessageHeader.MAX_MESSAGE_ID_LENGTH) {
            throw new CodecException(ErrorCode.MALFORMED, "the message id in topic " + topic + " is longer than "
                    + MessageHeader.MAX_MESSAGE_ID_LENGTH + " characters");
        }
        byte[] data = message.payload();
        if (data.length > 0 && (data[0] & 0xFF) == GizwitsActions.TRANSPARENT_UP) {
            // Transparent data needs no layout: it passes even when the product is not at hand.
            MessageHeader header = new MessageHeader(messageId, session.productId(), session.deviceId(),
                    System.currentTimeMillis(), Map.of());
            return List.of(new DirectMessage(header, Arrays.copyOfRange(data, 1, data.length)));
        }
        Product product = product(session, messageId.isEmpty() ? null : messageId);
        List<DeviceMessage> decoded = codec.decode(data, product, session.deviceId(), messageId);
        if (messageId.isEmpty()) {
            return decoded;
        }
        return decoded.stream().map(m -> m instanceof ReportProperties r
                ? (DeviceMessage) new WritePropertiesReply(r.header(), true, null, null, r.properties()) : m).toList();
    }

    @Override
    public EncodedMessage encode(DeviceMessage message, CodecSession session) {
        String messageId = message.messageId();
        String cmid = messageId.isEmpty() ? null : messageId;
        String level;
        if (message instanceof DirectMessage) {
            level = messageId.isEmpty() ? DIRECT_LEVEL : messageId;
        } else if (message instanceof WriteProperties || message instanceof ReadProperties) {
            if (messageId.isEmpty()) {
                throw new CodecException(ErrorCode.INVALID_ARGUMENT, "a Gizwits downlink needs a message id: it is the last level"
                        + " of its topic " + DOWNLINK_PREFIX + session.deviceId() + "/{messageId}");
            }
            level = messageId;
        } else {
            throw new CodecException(ErrorCode.UNSUPPORTED, "the Gizwits protocol sends no " + message.type().topicSuffix()
                    + " message to devices (only property writes, property reads and transparent data)", cmid);
        }
        if (level.contains("/") || level.contains("+") || level.contains("#")) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, "message id " + level + " cannot be a topic level (it contains"
                    + " / + or #)", cmid);
        }
        byte[] payload = message instanceof DirectMessage ? codec.encode(message, null) : codec.encode(message, product(session, cmid));
        return new EncodedMessage(DOWNLINK_PREFIX + session.deviceId() + "/" + level, payload, Map.of());
    }

    /** Only filters for one level below the device's own downlink prefix: {@code app2dev/{deviceId}/#}, {@code /+} or an id. */
    @Override
    public boolean maySubscribe(String topicFilter, CodecSession session) {
        String prefix = DOWNLINK_PREFIX + session.deviceId() + "/";
        if (session.registrationOnly() || !TopicFilters.isValid(topicFilter) || !topicFilter.startsWith(prefix)) {
            return false;
        }
        String rest = topicFilter.substring(prefix.length());
        return !rest.isEmpty() && !rest.contains("/");
    }

    private static Product product(CodecSession session, String cmid) {
        Optional<Product> product = session.product();
        if (product.isEmpty()) {
            throw new CodecException(ErrorCode.NOT_FOUND, "product " + session.productId() + " of device " + session.deviceId()
                    + " is not available: its data point layout is unknown", cmid);
        }
        return product.get();
    }
}
