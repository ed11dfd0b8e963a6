package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An action option with placeholders: {@code ${name}} is the selected column {@code name} of a row ({@code ${a.b}} a field
 * inside it). Parsed when the rule is saved; a placeholder that names no selected column is refused then.
 */
public final class Template {
    static final int MAX_LENGTH = 10_000;

    private final String text;
    private final List<String> literals;
    private final List<String> names;

    private Template(String text, List<String> literals, List<String> names) {
        this.text = text;
        this.literals = literals;
        this.names = names;
    }

    /** @param what the option, for the error ("option url of actions[0]") */
    public static Template parse(String text, String what) {
        if (text.length() > MAX_LENGTH) {
            throw ThingportException.invalidArgument(what + " is longer than " + MAX_LENGTH + " characters");
        }
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf("${", from);
            if (open < 0) {
                literals.add(text.substring(from));
                return new Template(text, literals, names);
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw ThingportException.invalidArgument(what + ": '${' at character " + (open + 1) + " is not closed by '}'");
            }
            String name = text.substring(open + 2, close).trim();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw ThingportException.invalidArgument(what + ": '${" + name + "}' is not a column name (letters, digits, _ and .)");
            }
            literals.add(text.substring(from, open));
            names.add(name);
            from = close + 1;
        }
    }

    /** The first level of each placeholder: the columns it needs. */
    public Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(n -> out.add(n.contains(".") ? n.substring(0, n.indexOf('.')) : n));
        return out;
    }

    public boolean isConstant() {
        return names.isEmpty();
    }

    public String text() {
        return text;
    }

    /** The text with each placeholder replaced by its value in {@code row}, formatted by {@code format} (null for a missing one). */
    public String render(Map<String, Object> row, Function<Object, String> format) {
        StringBuilder b = new StringBuilder(text.length() + 32);
        for (int i = 0; i < names.size(); i++) {
            b.append(literals.get(i)).append(format.apply(lookup(row, names.get(i))));
        }
        return b.append(literals.get(names.size())).toString();
    }

    static Object lookup(Map<String, Object> row, String name) {
        Object value = row;
        for (String part : name.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }
}
