package io.thingport.core.internal.pipeline;

import io.thingport.api.device.LogType;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.gateway.DeviceSession;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the {@link UplinkRoute} reads and changes outside itself: the thing models it checks against, the
 * property store, the device log, the device it answers, the commands waiting for replies and the internal event
 * topic. {@link PlatformUplinkEffects} is the platform's; a test passes a fake.
 */
interface UplinkEffects {
    /** The thing model of a product; {@code NOT_FOUND} when the product does not exist. */
    ThingModel thingModel(String productId);

    /**
     * Stores a checked uplink as one atomic write: its device-log entry and its property values commit together or not
     * at all. Completes with {@code true} once that is durable, with {@code false} when the same message (device,
     * message id, timestamp) was stored before and nothing was written again (a resend); fails with {@code NOT_FOUND}
     * when the session's device was deleted meanwhile (nothing written) or {@code UNAVAILABLE} when storage is full.
     */
    CompletableFuture<Boolean> store(DeviceSession session, DeviceMessage checked, EncodedMessage raw);

    /** Writes a device-log entry; completes when it is committed. */
    CompletableFuture<Void> log(LogType type, String deviceId, String productId, String messageType, String messageId, String topic,
                                String raw, String decoded, String detail);

    /** Encodes and sends a message to the device of a session; fails when it cannot be encoded or written. */
    CompletableFuture<Void> deliver(DeviceSession session, DeviceMessage message);

    /** Hands a reply to the command waiting for it, if one is. */
    void complete(DeviceReply reply);

    /** Publishes a stored message on the internal event topic. */
    void publish(DeviceMessage message);
}
