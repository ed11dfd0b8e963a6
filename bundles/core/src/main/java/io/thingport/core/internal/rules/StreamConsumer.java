package io.thingport.core.internal.rules;

import io.thingport.api.message.DeviceMessage;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the platform's event topic while started; each message runs the route on the subscription's thread, in
 * order. A route that falls too far behind loses the events its subscription had queued (the bus never waits): that is
 * counted ({@link #lost()}), logged, and the consumer subscribes again.
 */
final class StreamConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

    private final DeviceEventBusImpl events;
    private final List<String> filters;
    private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder lost = new LongAdder();
    private final StreamComponent.Gate gate;

    StreamConsumer(StreamEndpoint endpoint, Processor processor, DeviceEventBusImpl events, List<String> filters,
                   StreamComponent.Gate gate) {
        super(endpoint, processor);
        this.events = events;
        this.filters = filters;
        this.gate = gate;
    }

    /** How often its subscription was dropped for falling too far behind (each time up to 10,000 queued events). */
    long lost() {
        return lost.sum();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        subscribe();
    }

    /** One subscription for all the filters: a message matching two of them runs the route once. */
    private synchronized void subscribe() {
        subscriptions.add(events.subscribe(filters, this::deliver, why -> {
            lost.increment();
            LOG.warn("{}: the subscription to {} ended ({}); subscribing again, queued events are lost",
                    getEndpoint().getEndpointUri(), filters, why);
            synchronized (this) {
                if (isRunAllowed() && !isStoppingOrStopped()) {
                    subscribe();
                }
            }
        }));
    }

    private void deliver(String topic, DeviceMessage message) {
        Object body = message;
        if (gate != null) {
            try {
                body = gate.admit(topic, message);
            } catch (RuntimeException e) {
                LOG.warn("{}: skipped a message of {}: {}", getEndpoint().getEndpointUri(), topic, e.toString());
                return;
            }
            if (body == null) {
                return;
            }
        }
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(StreamComponent.DEVICE, message.deviceId());
        exchange.getMessage().setHeader(StreamComponent.TOPIC, topic);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("route failed on a message of " + topic, exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        for (AutoCloseable s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        super.doStop();
    }
}
