package io.thingport.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Minimal {@code --name value} / {@code --name=value} / {@code --flag} parser. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    static Args parse(String[] argv, Set<String> valueOptions, Set<String> flagOptions) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagOptions.contains(name)) {
                if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new UsageException("--" + name + " is a flag (true/false), got: " + value);
                }
                a.values.put(name, value == null ? "true" : value.toLowerCase());
            } else if (valueOptions.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                a.values.put(name, value);
            } else {
                throw new UsageException("unknown option: --" + name);
            }
        }
        return a;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    String str(String name, String def) {
        return values.getOrDefault(name, def);
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name, int def, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got: " + v);
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got: " + n);
        }
        return n;
    }

    double number(String name, double def, double min, double max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got: " + v);
        }
        if (!(d >= min && d <= max)) {
            throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got: " + v);
        }
        return d;
    }
}
