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
import io.thingport.api.ThingportException;
import io.thingport.api.device.DataFormat;
import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.ThingModelCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The platform side of Gizwits-style binary data points (id {@code gizwits-binary}): {@link #decode} reads the frames
 * a device sends, {@link #encode} writes downlinks by the product's data format. The frames are described in
 * {@link GizwitsFrames}; the device side (simulators, tests, the worked examples of the generated documents) is
 * {@link GizwitsDeviceCodec}. Thread-safe; layouts ({@link DataPointLayout}) are cached per thing model.
 */
public final class GizwitsBinaryCodec implements ThingModelCodec {
    public static final String ID = "gizwits-binary";

    private final Map<ThingModel, DataPointLayout> layouts = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(ThingModel model) {
        layout(model);
    }

    /**
     * The layout of {@code model} (cached).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the first property that cannot be a data point
     */
    public DataPointLayout layout(ThingModel model) {
        Objects.requireNonNull(model, "model");
        DataPointLayout layout = layouts.get(model);
        if (layout == null) {
            layout = DataPointLayout.of(model);
            layouts.put(model, layout);
        }
        return layout;
    }

    /**
     * The layout of {@code product}'s thing model.
     *
     * @throws CodecException {@code UNSUPPORTED} when the thing model cannot be laid out
     */
    public DataPointLayout layout(Product product) {
        try {
            return layout(product.thingModel() == null ? ThingModel.EMPTY : product.thingModel());
        } catch (CodecException e) {
            throw e;
        } catch (ThingportException e) {
            throw new CodecException(ErrorCode.UNSUPPORTED, "the thing model of product " + product.id()
                    + " cannot be carried as Gizwits data points: " + e.getMessage());
        }
    }

    /**
     * Decodes a device's data area: 0x04 / 0x14 give a {@link ReportProperties}; 0x03 / 0x13 a successful
     * {@link ReadPropertiesReply} when {@code messageId} is not empty, else a {@link ReportProperties}; 0x06 a
     * {@link DirectMessage}. Both formats are accepted whatever the product's data format: the action says which.
     *
     * @throws CodecException {@code MALFORMED} naming the action, the length or the data point that is wrong;
     *                        {@code NOT_FOUND} without a product; {@code UNSUPPORTED} when the product's thing model
     *                        cannot be laid out
     */
    @Override
    public List<DeviceMessage> decode(byte[] data, Product product, String deviceId, String messageId) {
        String mid = messageId == null ? "" : messageId;
        String cmid = mid.isEmpty() ? null : mid;
        if (product == null) {
            throw new CodecException(ErrorCode.NOT_FOUND, "the product of device " + deviceId + " does not exist", cmid);
        }
        int action = GizwitsFrames.action(data, cmid);
        MessageHeader header = new MessageHeader(mid, product.id(), deviceId, System.currentTimeMillis(), Map.of());
        Map<String, Object> properties;
        switch (action) {
            case TRANSPARENT_UP:
                return List.of(new DirectMessage(header, GizwitsFrames.afterAction(data)));
            case REPORT:
            case READ_ACK:
                properties = GizwitsFrames.readFixed(layout(product), data, product, frameName(action), cmid);
                break;
            case VAR_REPORT:
            case VAR_READ_ACK:
                properties = GizwitsFrames.readVariable(layout(product), data, product, frameName(action), cmid, false);
                break;
            case CONTROL:
            case READ:
            case TRANSPARENT_DOWN:
            case VAR_WRITE:
            case VAR_READ:
                throw new CodecException(ErrorCode.MALFORMED, "action " + actionName(action) + " is a downlink (platform to"
                        + " device); a device sends 0x03 / 0x13 read ack, 0x04 / 0x14 report or 0x06 transparent up", cmid);
            default:
                throw new CodecException(ErrorCode.MALFORMED, String.format("unknown action 0x%02x: a device sends 0x03 / 0x13"
                        + " read ack, 0x04 / 0x14 report or 0x06 transparent up", action), cmid);
        }
        if ((action == READ_ACK || action == VAR_READ_ACK) && !mid.isEmpty()) {
            return List.of(new ReadPropertiesReply(header, true, null, null, properties));
        }
        return List.of(new ReportProperties(header, properties));
    }

    /**
     * Encodes a downlink by the product's data format: {@link WriteProperties} as 0x01 control (fixed: {@code attr_flags}
     * mark the written points, the other writable points are sent as 0) or 0x11 write (variable);
     * {@link ReadProperties} as 0x02 read (fixed: reads every point) or 0x12 read (variable: flags the requested
     * points, every point when the list is empty); {@link DirectMessage} as 0x05 followed by its bytes.
     *
     * @throws CodecException {@code INVALID_ARGUMENT} naming a read-only or unknown property or a value that does not
     *                        fit; {@code UNSUPPORTED} for any other message
     */
    @Override
    public byte[] encode(DeviceMessage message, Product product) {
        Objects.requireNonNull(message, "message");
        String cmid = message.messageId().isEmpty() ? null : message.messageId();
        if (message instanceof DirectMessage direct) {
            return GizwitsFrames.prefixed(TRANSPARENT_DOWN, direct.payload());
        }
        if (!(message instanceof WriteProperties) && !(message instanceof ReadProperties)) {
            throw new CodecException(ErrorCode.UNSUPPORTED, "Gizwits data points carry no " + message.type().topicSuffix()
                    + " message to a device (only property writes, property reads and transparent data)", cmid);
        }
        if (product == null) {
            throw new CodecException(ErrorCode.NOT_FOUND, "the product of device " + message.deviceId() + " does not exist",
                    cmid);
        }
        DataPointLayout layout = layout(product);
        boolean fixed = product.dataFormat() == DataFormat.FIXED;
        if (message instanceof WriteProperties write) {
            Map<DataPoint, Object> raws = GizwitsFrames.raws(layout, write.properties(), product, true, cmid);
            return fixed ? GizwitsFrames.writeControl(layout, raws) : GizwitsFrames.writeVariable(VAR_WRITE, layout, raws);
        }
        List<String> ids = ((ReadProperties) message).properties();
        List<DataPoint> points = new ArrayList<>();
        for (String id : ids) {
            points.add(layout.point(id).orElseThrow(() -> new CodecException(ErrorCode.INVALID_ARGUMENT,
                    "product " + product.id() + " has no data point " + id, cmid)));
        }
        if (fixed) {
            return new byte[] {READ};
        }
        return GizwitsFrames.writeVariableRead(layout, points.isEmpty() ? layout.points() : points);
    }

    @Override
    public Map<String, String> documents(Product product) {
        DataPointLayout layout;
        try {
            layout = layout(product.thingModel() == null ? ThingModel.EMPTY : product.thingModel());
        } catch (ThingportException e) {
            throw ThingportException.invalidArgument("product " + product.id() + ": " + e.getMessage());
        }
        return GizwitsDocuments.generate(product, layout, this);
    }
}
