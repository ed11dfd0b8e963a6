package io.thingport.core.internal.rules;

import io.thingport.api.message.DeviceMessage;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The platform's message stream as a Camel component, {@code thingport-stream:<name>?filters=<f1>,<f2>}: a consumer receives
 * every message the platform stored whose event topic ({@code /device/{productId}/{deviceId}/{type}}) matches one of the
 * filters, as the body (a {@link io.thingport.api.message.DeviceMessage}) with the topic in header {@value #TOPIC}. Every
 * rule's route starts from one; a route added to the platform's CamelContext can read it too.
 */
public final class StreamComponent extends DefaultComponent {
    public static final String SCHEME = "thingport-stream";
    public static final String TOPIC = "thingportTopic";
    public static final String DEVICE = "thingportDeviceId";

    private final DeviceEventBusImpl events;

    public StreamComponent(DeviceEventBusImpl events) {
        this.events = events;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Object filters = parameters.remove("filters");
        if (filters == null || filters.toString().isBlank()) {
            throw new IllegalArgumentException(uri + ": option filters (event-topic filters, comma separated) is required");
        }
        return new StreamEndpoint(uri, this, events, filters.toString().split(","), null);
    }

    /**
     * A stream endpoint whose consumer asks {@code gate} first: only what it admits becomes an exchange (a rule's route
     * gets the rows its statement selected, not every message it had to look at).
     */
    public StreamEndpoint gated(String uri, List<String> filters, Gate gate) {
        StreamEndpoint endpoint = new StreamEndpoint(uri, this, events, filters.toArray(new String[0]), gate);
        endpoint.setCamelContext(getCamelContext());
        return endpoint;
    }

    /** Decides, on the subscription's thread, what a message becomes: the exchange's body, or null to skip it. */
    public interface Gate {
        Object admit(String topic, DeviceMessage message);
    }
}
