package io.thingport.core.internal.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.core.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rules as JSON, the form they are stored, exported and imported in:
 * {@code {"id":..,"description":..,"sql":..,"enabled":..,"actions":[{"type":..,"options":{..}}],"fallbacks":[..]}}.
 * Unknown fields are refused, naming them.
 */
public final class RuleJson {
    static final int MAX_RULES_PER_IMPORT = 1_000;

    private RuleJson() {
    }

    public static String write(RuleDefinition rule) {
        return Json.write(rule);
    }

    public static RuleDefinition read(String json, String what) {
        return read(Json.parse(json, what), what);
    }

    static RuleDefinition read(JsonNode node, String what) {
        try {
            return Json.MAPPER.treeToValue(node, RuleDefinition.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ThingportException.invalidArgument(what + " is not a rule: " + message.replaceAll("\\s+", " "));
        }
    }

    /** The rules of an export document {@code {"rules":[...]}}. */
    public static List<RuleDefinition> readAll(String json) {
        JsonNode root = Json.parse(json, "the import document");
        JsonNode rules = root.get("rules");
        if (!root.isObject() || rules == null || !rules.isArray() || root.size() != 1) {
            throw ThingportException.invalidArgument("the import document must be {\"rules\": [ ... ]} (as iot:rule-export writes it)");
        }
        if (rules.size() > MAX_RULES_PER_IMPORT) {
            throw ThingportException.invalidArgument("the import document has " + rules.size() + " rules; at most "
                    + MAX_RULES_PER_IMPORT + " at once");
        }
        List<RuleDefinition> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            out.add(read(rules.get(i), "rules[" + i + "]"));
        }
        return out;
    }

    public static String writeAll(List<RuleDefinition> rules) {
        return Json.writePretty(Map.of("rules", rules));
    }
}
