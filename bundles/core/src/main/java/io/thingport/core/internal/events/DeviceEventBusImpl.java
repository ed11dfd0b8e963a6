package io.thingport.core.internal.events;

import io.thingport.api.ThingportException;
import io.thingport.api.TopicFilters;
import io.thingport.api.device.DeviceEventBus;
import io.thingport.api.message.DeviceMessage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal event topic, in memory on this node. Each subscriber gets the events on a thread of its own through a
 * bounded queue ({@link BoundedSubscriber}): publishing never waits for a subscriber, and one that falls
 * {@value #QUEUE} events behind is dropped with a warning, never the devices.
 */
@Component(service = {DeviceEventBusImpl.class, DeviceEventBus.class})
public final class DeviceEventBusImpl implements DeviceEventBus {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEventBusImpl.class);
    static final int QUEUE = 10_000;

    private record Event(String topic, DeviceMessage message) {
    }

    private record Subscription(List<String> filters, BoundedSubscriber<Event> delivery) {
        boolean matches(String topic) {
            for (String f : filters) {
                if (TopicFilters.matches(f, topic)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = SubscriberThreads.create("thingport-events");

    @Deactivate
    void deactivate() {
        subscriptions.forEach(s -> s.delivery().close());
        subscriptions.clear();
        threads.shutdownNow();
    }

    @Override
    public AutoCloseable subscribe(String topicFilter, BiConsumer<String, DeviceMessage> listener) {
        return subscribe(topicFilter, listener, why -> LOG.warn("The subscriber of {} was dropped: {}", topicFilter, why));
    }

    /**
     * As {@link #subscribe(String, BiConsumer)}, and {@code onEnd} is told (once, with why) when the subscriber is dropped
     * for falling behind or throwing: the rule engine counts what its rules missed and subscribes again.
     */
    public AutoCloseable subscribe(String topicFilter, BiConsumer<String, DeviceMessage> listener, Consumer<String> onEnd) {
        return subscribe(List.of(topicFilter == null ? "" : topicFilter), listener, onEnd);
    }

    /**
     * One subscription to every event matching any of {@code topicFilters}: an event that matches several is delivered
     * once, and all of them arrive in one order.
     */
    public AutoCloseable subscribe(List<String> topicFilters, BiConsumer<String, DeviceMessage> listener, Consumer<String> onEnd) {
        Objects.requireNonNull(listener, "listener");
        if (topicFilters.isEmpty()) {
            throw ThingportException.invalidArgument("at least one event topic filter is required");
        }
        for (String topicFilter : topicFilters) {
            if (topicFilter == null || !TopicFilters.isValid(topicFilter) || !topicFilter.startsWith("/device/")) {
                throw ThingportException.invalidArgument("event topic filter '" + topicFilter
                        + "' must start with /device/ and use + and # only as whole levels (e.g. /device/thermo/+/properties/report)");
            }
        }
        Subscription[] self = new Subscription[1];
        BoundedSubscriber<Event> delivery = new BoundedSubscriber<>(QUEUE, e -> listener.accept(e.topic(), e.message()), threads,
                why -> {
                    subscriptions.remove(self[0]);
                    onEnd.accept(why);
                });
        self[0] = new Subscription(List.copyOf(topicFilters), delivery);
        subscriptions.add(self[0]);
        return () -> {
            delivery.close();
            subscriptions.remove(self[0]);
        };
    }

    /** Queues a stored message for the matching subscribers; never waits for them. */
    public void publish(DeviceMessage message) {
        if (subscriptions.isEmpty()) {
            return;
        }
        String topic = DeviceEventBus.topicOf(message);
        Event event = new Event(topic, message);
        for (Subscription s : subscriptions) {
            if (s.matches(topic)) {
                s.delivery().offer(event);
            }
        }
    }
}
