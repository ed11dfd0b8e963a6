package io.thingport.shell.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ThingportException;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.shell.support.ActionArguments;
import io.thingport.shell.support.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** What the rule commands share: reading a rule from arguments or a JSON file, and showing one without its secrets. */
final class Rules {
    static final String MASK = "******";
    static final int SUMMARY_LENGTH = 60;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rules() {
    }

    /** The options in key order, the secret ones as {@link #MASK}. */
    static Map<String, String> masked(Map<String, String> options) {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, ActionSpec.isSecretOption(k) ? MASK : v));
        return out;
    }

    /** An action on one line: {@code kafka datasource=k1 topic=temps} (secrets masked). */
    static String action(ActionSpec a) {
        StringBuilder out = new StringBuilder(a.type());
        masked(a.options()).forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        return out.toString();
    }

    /** A rule's definition as lines to print: its statement, then each action and fallback with its options (secrets masked). */
    static List<String> describe(RuleDefinition rule) {
        List<String> lines = new ArrayList<>();
        lines.add("Statement:");
        (rule.sql() == null ? "" : rule.sql()).lines().forEach(l -> lines.add("  " + l));
        actions(lines, "Actions:", "actions", rule.actions());
        actions(lines, "Fallbacks:", "fallbacks", rule.fallbacks());
        return lines;
    }

    private static void actions(List<String> lines, String title, String name, List<ActionSpec> actions) {
        lines.add(title + (actions.isEmpty() ? " -" : ""));
        for (int i = 0; i < actions.size(); i++) {
            lines.add("  " + name + "[" + i + "] " + actions.get(i).type());
            masked(actions.get(i).options()).forEach((k, v) -> lines.add("    " + k + " = " + v));
        }
    }

    /** The first {@value #SUMMARY_LENGTH} characters of a statement, its line breaks and runs of spaces as one space. */
    static String summary(String sql) {
        String flat = sql == null ? "" : sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= SUMMARY_LENGTH ? flat : flat.substring(0, SUMMARY_LENGTH) + "\u2026";
    }

    static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length) + "\u2026";
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : Values.time(Instant.ofEpochMilli(epochMillis));
    }

    /** Microseconds as milliseconds with one decimal. */
    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** The statement in a file, without surrounding blank space; an empty file is refused. */
    static String statement(String file) {
        String sql = Values.readFile(file).strip();
        if (sql.isEmpty()) {
            throw ThingportException.invalidArgument("the statement file " + file + " is empty");
        }
        return sql;
    }

    /**
     * A rule from the arguments of {@code rule-create} / {@code rule-update}: {@code <id> <statement-file> <action>...} with
     * {@code --fallback}s. Refuses a missing part, naming {@code --file} as the other way.
     */
    static RuleDefinition fromArguments(String id, String statementFile, List<String> actions, List<String> fallbacks,
                                        String description, boolean enabled) {
        if (id == null || statementFile == null || actions == null || actions.isEmpty()) {
            throw ThingportException.invalidArgument("give <id> <statement-file> <action>... (at least one action),"
                    + " or the whole rule with --file rule.json");
        }
        return new RuleDefinition(id, description, statement(statementFile), ActionArguments.parseAll(actions),
                ActionArguments.parseAll(fallbacks), enabled);
    }

    /**
     * A rule from a JSON file: one rule as {@code rule-export} writes it ({@code {"id","description","sql","enabled",
     * "actions":[{"type","options":{}}],"fallbacks":[...]}}), or an export document holding exactly one rule. Without
     * {@code "enabled"} the rule is what {@code enabledIfMissing} says for its id.
     */
    static RuleDefinition fromFile(String file, Predicate<String> enabledIfMissing) {
        String text = Values.readFile(file);
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.has("rules") && node.get("rules").isArray()) {
                if (node.get("rules").size() != 1) {
                    throw ThingportException.invalidArgument(file + " holds " + node.get("rules").size()
                            + " rules, not one: use iot:rule-import for an export document");
                }
                node = node.get("rules").get(0);
            }
            if (node == null || !node.isObject()) {
                throw ThingportException.invalidArgument(file + " is not a rule (a JSON object with id, sql and actions)");
            }
            if (!node.hasNonNull("id") || !node.get("id").isTextual()) {
                throw ThingportException.invalidArgument(file + ": the rule has no id");
            }
            ObjectNode rule = (ObjectNode) node;
            if (!rule.hasNonNull("enabled")) {
                rule.put("enabled", enabledIfMissing.test(rule.get("id").asText()));
            }
            return JSON.treeToValue(rule, RuleDefinition.class);
        } catch (JsonProcessingException e) {
            throw ThingportException.invalidArgument(file + " is not a rule: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
    }

    /** Checks that a file holds JSON and returns its text (a sample message for a dry run). */
    static String jsonFile(String file) {
        String text = Values.readFile(file);
        try {
            JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ThingportException.invalidArgument(file + " is not JSON: " + e.getOriginalMessage());
        }
        return text;
    }

    /** JSON text pretty-printed, or as it is when it is not JSON. */
    static String pretty(String json) {
        if (json == null) {
            return "";
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    /** An export document for the console: pretty-printed, every secret option of an action masked. */
    static Masked maskedExport(String json) {
        try {
            JsonNode document = JSON.readTree(json);
            int count = 0;
            for (JsonNode rule : document.path("rules")) {
                count += mask(rule.path("actions")) + mask(rule.path("fallbacks"));
            }
            return new Masked(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document), count);
        } catch (JsonProcessingException e) {
            throw ThingportException.invalidArgument("the rule engine's export is not JSON: " + e.getOriginalMessage());
        }
    }

    private static int mask(JsonNode actions) {
        int count = 0;
        for (JsonNode action : actions) {
            if (action.path("options") instanceof ObjectNode options) {
                for (Iterator<String> names = options.fieldNames(); names.hasNext();) {
                    String name = names.next();
                    if (ActionSpec.isSecretOption(name)) {
                        options.put(name, MASK);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** An export document with {@code count} secrets masked. */
    record Masked(String text, int count) {
    }
}
