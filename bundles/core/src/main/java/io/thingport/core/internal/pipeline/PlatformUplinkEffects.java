package io.thingport.core.internal.pipeline;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceReply;
import io.thingport.api.model.ThingModel;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.core.internal.alarms.AlarmServiceImpl;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.gateway.DeviceSession;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.storage.AtomicWrite;
import io.thingport.core.internal.storage.LiveDevice;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The uplink route's effects on the platform: products, devices, the device log and storage, the message sender and the
 * event bus.
 */
record PlatformUplinkEffects(ProductServiceImpl products, DeviceServiceImpl devices, DeviceLogServiceImpl deviceLog,
                             Storage storage, DeviceMessageSenderImpl sender,
                             DeviceEventBusImpl events, AlarmServiceImpl alarms) implements UplinkEffects {

    @Override
    public ThingModel thingModel(String productId) {
        return products.getProduct(productId).thingModel();
    }

    @Override
    public CompletableFuture<Boolean> store(DeviceSession session, DeviceMessage m, EncodedMessage raw) {
        DeviceLogEntry entry = deviceLog.entry(LogType.UPLINK, m.deviceId(), m.productId(), m.type().topicSuffix(), m.messageId(),
                raw.topic(), DeviceLogServiceImpl.rawText(raw.payload()), Json.write(m), "");
        String key = uplinkKey(entry.messageId(), m.timestamp());
        LiveDevice device = new LiveDevice(m.deviceId(), m.deviceId().equals(session.deviceId()) ? session.connectedAt() : Long.MAX_VALUE,
                key, entry.id());
        List<Sql> statements = new ArrayList<>();
        statements.add(deviceLog.uplinkInsert(entry, key, device));
        // After the entry, whose condition (device live, no resend) decides for both.
        Optional<Map<String, Object>> props = UplinkRoute.properties(m);
        props.ifPresent(values -> statements.addAll(devices.propertyInserts(m.deviceId(), entry.id(), values, m.timestamp())));
        // Alarm and fault transitions follow the same entry: a resend (no entry) records none again.
        AlarmServiceImpl.Prepared alarm = props.isEmpty() ? AlarmServiceImpl.Prepared.NONE
                : products.findProduct(m.productId()).map(p -> alarms.prepare(m.deviceId(), m.productId(), p.thingModel(), props.get(),
                        entry.id(), m.timestamp())).orElse(AlarmServiceImpl.Prepared.NONE);
        statements.addAll(alarm.statements());
        // The session's device is the partition: a gateway's uplinks for its children stay in order with its own.
        AtomicWrite write = new AtomicWrite(statements, DeviceLogServiceImpl.uplinkProbe(entry, key), session.deviceId());
        return storage.write(write, true).whenComplete((outcome, error) -> {
            if (outcome == WriteOutcome.STORED) {
                alarm.events().forEach(e -> events.publish(e));
            } else {
                alarms.abandoned(alarm);
            }
        }).thenApply(outcome -> {
            if (outcome == WriteOutcome.NOT_APPLIED && (key == null || !deviceLog.stored(entry.deviceId(), key))) {
                throw new ThingportException(ErrorCode.NOT_FOUND, "device " + m.deviceId()
                        + " was deleted (or re-created) while its message was being stored: nothing was stored");
            }
            if (outcome == WriteOutcome.STORED) {
                deviceLog.committed(entry);
            }
            return outcome == WriteOutcome.STORED;
        });
    }

    /**
     * What tells a resent uplink from a new one: its message id (as stored, at most 64 characters) and its timestamp (a
     * device that sends the same id at the same time twice sends one message). Without a message id there is none,
     * and every copy is stored. A codec that stamps messages with the time of arrival (a device that sends no
     * timestamp) gives a resend a new key: only resends that carry their own timestamp are recognised.
     */
    static String uplinkKey(String messageId, long timestamp) {
        return messageId == null || messageId.isEmpty() ? null : timestamp + ":" + messageId;
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
