package io.thingport.api.protocol;

import io.thingport.api.device.Product;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.model.ThingModel;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Lays out a product's thing-model properties as compact binary data points (Gizwits style), independent of the
 * transport framing around them. A protocol offers one through {@link ProtocolSupport#thingModelCodec()}; its
 * {@link DeviceCodec} uses it for payloads, and the shell generates the device-side documents from it.
 *
 * <p>Threading: thread-safe and non-blocking, like a {@link DeviceCodec}.
 */
@ConsumerType
public interface ThingModelCodec {
    /** Stable id (e.g. {@code gizwits-binary}). */
    String id();

    /**
     * Checks that every property of {@code model} can be carried.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} naming the first property that cannot
     */
    void check(ThingModel model);

    /**
     * Decodes one data area sent by a device of {@code product}.
     *
     * @param messageId the id the transport framing carries, or {@code ""}
     * @throws CodecException {@code MALFORMED} naming the byte or the data point that is wrong
     */
    List<DeviceMessage> decode(byte[] data, Product product, String deviceId, String messageId);

    /**
     * Encodes a downlink (write or read properties) for a device of {@code product}.
     *
     * @throws CodecException {@code UNSUPPORTED} for a message the layout cannot express
     */
    byte[] encode(DeviceMessage message, Product product);

    /**
     * The device-side documents for {@code product}: file name to content (e.g. a markdown protocol description and
     * a C header with the layout and constants).
     */
    Map<String, String> documents(Product product);
}
