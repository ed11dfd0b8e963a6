package io.thingport.shell.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ThingportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing and formatting shared by the commands: {@code key=value} arguments, files, times. */
public final class Values {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private Values() {
    }

    /**
     * Parses {@code name=value} tokens. A value is read as JSON when it is valid JSON ({@code 5}, {@code true},
     * {@code "text"}, {@code {"a":1}}), otherwise taken as a plain string.
     */
    public static Map<String, Object> assignments(List<String> tokens) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (tokens == null) {
            return out;
        }
        for (String token : tokens) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw ThingportException.invalidArgument("'" + token + "' is not name=value");
            }
            String name = token.substring(0, eq);
            if (out.put(name, value(token.substring(eq + 1))) != null) {
                throw ThingportException.invalidArgument(name + " is given twice");
            }
        }
        return out;
    }

    /** A value as {@link #assignments} reads one: JSON when it is valid JSON, otherwise the text. */
    public static Object value(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** The value as indented JSON (documents shown whole: shadows). */
    public static String prettyJson(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    public static String readFile(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw ThingportException.invalidArgument("file " + path.toAbsolutePath() + " does not exist");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ThingportException.invalidArgument("cannot read " + path.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    /**
     * The ISO-8601 instant given to an option ({@code 2026-12-03T10:00:00Z}); {@code null} when the option was not given.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the option
     */
    public static Instant instant(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ThingportException.invalidArgument(option + " '" + text + "' is not an ISO-8601 instant such as 2026-12-03T10:00:00Z"
                    + " or 2026-12-03T10:00:00.250+01:00");
        }
    }

    /**
     * The ISO-8601 duration given to an option ({@code PT1M}, {@code PT0.5S}, {@code P1D}); {@code null} when the option
     * was not given.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the option
     */
    public static Duration duration(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ThingportException.invalidArgument(option + " '" + text + "' is not an ISO-8601 duration such as PT1M, PT15S or P1D");
        }
    }

    /**
     * Parses a duration option given in seconds ({@code 10}, {@code 0.5}) or as ISO-8601 ({@code PT10S}); {@code null}
     * when it was not given.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the option
     */
    public static Duration seconds(String option, String text) {
        if (text == null) {
            return null;
        }
        if (text.matches("\\d{1,9}(\\.\\d{1,3})?")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ThingportException.invalidArgument(option + " '" + text + "' is neither seconds (10, 0.5) nor an ISO-8601 duration"
                    + " such as PT1M");
        }
    }

    public static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }
}
