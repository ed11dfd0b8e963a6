package io.thingport.core.internal.pipeline;

import io.thingport.api.device.LogType;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The uplink route's effects on the platform: products, devices, the device log, the message sender and the event bus. */
record PlatformUplinkEffects(ProductServiceImpl products, DeviceServiceImpl devices, DeviceLogServiceImpl deviceLog,
                             DeviceMessageSenderImpl sender,
                             DeviceEventBusImpl events) implements UplinkEffects {

    @Override
    public ThingModel thingModel(String productId) {
        return products.getProduct(productId).thingModel();
    }

    @Override
    public CompletableFuture<Void> storeProperties(String deviceId, Map<String, Object> canonical, long timestamp) {
        return devices.storeProperties(deviceId, canonical, timestamp);
    }

    @Override
    public CompletableFuture<Void> log(LogType type, String deviceId, String productId, String messageType, String messageId,
                                       String topic, String raw, String decoded, String detail) {
        return deviceLog.write(type, deviceId, productId, messageType, messageId, topic, raw, decoded, detail);
    }

    @Override
    public CompletableFuture<Void> deliver(DeviceSession session, DeviceMessage message) {
        return sender.deliver(session, message);
    }

    @Override
    public void complete(DeviceReply reply) {
        sender.complete(reply);
    }

    @Override
    public void publish(DeviceMessage message) {
        events.publish(message);
    }
}
