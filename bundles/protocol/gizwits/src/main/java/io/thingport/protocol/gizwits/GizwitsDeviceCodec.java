package io.thingport.protocol.gizwits;

import static io.thingport.protocol.gizwits.GizwitsActions.CONTROL;
import static io.thingport.protocol.gizwits.GizwitsActions.READ;
import static io.thingport.protocol.gizwits.GizwitsActions.READ_ACK;
import static io.thingport.protocol.gizwits.GizwitsActions.REPORT;
import static io.thingport.protocol.gizwits.GizwitsActions.TRANSPARENT_DOWN;
import static io.thingport.protocol.gizwits.GizwitsActions.TRANSPARENT_UP;
import static io.thingport.protocol.gizwits.GizwitsActions.VAR_READ;
import static io.thingport.protocol.gizwits.GizwitsActions.VAR_READ_ACK;
import static io.thingport.protocol.gizwits.GizwitsActions.VAR_REPORT;
import static io.thingport.protocol.gizwits.GizwitsActions.VAR_WRITE;
import static io.thingport.protocol.gizwits.GizwitsActions.actionName;
import static io.thingport.protocol.gizwits.GizwitsActions.frameName;

import io.thingport.api.ErrorCode;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.CodecException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The device side of Gizwits-style binary data points: the frames a device sends ({@link #encodeUplink}) and how it
 * reads the platform's downlinks ({@link #decodeDownlink}), for simulators, tests and the worked examples of the
 * generated documents. The frames are described in {@link GizwitsFrames}; the platform side is
 * {@link GizwitsBinaryCodec}. Thread-safe.
 */
public final class GizwitsDeviceCodec {
    private final GizwitsBinaryCodec layouts;

    /** A device side that lays products out with {@code layouts}' (cached) layouts. */
    public GizwitsDeviceCodec(GizwitsBinaryCodec layouts) {
        this.layouts = Objects.requireNonNull(layouts, "layouts");
    }

    /**
     * The frame a device of {@code product} sends, by the product's data format.
     * {@link ReportProperties} and {@link WritePropertiesReply} (a device answers a control by reporting its state)
     * give 0x04 / 0x14, {@link ReadPropertiesReply} 0x03 / 0x13, {@link DirectMessage} 0x06. A fixed-length frame
     * sends every point: those not given as 0 (raw). Any property, writable or not, may be given.
     *
     * @throws CodecException {@code INVALID_ARGUMENT} for an unknown property or a value that does not fit;
     *                        {@code UNSUPPORTED} for any other message
     */
    public byte[] encodeUplink(DeviceMessage message, Product product) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(product, "product");
        String cmid = message.messageId().isEmpty() ? null : message.messageId();
        if (message instanceof DirectMessage direct) {
            return GizwitsFrames.prefixed(TRANSPARENT_UP, direct.payload());
        }
        Map<String, Object> values;
        boolean ack;
        if (message instanceof ReportProperties report) {
            values = report.properties();
            ack = false;
        } else if (message instanceof WritePropertiesReply reply) {
            values = reply.properties();
            ack = false;
        } else if (message instanceof ReadPropertiesReply reply) {
            values = reply.properties();
            ack = true;
        } else {
            throw new CodecException(ErrorCode.UNSUPPORTED, "a Gizwits device sends no " + message.type().topicSuffix()
                    + " message (only reports, read acks and transparent data)", cmid);
        }
        DataPointLayout layout = layouts.layout(product);
        if (product.dataFormat() == DataFormat.FIXED) {
            Map<DataPoint, Object> raws = values.isEmpty() ? Map.of() : GizwitsFrames.raws(layout, values, product, false, cmid);
            return GizwitsFrames.writeFixed(ack ? READ_ACK : REPORT, layout, raws);
        }
        return GizwitsFrames.writeVariable(ack ? VAR_READ_ACK : VAR_REPORT, layout,
                GizwitsFrames.raws(layout, values, product, false, cmid));
    }

    /**
     * Parses a downlink frame (0x01, 0x02, 0x05, 0x11, 0x12) as a device of {@code product} would:
     * {@link WriteProperties} with the flagged points, {@link ReadProperties} with the requested points (a fixed 0x02
     * read asks for every point), {@link DirectMessage}.
     *
     * @throws CodecException {@code MALFORMED} naming what is wrong
     */
    public DeviceMessage decodeDownlink(byte[] data, Product product, String deviceId, String messageId) {
        Objects.requireNonNull(product, "product");
        String mid = messageId == null ? "" : messageId;
        String cmid = mid.isEmpty() ? null : mid;
        int action = GizwitsFrames.action(data, cmid);
        MessageHeader header = new MessageHeader(mid, product.id(), deviceId, System.currentTimeMillis(), Map.of());
        switch (action) {
            case TRANSPARENT_DOWN:
                return new DirectMessage(header, GizwitsFrames.afterAction(data));
            case CONTROL:
                return new WriteProperties(header, GizwitsFrames.readControl(layouts.layout(product), data, product, cmid));
            case VAR_WRITE:
                return new WriteProperties(header, GizwitsFrames.readVariable(layouts.layout(product), data, product,
                        frameName(action), cmid, true));
            case READ: {
                DataPointLayout layout = layouts.layout(product);
                if (data.length != 1) {
                    throw new CodecException(ErrorCode.MALFORMED, "a fixed-length read of product " + product.id()
                            + " has 1 byte, got " + data.length, cmid);
                }
                return new ReadProperties(header, layout.points().stream().map(DataPoint::id).toList());
            }
            case VAR_READ: {
                DataPointLayout layout = layouts.layout(product);
                if (data.length != 1 + layout.flagsLength()) {
                    throw new CodecException(ErrorCode.MALFORMED, "a variable-length read of product " + product.id() + " has "
                            + (1 + layout.flagsLength()) + " bytes, got " + data.length, cmid);
                }
                List<DataPoint> flagged = GizwitsFrames.flags(layout, data, product, frameName(action), cmid);
                return new ReadProperties(header, flagged.stream().map(DataPoint::id).toList());
            }
            default:
                throw new CodecException(ErrorCode.MALFORMED, "action " + actionName(action)
                        + " is not a downlink: a device receives 0x01, 0x02, 0x05, 0x11 or 0x12", cmid);
        }
    }
}
