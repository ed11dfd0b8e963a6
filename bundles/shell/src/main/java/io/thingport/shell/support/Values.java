package io.thingport.shell.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingport.api.ThingportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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

    static Object value(String text) {
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

    public static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }
}
