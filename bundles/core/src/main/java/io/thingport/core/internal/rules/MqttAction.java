package io.thingport.core.internal.rules;

import io.thingport.core.internal.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Publishes each row (as JSON) to an MQTT broker through camel-paho: {@code datasource} (mqtt), {@code topic} (a template;
 * no wildcards, not in the devices' topic space {@code /...}: the loop guard), {@code qos}, {@code retained}.
 */
public record MqttAction(String label, DataSourceSpec broker, Template topic, int qos, boolean retained, RetryPolicy retry, int buffer)
        implements ActionPlan {
    static MqttAction of(ActionOptions o, DataSourceSpec broker) {
        Template topic = o.template("topic", true);
        if (topic.text().contains("+") || topic.text().contains("#")) {
            throw o.invalid("option topic must not contain the wildcards + or #");
        }
        if (topic.text().startsWith("/")) {
            // Loop guard: a broker the platform reads (an mqtt-client component) would hand the row back as a device
            // message on the official topic space, and the rule would fire on its own output.
            throw o.invalid("option topic must not start with '/': that is the devices' topic space, and a rule republishing"
                    + " there can trigger itself; use an application topic such as alerts/${deviceId}");
        }
        int qos = Integer.parseInt(o.oneOf("qos", "1", List.of("0", "1", "2")));
        return new MqttAction(o.label(), broker, topic, qos, o.flag("retained"), o.retry(), o.buffer());
    }

    /** The topic of one row: a placeholder's value cannot add levels or wildcards. */
    String topicOf(Map<String, Object> row) {
        return topic.render(row, v -> ActionPlan.text(v).replace('/', '_').replace('+', '_').replace('#', '_'));
    }

    @Override
    public String dataSource() {
        return broker.name();
    }

    @Override
    public String describe(Map<String, Object> row) {
        return "mqtt " + topicOf(row) + " qos " + qos + (retained ? " retained " : " ") + Json.write(row);
    }
}
