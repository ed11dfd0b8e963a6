package io.thingport.rest.internal.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.rest.internal.http.FieldException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secret options of rule actions ({@code password}, {@code secret}, an {@code header.Authorization} an http action
 * sends, ...) in the API: every answer shows them as {@link #MASK}, and a rule sent back with a masked value keeps the
 * value stored for the same option of the same action (same list, same position, same type), so that a rule read, edited
 * and written back does not lose its credentials. A masked value with nothing stored to keep is refused, naming it.
 *
 * <p>The rule of which options are secret is the shell's ({@code iot:rule-info}, {@code iot:rule-export} mask the same
 * ones); it belongs in the API's {@code ActionSpec} so that both read it from one place.
 */
public final class RuleSecrets {
    public static final String MASK = "******";
    static final String ACTIONS = "actions";
    static final String FALLBACKS = "fallbacks";

    private RuleSecrets() {
    }

    /** The options with each secret value as {@link #MASK}, in key order. */
    public static Map<String, String> masked(Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, ActionSpec.isSecretOption(k) ? MASK : v));
        return out;
    }

    /** A rule's action options as shown: each secret value as {@link #MASK}, in key order. */
    public static ActionSpec masked(ActionSpec action) {
        return new ActionSpec(action.type(), masked(action.options()));
    }

    /** An export document ({@code {"rules":[...]}}) as shown: each secret option of each action as {@link #MASK}. */
    public static JsonNode maskedDocument(JsonNode document) {
        for (JsonNode rule : document.path("rules")) {
            for (String list : List.of(ACTIONS, FALLBACKS)) {
                for (JsonNode action : rule.path(list)) {
                    if (action.path("options") instanceof ObjectNode options) {
                        List<String> secret = new ArrayList<>();
                        options.fieldNames().forEachRemaining(k -> {
                            if (ActionSpec.isSecretOption(k)) {
                                secret.add(k);
                            }
                        });
                        secret.forEach(k -> options.put(k, MASK));
                    }
                }
            }
        }
        return document;
    }

    /**
     * A rule as sent, each masked secret replaced by the value {@code stored} holds for it.
     *
     * @param stored the rule as stored now, or {@code null} for a new rule (then nothing may be masked)
     * @param field  the prefix of the field named in an error ({@code ""} for a rule that is the whole body)
     */
    public static RuleDefinition restored(RuleDefinition given, RuleDefinition stored, String field) {
        return new RuleDefinition(given.id(), given.description(), given.sql(),
                restored(given.actions(), stored, ACTIONS, field), restored(given.fallbacks(), stored, FALLBACKS, field),
                given.enabled());
    }

    private static List<ActionSpec> restored(List<ActionSpec> actions, RuleDefinition stored, String list, String field) {
        List<ActionSpec> out = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            ActionSpec a = actions.get(i);
            Map<String, String> options = new LinkedHashMap<>();
            for (Map.Entry<String, String> o : a.options().entrySet()) {
                options.put(o.getKey(), MASK.equals(o.getValue()) && ActionSpec.isSecretOption(o.getKey())
                        ? storedValue(stored, list, i, a.type(), o.getKey(), field, plain(a.options())) : o.getValue());
            }
            out.add(new ActionSpec(a.type(), options));
        }
        return out;
    }

    /**
     * An export document ({@code {"rules":[...]}}) as sent for an import, each masked secret of a rule that exists replaced
     * by its stored value; everything else is left as it is, for the rule engine to read.
     *
     * @return the document, changed where a secret was restored
     */
    public static JsonNode restoredDocument(JsonNode document, Function<String, Optional<RuleDefinition>> stored) {
        JsonNode rules = document.path("rules");
        for (int r = 0; r < rules.size(); r++) {
            JsonNode rule = rules.get(r);
            JsonNode id = rule.path("id");
            RuleDefinition current = id.isTextual() ? stored.apply(id.asText()).orElse(null) : null;
            String field = "rules[" + r + "].";
            restoredNodes(rule.path(ACTIONS), current, ACTIONS, field);
            restoredNodes(rule.path(FALLBACKS), current, FALLBACKS, field);
        }
        return document;
    }

    private static void restoredNodes(JsonNode actions, RuleDefinition stored, String list, String field) {
        for (int i = 0; i < actions.size(); i++) {
            JsonNode action = actions.get(i);
            if (!(action.path("options") instanceof ObjectNode options)) {
                continue;
            }
            String type = action.path("type").asText(null);
            Map<String, String> given = new LinkedHashMap<>();
            options.fields().forEachRemaining(o -> given.put(o.getKey(), o.getValue().isTextual() ? o.getValue().asText()
                    : o.getValue().toString()));
            for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> o = it.next();
                if (o.getValue().isTextual() && MASK.equals(o.getValue().asText()) && ActionSpec.isSecretOption(o.getKey())) {
                    options.put(o.getKey(), storedValue(stored, list, i, type, o.getKey(), field, plain(given)));
                }
            }
        }
    }

    /** An action's options that are not secrets. */
    private static Map<String, String> plain(Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (!ActionSpec.isSecretOption(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The stored value of a masked secret, kept only for the same action unchanged but for its secrets: a secret never
     * follows an action whose destination (url, datasource, topic, ...) was changed by someone who cannot read it.
     */
    private static String storedValue(RuleDefinition stored, String list, int index, String type, String key, String field,
            Map<String, String> givenPlain) {
        List<ActionSpec> current = stored == null ? List.of() : list.equals(ACTIONS) ? stored.actions() : stored.fallbacks();
        String name = field + list + "[" + index + "].options." + key;
        if (index < current.size() && current.get(index).type().equals(type) && current.get(index).option(key) != null) {
            if (!plain(current.get(index).options()).equals(givenPlain)) {
                throw new FieldException(name, name + " is masked (" + MASK + ") but the action's other options changed: "
                        + "give the value itself (a stored secret is kept only for the same action)");
            }
            return current.get(index).option(key);
        }
        throw new FieldException(name, name + " is masked (" + MASK + ") but the stored rule has no " + key + " for a " + type
                + " action at " + list + "[" + index + "] to keep: give the value itself");
    }
}
