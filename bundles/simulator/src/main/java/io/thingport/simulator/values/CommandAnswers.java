package io.thingport.simulator.values;

import io.thingport.api.ThingportException;
import io.thingport.api.model.FunctionSpec;
import io.thingport.api.model.ThingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a virtual device answers the platform's commands (the official protocol's downlinks), as the thing model says:
 * a read with its current values (generated for a property it has no value of yet), a write by applying the values
 * and echoing them, an invocation with an output valid for the function's output type. A command the thing model
 * refuses gets {@code success:false} with the rule broken. Other downlinks ({@code /error}, shadow replies, firmware)
 * need no answer. A pure function of the command, the model and the current values.
 */
public final class CommandAnswers {
    /** A reply to publish, and the values the device holds afterwards. */
    public record Answer(String topicSuffix, Map<String, Object> payload, Map<String, Object> values) {
        public boolean success() {
            return !Boolean.FALSE.equals(payload.get("success"));
        }
    }

    private final ThingModel model;
    private final ValueGenerator generator;

    public CommandAnswers(ThingModel model, ValueGenerator generator) {
        this.model = Objects.requireNonNull(model, "model");
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /**
     * The answer to a downlink.
     *
     * @param topicSuffix the topic after {@code /{productId}/{deviceId}/}, e.g. {@code properties/read}
     * @param command     its JSON payload, decoded
     * @param values      the values the device holds now
     * @return empty for a downlink that needs no answer
     */
    public Optional<Answer> answer(String topicSuffix, Map<String, Object> command, Map<String, Object> values) {
        Object messageId = command.get("messageId");
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("messageId", messageId == null ? "" : messageId.toString());
        Map<String, Object> held = new LinkedHashMap<>(values);
        return switch (topicSuffix) {
            case "properties/read" -> Optional.of(read(command, reply, held));
            case "properties/write" -> Optional.of(write(command, reply, held));
            case "function/invoke" -> Optional.of(invoke(command, reply, held));
            default -> Optional.empty();
        };
    }

    private Answer read(Map<String, Object> command, Map<String, Object> reply, Map<String, Object> held) {
        String topic = "properties/read/reply";
        try {
            List<String> ids = model.checkRead(strings(command.get("properties")));
            Map<String, Object> out = new LinkedHashMap<>();
            for (String id : ids) {
                Object v = held.computeIfAbsent(id, k -> generator.value(model.property(k).orElseThrow().type()));
                out.put(id, v);
            }
            reply.put("success", true);
            reply.put("properties", out);
        } catch (ThingportException e) {
            refuse(reply, e);
        }
        return new Answer(topic, reply, held);
    }

    private Answer write(Map<String, Object> command, Map<String, Object> reply, Map<String, Object> held) {
        String topic = "properties/write/reply";
        try {
            Map<String, Object> written = model.checkWrite(map(command.get("properties")));
            held.putAll(written);
            reply.put("success", true);
            reply.put("properties", written);
        } catch (ThingportException e) {
            refuse(reply, e);
        }
        return new Answer(topic, reply, held);
    }

    private Answer invoke(Map<String, Object> command, Map<String, Object> reply, Map<String, Object> held) {
        String topic = "function/invoke/reply";
        try {
            String functionId = String.valueOf(command.get("functionId"));
            Map<String, Object> inputs = new LinkedHashMap<>();
            if (command.get("inputs") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> in && in.get("name") != null) {
                        inputs.put(in.get("name").toString(), in.get("value"));
                    }
                }
            }
            model.checkInvoke(functionId, inputs);
            FunctionSpec function = model.function(functionId).orElseThrow();
            reply.put("success", true);
            reply.put("output", generator.functionOutput(function));
        } catch (ThingportException e) {
            refuse(reply, e);
        }
        return new Answer(topic, reply, held);
    }

    private static void refuse(Map<String, Object> reply, ThingportException e) {
        reply.put("success", false);
        reply.put("code", e.code().wireName());
        reply.put("message", e.getMessage());
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    private static Map<String, Object> map(Object o) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        return out;
    }
}
