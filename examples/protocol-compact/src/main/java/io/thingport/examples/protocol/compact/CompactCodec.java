package io.thingport.examples.protocol.compact;

import static io.thingport.examples.protocol.compact.CompactFrames.EVENT;
import static io.thingport.examples.protocol.compact.CompactFrames.LOGIN;
import static io.thingport.examples.protocol.compact.CompactFrames.LOGIN_ACCEPTED;
import static io.thingport.examples.protocol.compact.CompactFrames.LOGIN_BAD_CREDENTIALS;
import static io.thingport.examples.protocol.compact.CompactFrames.LOGIN_NOT_AUTHORIZED;
import static io.thingport.examples.protocol.compact.CompactFrames.LOGIN_REPLY;
import static io.thingport.examples.protocol.compact.CompactFrames.REPORT;
import static io.thingport.examples.protocol.compact.CompactFrames.WRITE;
import static io.thingport.examples.protocol.compact.CompactFrames.WRITE_REPLY;
import static io.thingport.examples.protocol.compact.CompactFrames.hex;

import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The compact protocol's frames (after the login): REPORT, EVENT and WRITE_REPLY uplinks, WRITE downlinks, and the
 * LOGIN_REPLY. Stateless and thread-safe.
 */
final class CompactCodec implements DeviceCodec {
    static final String TOPIC_REPORT = "compact/report";
    static final String TOPIC_EVENT = "compact/event";
    static final String TOPIC_WRITE_REPLY = "compact/write-reply";
    static final String TOPIC_UNKNOWN = "compact/unknown";

    private final LongSupplier clock;

    CompactCodec() {
        this(System::currentTimeMillis);
    }

    /** @param clock the receive time stamped on uplinks (the device sends none), in epoch milliseconds */
    CompactCodec(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
        FrameReader r = new FrameReader(message.payload());
        int type = r.u8("the frame type");
        switch (type) {
            case REPORT:
                return List.of(report(r, session));
            case EVENT:
                return List.of(event(r, session));
            case WRITE_REPLY:
                return List.of(writeReply(r, session));
            default:
                String hint = type == LOGIN ? " (LOGIN is only valid as the first frame of a connection)"
                        : type == WRITE || type == LOGIN_REPLY ? " (a platform-to-device frame)" : "";
                throw r.malformed(0, "expected the frame type 0x02 REPORT, 0x03 EVENT or 0x11 WRITE_REPLY, found "
                        + hex(type) + hint);
        }
    }

    /** {@code 0x02 [u32 seq][u8 count] count × ([u8 idLen][id][u8 tag][value])}. */
    private ReportProperties report(FrameReader r, CodecSession session) {
        String messageId = Long.toString(r.u32("the sequence number"));
        r.messageId(messageId);
        int count = r.u8("the property count");
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            int at = r.offset();
            String id = r.shortString("the id of property " + i + " of " + count);
            Object value = CompactFrames.readValue(r, "property " + id);
            if (properties.putIfAbsent(id, value) != null) {
                throw r.malformed(at, "expected property " + i + " of " + count + ", found property " + id + " again");
            }
        }
        r.end(count + " propert" + (count == 1 ? "y" : "ies"));
        return new ReportProperties(header(messageId, session), properties);
    }

    /** {@code 0x03 [u32 seq][u8 idLen][eventId][u8 tag][value]}. */
    private DeviceEvent event(FrameReader r, CodecSession session) {
        String messageId = Long.toString(r.u32("the sequence number"));
        r.messageId(messageId);
        String eventId = r.shortString("the event id");
        Object data = CompactFrames.readValue(r, "event " + eventId);
        r.end("the value of event " + eventId);
        return new DeviceEvent(header(messageId, session), eventId, data);
    }

    /** {@code 0x11 [u8 idLen][messageId][u8 status]}: 0 ok, anything else failed. */
    private WritePropertiesReply writeReply(FrameReader r, CodecSession session) {
        String messageId = r.shortString("the message id");
        r.messageId(messageId);
        int status = r.u8("the status");
        r.end("the status");
        MessageHeader header = header(messageId, session);
        if (status == 0) {
            return new WritePropertiesReply(header, true, null, null, Map.of());
        }
        return new WritePropertiesReply(header, false, Integer.toString(status),
                "the device refused the write (status " + status + ")", Map.of());
    }

    private MessageHeader header(String messageId, CodecSession session) {
        return MessageHeader.of(messageId, session.productId(), session.deviceId(), clock.getAsLong());
    }

    @Override
    public EncodedMessage encode(DeviceMessage message, CodecSession session) {
        if (message instanceof WriteProperties w) {
            return new EncodedMessage("", write(w), Map.of());
        }
        throw new CodecException(ErrorCode.UNSUPPORTED, "the compact protocol cannot carry " + message.type()
                + " messages (its only downlink is WRITE, for property writes)", message.messageId());
    }

    /** {@code 0x10 [u8 idLen][messageId][u8 count] count × ([u8 idLen][id][u8 tag][value])}. */
    static byte[] write(WriteProperties message) {
        String messageId = message.messageId();
        Map<String, Object> properties = message.properties();
        if (properties.isEmpty() || properties.size() > 0xFF) {
            throw new CodecException(ErrorCode.INVALID_ARGUMENT, "a WRITE carries 1..255 properties, not "
                    + properties.size(), messageId);
        }
        FrameWriter w = new FrameWriter().u8(WRITE);
        CompactFrames.writeShortString(w, messageId, "the message id", messageId);
        w.u8(properties.size());
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            CompactFrames.writeShortString(w, p.getKey(), "property id", messageId);
            CompactFrames.writeValue(w, p.getKey(), p.getValue(), messageId);
        }
        return w.toByteArray();
    }

    /** TCP devices never subscribe. */
    @Override
    public boolean maySubscribe(String topicFilter, CodecSession session) {
        return false;
    }

    /** {@code 0x81 [u8 status]}: 0 accepted, 1 bad credentials, 2 not authorized. */
    @Override
    public Optional<EncodedMessage> loginReply(AuthResult result) {
        int status;
        if (result.accepted()) {
            status = LOGIN_ACCEPTED;
        } else if (result.failure() != null && result.failure().badCredentials()) {
            status = LOGIN_BAD_CREDENTIALS;
        } else {
            status = LOGIN_NOT_AUTHORIZED;
        }
        return Optional.of(new EncodedMessage("", new byte[] {(byte) LOGIN_REPLY, (byte) status}, Map.of()));
    }

    /** A name for the frame's type, for the device log (frames carry no topic). */
    @Override
    public String topicOf(EncodedMessage message) {
        byte[] frame = message.payload();
        if (frame.length == 0) {
            return TOPIC_UNKNOWN;
        }
        switch (frame[0] & 0xFF) {
            case REPORT:
                return TOPIC_REPORT;
            case EVENT:
                return TOPIC_EVENT;
            case WRITE_REPLY:
                return TOPIC_WRITE_REPLY;
            default:
                return TOPIC_UNKNOWN;
        }
    }
}
