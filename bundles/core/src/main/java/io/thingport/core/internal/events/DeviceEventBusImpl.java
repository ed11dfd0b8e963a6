package io.thingport.core.internal.events;

import io.thingport.api.ThingportException;
import io.thingport.api.TopicFilters;
import io.thingport.api.device.DeviceEventBus;
import io.thingport.api.message.DeviceMessage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The internal event topic, in memory on this node. */
@Component(service = {DeviceEventBusImpl.class, DeviceEventBus.class})
public final class DeviceEventBusImpl implements DeviceEventBus {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEventBusImpl.class);

    private record Subscription(String filter, BiConsumer<String, DeviceMessage> listener) {
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    @Override
    public AutoCloseable subscribe(String topicFilter, BiConsumer<String, DeviceMessage> listener) {
        Objects.requireNonNull(listener, "listener");
        if (topicFilter == null || !TopicFilters.isValid(topicFilter) || !topicFilter.startsWith("/device/")) {
            throw ThingportException.invalidArgument("event topic filter '" + topicFilter
                    + "' must start with /device/ and use + and # only as whole levels (e.g. /device/thermo/+/properties/report)");
        }
        Subscription s = new Subscription(topicFilter, listener);
        subscriptions.add(s);
        return () -> subscriptions.remove(s);
    }

    /** Publishes a stored message to the matching subscribers, on the calling thread. */
    public void publish(DeviceMessage message) {
        if (subscriptions.isEmpty()) {
            return;
        }
        String topic = DeviceEventBus.topicOf(message);
        for (Subscription s : subscriptions) {
            if (TopicFilters.matches(s.filter(), topic)) {
                try {
                    s.listener().accept(topic, message);
                } catch (RuntimeException e) {
                    LOG.warn("A subscriber of {} failed on {}: {}", s.filter(), topic, e.toString());
                }
            }
        }
    }
}
