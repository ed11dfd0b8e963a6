package io.thingport.shell.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shell command lines as the access log keeps them: the value of every option or {@code key=value} whose name holds
 * {@code secret}, {@code password}, {@code passwd}, {@code token}, {@code key} or {@code psk} (any case) becomes
 * {@code ****}, in each form a line can carry it: {@code --secret x}, {@code --secret=x}, {@code password=x}, and the
 * pairs of an action such as {@code http:url=...,secret=x}. Quotes and escapes are read as the shell reads them, so a
 * quoted value is masked whole. A pure function: the rest of the line is kept as it was typed.
 */
public final class CommandLines {
    static final String MASK = "****";
    private static final List<String> SENSITIVE = List.of("secret", "password", "passwd", "token", "key", "psk");

    private CommandLines() {
    }

    /** One word of the line: where it starts and ends in the line, and whether it separates commands. */
    private record Word(int start, int end, boolean separator) {
    }

    /** The line with its secret values masked; {@code null} as empty. */
    public static String mask(String line) {
        if (line == null) {
            return "";
        }
        List<Word> words = words(line);
        StringBuilder out = new StringBuilder(line.length());
        int copied = 0;
        boolean maskNext = false;
        String command = null;
        List<String> positional = new ArrayList<>();
        for (Word w : words) {
            String text = line.substring(w.start(), w.end());
            String masked;
            if (w.separator()) {
                masked = text;
                maskNext = false;
                command = null;
                positional.clear();
            } else if (command == null) {
                command = text;
                masked = text;
            } else if (maskNext) {
                masked = MASK;
                maskNext = false;
            } else if (text.startsWith("-")) {
                int eq = text.indexOf('=');
                String name = eq < 0 ? text : text.substring(0, eq);
                if (!sensitive(name)) {
                    masked = text;
                } else if (eq < 0) {
                    masked = text;
                    maskNext = true;
                } else {
                    masked = name + "=" + MASK;
                }
            } else {
                masked = secretArgument(command, positional) ? MASK : pairs(text);
                positional.add(text);
            }
            out.append(line, copied, w.start()).append(masked);
            copied = w.end();
        }
        return out.append(line.substring(copied)).toString();
    }

    /**
     * Whether the next positional argument of a command is a secret by its place: the password of Karaf's
     * {@code jaas:user-add <user> <password>}, and the value of {@code config:property-set <key> <value>} when the key
     * names a secret.
     */
    private static boolean secretArgument(String command, List<String> before) {
        String c = command.substring(command.indexOf(':') + 1).toLowerCase(Locale.ROOT);
        if (c.equals("user-add") || c.equals("useradd")) {
            return before.size() == 1;
        }
        if (c.equals("property-set") || c.equals("propset")) {
            return before.size() == 1 && sensitive(before.get(0));
        }
        return false;
    }

    /** A word of {@code name=value} pairs (separated by commas, after an optional {@code type:}), sensitive values masked. */
    private static String pairs(String word) {
        if (word.indexOf('=') < 0) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        String[] parts = word.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            String part = parts[i];
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            int colon = name.lastIndexOf(':');
            String key = colon < 0 ? name : name.substring(colon + 1); // http:secret=x names "secret"
            out.append(eq >= 0 && sensitive(key) ? name + "=" + MASK : part);
        }
        return out.toString();
    }

    /** Whether an option or key names a secret; {@code --show-secret} and {@code --no-...} switches name none. */
    static boolean sensitive(String name) {
        String n = name.replaceFirst("^-+", "").replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.startsWith("show-") || n.startsWith("no-")) {
            return false;
        }
        return SENSITIVE.stream().anyMatch(n::contains);
    }

    /**
     * The words of a line as the shell splits them: white space separates them except inside quotes or after a
     * backslash; {@code ;}, {@code |} and a line break end a command and are words of their own.
     */
    private static List<Word> words(String line) {
        List<Word> words = new ArrayList<>();
        int start = -1;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                start = start < 0 ? i : start;
            } else if (c == '\\' && i + 1 < line.length()) {
                start = start < 0 ? i : start;
                i++;
            } else if (c == ';' || c == '|' || c == '\n' || c == '\r') {
                if (start >= 0) {
                    words.add(new Word(start, i, false));
                    start = -1;
                }
                words.add(new Word(i, i + 1, true));
            } else if (Character.isWhitespace(c)) {
                if (start >= 0) {
                    words.add(new Word(start, i, false));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(new Word(start, line.length(), false));
        }
        return words;
    }
}
