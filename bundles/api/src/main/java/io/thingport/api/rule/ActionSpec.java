package io.thingport.api.rule;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One action of a rule: where the selected rows go. {@code type} is one of {@code log}, {@code http}, {@code kafka},
 * {@code jdbc}, {@code device}, {@code mqtt}; {@code options} are that type's settings (README "Rule engine" lists them),
 * where a value may be a template that names selected columns as {@code ${name}}. The options are checked when the rule is
 * saved: an unknown key, a missing one, a bad value or a template naming a column the statement does not select is refused.
 */
public record ActionSpec(String type, Map<String, String> options) {
    public ActionSpec {
        Objects.requireNonNull(type, "type");
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
    }

    public String option(String key) {
        return options.get(key);
    }

    /**
     * Whether an option holds a credential, which the shell and the Open API never show (a password, a secret, a token,
     * an {@code Authorization} or key header that an http action sends). Any case.
     */
    public static boolean isSecretOption(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("authorization") || k.contains("token")
                || k.contains("key") && k.startsWith("header.");
    }
}
