package io.thingport.core.internal.rules;

import io.thingport.core.internal.json.Json;
import java.util.List;
import java.util.Map;

/**
 * Produces each row (as JSON) to a Kafka topic through camel-kafka: {@code datasource} (kafka), {@code topic}, {@code key},
 * {@code acks}.
 */
public record KafkaAction(String label, DataSourceSpec cluster, String topic, Template key, String acks, RetryPolicy retry, int buffer)
        implements ActionPlan {
    static KafkaAction of(ActionOptions o, DataSourceSpec cluster) {
        String topic = o.required("topic");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw o.invalid("option topic '" + topic + "' must be 1 to 249 letters, digits, '.', '_' or '-'");
        }
        return new KafkaAction(o.label(), cluster, topic, o.template("key", false), o.oneOf("acks", "all", List.of("0", "1", "all")),
                o.retry(), o.buffer());
    }

    @Override
    public String dataSource() {
        return cluster.name();
    }

    @Override
    public String describe(Map<String, Object> row) {
        return "kafka " + topic + (key == null ? "" : " key=" + key.render(row, ActionPlan::text)) + " " + Json.write(row);
    }
}
