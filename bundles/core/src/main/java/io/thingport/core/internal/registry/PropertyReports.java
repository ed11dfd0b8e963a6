package io.thingport.core.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.core.internal.json.Json;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How a stored property report ({@code property_report.properties}: a JSON object of property id to canonical value) is
 * searched and read: a {@code LIKE} pattern narrows the rows that may hold a property, the parsed object decides.
 */
public final class PropertyReports {
    /** The condition that a row may hold the property bound to its parameter (escape character {@code !}). */
    public static final String MAY_HOLD = "properties LIKE ? ESCAPE '!'";

    private PropertyReports() {
    }

    /** The pattern for {@link #MAY_HOLD}: the property's key as the report's JSON spells it (quoted and escaped). */
    public static String pattern(String property) {
        return "%" + likeEscaped(Json.write(property) + ":") + "%";
    }

    /** {@code text} as a literal inside a LIKE pattern with escape character {@code !}. */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** The report's value of {@code property} as canonical JSON, when it holds one (a top-level key). */
    public static Optional<String> value(String report, String property) {
        JsonNode node = Json.parse(report, "a stored property report").get(property);
        return node == null ? Optional.empty() : Optional.of(Json.write(node));
    }

    /** The properties a report holds, in its order. */
    public static Set<String> properties(String report) {
        Set<String> out = new LinkedHashSet<>();
        Json.parse(report, "a stored property report").fieldNames().forEachRemaining(out::add);
        return out;
    }
}
