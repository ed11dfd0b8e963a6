package io.thingport.api.device;

import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's internal event topic: every device message the platform accepted (after it is stored) and every
 * online/offline, on the topic {@code /device/{productId}/{deviceId}/{type}} where {@code type} is the message's
 * {@link io.thingport.api.message.MessageType#topicSuffix()} ({@code properties/report}, {@code event/{eventId}},
 * {@code function/invoke/reply}, {@code online}, {@code offline}, {@code error}: the refusal a device got for a message
 * it may not send or that broke the thing model, ...), and the platform's own alarm transitions as events with the id
 * {@link AlarmService#EVENT_ID} ({@code event/$alarm}). Rules and bridges subscribe here.
 */
@ProviderType
public interface DeviceEventBus {
    /**
     * Delivers every event whose topic matches {@code topicFilter} (MQTT wildcards: {@code +} one level, {@code #} the
     * rest, e.g. {@code /device/thermo/#}) until the returned handle is closed. The listener is called on a platform
     * thread, in the order the events were stored, and must return quickly; an exception it throws is logged and
     * the subscription is kept.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} for a malformed filter
     */
    AutoCloseable subscribe(String topicFilter, BiConsumer<String, DeviceMessage> listener);

    /** The topic of a message: {@code /device/{productId}/{deviceId}/{type}}. */
    static String topicOf(DeviceMessage message) {
        String type = message instanceof DeviceEvent e
                ? "event/" + e.eventId() : message.type().topicSuffix();
        return "/device/" + message.productId() + "/" + message.deviceId() + "/" + type;
    }
}
