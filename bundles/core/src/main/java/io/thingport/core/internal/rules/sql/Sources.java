package io.thingport.core.internal.rules.sql;

import java.util.Arrays;
import java.util.List;

/**
 * The FROM entries: a topic filter in the official topic space ({@code /{product}/{device}/...}, 3 or more levels,
 * MQTT wildcards {@code +} for one whole level and {@code #} for the whole rest) or a platform event.
 */
final class Sources {
    static final List<String> EVENTS = List.of("$events/device/online", "$events/device/offline", "$events/command/reply",
            "$events/message/rejected", "$events/device/alarm", "$events/command/queued", "$events/command/sent",
            "$events/command/replied", "$events/command/expired", "$events/command/failed", "$events/command/cancelled");

    private Sources() {
    }

    static boolean isTopic(String source) {
        return source.startsWith("/");
    }

    /** The levels of a topic filter, without the leading empty one: /thermo/+/properties/report -> thermo, +, properties, report. */
    static List<String> levels(String topic) {
        return Arrays.asList(topic.substring(1).split("/", -1));
    }

    static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    /** Why {@code source} is not a valid FROM entry, or null when it is. */
    static String problem(String source) {
        if (EVENTS.contains(source)) {
            return null;
        }
        String why = source.startsWith("$") ? "unknown platform event" : topicProblem(source);
        if (why == null) {
            return null;
        }
        return "invalid source \"" + Token.shorten(source) + "\" in FROM (" + why + "): a source is a topic filter of 3 or more"
                + " levels such as \"/thermo/+/properties/report\" (+ stands for one whole level, # for all the remaining"
                + " levels), or one of " + String.join(", ", EVENTS);
    }

    private static String topicProblem(String topic) {
        if (!isTopic(topic)) {
            return "a topic filter starts with /";
        }
        for (int i = 0; i < topic.length(); i++) {
            if (Character.isISOControl(topic.charAt(i)) || Character.isWhitespace(topic.charAt(i))) {
                return "a topic filter has no blanks or control characters";
            }
        }
        List<String> levels = levels(topic);
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.isEmpty()) {
                return "level " + (i + 1) + " is empty";
            }
            if ((level.contains("+") || level.contains("#")) && !isWildcard(level)) {
                return "level '" + Token.shorten(level) + "' mixes a wildcard with text";
            }
            if (level.equals("#") && i != levels.size() - 1) {
                return "# must be the last level";
            }
        }
        if (levels.size() < 3) {
            return "it has " + levels.size() + (levels.size() == 1 ? " level" : " levels");
        }
        return null;
    }
}
