package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An INSERT with named parameters ({@code :temp}) turned into a prepared statement's text ({@code ?}) and the parameter
 * names in order. Values are only ever bound, never put into the text. Quoted text ({@code '...'}, {@code "..."}) and
 * PostgreSQL casts ({@code ::int}) are left alone; one statement only.
 */
public record NamedSql(String sql, List<String> parameters) {
    static final int MAX_PARAMETERS = 200;

    public static NamedSql parse(String text, String what) {
        String trimmed = text.trim();
        if (!trimmed.toUpperCase(Locale.ROOT).startsWith("INSERT ")) {
            throw ThingportException.invalidArgument(what + " must be an INSERT statement");
        }
        for (String banned : new String[] {"--", "/*", "$$", "\\"}) {
            if (trimmed.contains(banned)) {
                throw ThingportException.invalidArgument(what + " must not contain " + banned
                        + " (comments, dollar quoting and backslash escapes would hide where parameters are)");
            }
        }
        StringBuilder out = new StringBuilder(trimmed.length());
        List<String> names = new ArrayList<>();
        char quote = 0;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                out.append(c);
            } else if (c == ';') {
                if (!trimmed.substring(i + 1).isBlank()) {
                    throw ThingportException.invalidArgument(what + " must be one statement (text after ';' at character " + (i + 1) + ")");
                }
                break;
            } else if (c == ':' && i + 1 < trimmed.length() && trimmed.charAt(i + 1) == ':') {
                out.append("::");
                i++;
            } else if (c == ':' && i + 1 < trimmed.length() && Character.isLetter(trimmed.charAt(i + 1))) {
                int end = i + 1;
                while (end < trimmed.length() && (Character.isLetterOrDigit(trimmed.charAt(end)) || trimmed.charAt(end) == '_')) {
                    end++;
                }
                names.add(trimmed.substring(i + 1, end));
                out.append('?');
                i = end - 1;
            } else if (c == '?') {
                throw ThingportException.invalidArgument(what + ": use named parameters (:name), not '?' (character " + (i + 1) + ")");
            } else {
                out.append(c);
            }
        }
        if (quote != 0) {
            throw ThingportException.invalidArgument(what + ": a quote " + quote + " is not closed");
        }
        if (names.isEmpty()) {
            throw ThingportException.invalidArgument(what + " has no named parameter (:name) for the selected columns");
        }
        if (names.size() > MAX_PARAMETERS) {
            throw ThingportException.invalidArgument(what + " has more than " + MAX_PARAMETERS + " parameters");
        }
        return new NamedSql(out.toString(), List.copyOf(names));
    }
}
