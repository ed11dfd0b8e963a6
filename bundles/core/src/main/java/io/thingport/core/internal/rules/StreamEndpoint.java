package io.thingport.core.internal.rules;

import io.thingport.core.internal.events.DeviceEventBusImpl;
import java.util.List;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A {@code thingport-stream:} endpoint: consumers only (the platform publishes, routes read). */
final class StreamEndpoint extends DefaultEndpoint {
    private final DeviceEventBusImpl events;
    private final List<String> filters;
    private final StreamComponent.Gate gate;

    StreamEndpoint(String uri, StreamComponent component, DeviceEventBusImpl events, String[] filters, StreamComponent.Gate gate) {
        super(uri, component);
        this.events = events;
        this.filters = List.of(filters).stream().map(String::trim).toList();
        this.gate = gate;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be read: the platform publishes on it");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        return new StreamConsumer(this, processor, events, filters, gate);
    }
}
