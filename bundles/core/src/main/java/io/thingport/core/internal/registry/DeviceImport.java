package io.thingport.core.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import io.thingport.core.internal.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Reads the rows of a batch device import (CSV or JSON), keeping where each row came from for error messages. */
final class DeviceImport {
    static final int MAX_ROWS = 100_000;
    static final int MAX_ERRORS_SHOWN = 20;

    /** One device of the file; {@code mac} is checked as the device is created, like the other values. */
    record Row(String where, String id, String name, String secret, String mac) {
        /** As the generated one, but the secret masked ({@link Secrets#mask}). */
        @Override
        public String toString() {
            return "Row[where=" + where + ", id=" + id + ", name=" + name + ", secret=" + Secrets.mask(secret) + ", mac=" + mac + "]";
        }
    }

    private DeviceImport() {
    }

    /** CSV with a header naming the columns: {@code id} is required, {@code name}, {@code secret} and {@code mac} are optional. */
    static List<Row> parseCsv(String content) {
        String[] lines = content.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        int headerLine = 0;
        while (headerLine < lines.length && lines[headerLine].isBlank()) {
            headerLine++;
        }
        if (headerLine == lines.length) {
            return List.of();
        }
        String[] header = lines[headerLine].replace("\uFEFF", "").split(",", -1);
        int id = -1;
        int name = -1;
        int secret = -1;
        int mac = -1;
        for (int i = 0; i < header.length; i++) {
            switch (header[i].trim().toLowerCase(Locale.ROOT)) {
                case "id", "deviceid" -> id = i;
                case "name" -> name = i;
                case "secret" -> secret = i;
                case "mac" -> mac = i;
                default -> throw ThingportException.invalidArgument("line " + (headerLine + 1) + ": unknown column '" + header[i].trim()
                        + "' (the header must name the columns id, name, secret, mac; only id is required)");
            }
        }
        if (id < 0) {
            throw ThingportException.invalidArgument("line " + (headerLine + 1)
                    + ": the header has no id column (expected e.g. id,name,secret)");
        }
        List<Row> rows = new ArrayList<>();
        for (int n = headerLine + 1; n < lines.length; n++) {
            if (lines[n].isBlank()) {
                continue;
            }
            String[] cells = lines[n].split(",", -1);
            String where = "line " + (n + 1);
            if (cells.length != header.length) {
                throw ThingportException.invalidArgument(where + ": has " + cells.length + " columns, the header has " + header.length);
            }
            rows.add(new Row(where, cells[id].trim(), cell(cells, name), cell(cells, secret), cell(cells, mac)));
            checkSize(rows);
        }
        return rows;
    }

    private static String cell(String[] cells, int index) {
        if (index < 0) {
            return null;
        }
        String v = cells[index].trim();
        return v.isEmpty() ? null : v;
    }

    /** A JSON array of {@code {"id":..,"name":..,"secret":..,"mac":..}} (only the id required). */
    static List<Row> parseJson(String content) {
        JsonNode root = Json.parse(content, "device list");
        if (!root.isArray()) {
            throw ThingportException.invalidArgument("device list must be a JSON array of {\"id\":..,\"name\":..,\"secret\":..}");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            String where = "element " + i;
            if (!n.isObject()) {
                throw ThingportException.invalidArgument(where + ": must be an object");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!List.of("id", "name", "secret", "mac").contains(key)) {
                    throw ThingportException.invalidArgument(where + "." + key + ": is not a known key (expected id, name, secret, mac)");
                }
                if (!n.get(key).isTextual()) {
                    throw ThingportException.invalidArgument(where + "." + key + ": must be a string");
                }
            }
            rows.add(new Row(where, n.path("id").asText(null), n.path("name").asText(null), n.path("secret").asText(null),
                    n.path("mac").asText(null)));
            checkSize(rows);
        }
        return rows;
    }

    private static void checkSize(List<Row> rows) {
        if (rows.size() > MAX_ROWS) {
            throw ThingportException.invalidArgument("an import may hold at most " + MAX_ROWS + " devices; split the file");
        }
    }

    /** Refuses the import with every problem found (the first {@link #MAX_ERRORS_SHOWN} of them), if there is any. */
    static void failIfAny(List<String> errors, String outcome) {
        if (errors.isEmpty()) {
            return;
        }
        List<String> shown = errors.subList(0, Math.min(errors.size(), MAX_ERRORS_SHOWN));
        String more = errors.size() > shown.size() ? "\n  ... and " + (errors.size() - shown.size()) + " more" : "";
        throw ThingportException.invalidArgument(errors.size() + " problem(s), " + outcome + ":\n  " + String.join("\n  ", shown)
                + more);
    }
}
