package io.thingport.shell.support;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.ActionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule action given as one command argument: {@code type:key=value,key=value} (e.g.
 * {@code kafka:datasource=k1,topic=temps,key=${deviceId}}), or {@code type:} / {@code type} for an action without
 * options ({@code log:}). The type is what comes before the first {@code :}; a value is what follows the first {@code =}
 * of its pair up to the next {@code ,}, so it may hold {@code =} and {@code :} but never a comma (such actions are given
 * in a rule's JSON file). What the options mean is the rule engine's to check.
 */
public final class ActionArguments {
    private ActionArguments() {
    }

    /** Parses every argument in order ({@code null} is none). */
    public static List<ActionSpec> parseAll(List<String> arguments) {
        List<ActionSpec> out = new ArrayList<>();
        if (arguments != null) {
            arguments.forEach(a -> out.add(parse(a)));
        }
        return out;
    }

    /** Parses one argument; refuses a missing type, a pair without {@code =}, an empty key and a key given twice. */
    public static ActionSpec parse(String argument) {
        if (argument == null || argument.isBlank()) {
            throw ThingportException.invalidArgument("an action is empty: write type:key=value,... (e.g. log:)");
        }
        int colon = argument.indexOf(':');
        String type = colon < 0 ? argument : argument.substring(0, colon);
        if (type.isEmpty() || type.contains("=") || type.contains(",")) {
            throw ThingportException.invalidArgument("action '" + argument + "' has no type: write type:key=value,..."
                    + " (e.g. kafka:datasource=k1,topic=temps)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        String rest = colon < 0 ? "" : argument.substring(colon + 1);
        if (rest.isEmpty()) {
            return new ActionSpec(type, options);
        }
        for (String pair : rest.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw ThingportException.invalidArgument("action '" + argument + "': '" + pair + "' is not key=value"
                        + (pair.isEmpty() ? " (an empty pair: a value cannot hold a comma, give such an action in a rule's JSON file)"
                        : ""));
            }
            String key = pair.substring(0, eq);
            if (key.isEmpty()) {
                throw ThingportException.invalidArgument("action '" + argument + "': empty key in '" + pair + "'");
            }
            if (options.put(key, pair.substring(eq + 1)) != null) {
                throw ThingportException.invalidArgument("action '" + argument + "': key " + key + " is given twice");
            }
        }
        return new ActionSpec(type, options);
    }
}
