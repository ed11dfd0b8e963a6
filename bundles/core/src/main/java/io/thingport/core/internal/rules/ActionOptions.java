package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.ActionSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads one action's options for its plan: each getter names the option and the action in its error, the templates are
 * checked against the columns the statement selects, and {@link #done()} refuses any option nobody read (a typo).
 */
final class ActionOptions {
    static final int MAX_VALUE_LENGTH = 10_000;
    static final int MAX_OPTIONS = 50;

    private final String label;
    private final Map<String, String> options;
    private final Set<String> columns;
    private final Set<String> read = new HashSet<>();

    ActionOptions(String label, ActionSpec spec, Set<String> columns) {
        this.label = label;
        this.options = spec.options();
        this.columns = columns;
        if (options.size() > MAX_OPTIONS) {
            throw invalid("at most " + MAX_OPTIONS + " options");
        }
        options.forEach((k, v) -> {
            if (v == null || v.length() > MAX_VALUE_LENGTH) {
                throw invalid("option " + k + " must have a value of at most " + MAX_VALUE_LENGTH + " characters");
            }
        });
    }

    String label() {
        return label;
    }

    ThingportException invalid(String problem) {
        return ThingportException.invalidArgument(label + ": " + problem);
    }

    String optional(String key) {
        read.add(key);
        String v = options.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    String required(String key) {
        String v = optional(key);
        if (v == null) {
            throw invalid("option " + key + " is required");
        }
        return v;
    }

    String oneOf(String key, String fallback, List<String> allowed) {
        String v = optional(key);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw invalid("option " + key + " is '" + v + "' but must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    long number(String key, long fallback, long min, long max) {
        String v = optional(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw invalid("option " + key + " is " + n + " but must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid("option " + key + " is '" + v + "' but must be a whole number between " + min + " and " + max);
        }
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(oneOf(key, "false", List.of("true", "false")));
    }

    /** A template whose placeholders must name selected columns. */
    Template template(String key, boolean required) {
        String v = required ? required(key) : optional(key);
        if (v == null) {
            return null;
        }
        Template t = Template.parse(v, label + " option " + key);
        for (String column : t.columns()) {
            if (!columns.contains(column)) {
                throw invalid("option " + key + " uses ${" + column + "}, which the statement does not select (selected: "
                        + String.join(", ", new TreeSet<>(columns)) + ")");
            }
        }
        return t;
    }

    /** Every option {@code prefix<name>} (e.g. {@code header.X-Token}) as name → template. */
    Map<String, Template> templates(String prefix) {
        Map<String, Template> out = new TreeMap<>();
        for (String key : options.keySet()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                out.put(key.substring(prefix.length()), template(key, true));
            }
        }
        return out;
    }

    RetryPolicy retry() {
        int retries = (int) number("retries", RetryPolicy.DEFAULT.retries(), 0, 100);
        long backoff = number("backoffMs", RetryPolicy.DEFAULT.backoffMs(), 1, 60_000);
        long maxBackoff = number("maxBackoffMs", Math.max(backoff, RetryPolicy.DEFAULT.maxBackoffMs()), backoff, 3_600_000);
        return new RetryPolicy(retries, backoff, maxBackoff);
    }

    int buffer() {
        return (int) number("buffer", 10_000, 1, 100_000);
    }

    void done() {
        for (String key : options.keySet()) {
            if (!read.contains(key)) {
                throw invalid("unknown option " + key);
            }
        }
    }
}
