package io.thingport.core.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ThingportException;
import io.thingport.api.model.Access;
import io.thingport.api.model.DataType;
import io.thingport.api.model.EventLevel;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.Field;
import io.thingport.api.model.FunctionSpec;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The thing model's JSON form (documented in the README): read with errors that name the JSON path, written so that
 * reading it back gives an equal model.
 */
public final class ThingModelJson {
    private ThingModelJson() {
    }

    // ---------------------------------------------------------------- writing

    public static ObjectNode toJson(ThingModel model) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode props = root.putArray("properties");
        for (PropertySpec p : model.properties()) {
            ObjectNode n = props.addObject();
            n.put("id", p.id());
            n.put("name", p.name());
            n.set("type", type(p.type()));
            n.put("access", wire(p.access().name()));
            n.put("kind", wire(p.kind().name()));
            putIfNotEmpty(n, "description", p.description());
        }
        ArrayNode funcs = root.putArray("functions");
        for (FunctionSpec f : model.functions()) {
            ObjectNode n = funcs.addObject();
            n.put("id", f.id());
            n.put("name", f.name());
            ArrayNode inputs = n.putArray("inputs");
            f.inputs().forEach(in -> inputs.add(field(in)));
            if (f.output() != null) {
                n.set("output", type(f.output()));
            }
            n.put("async", f.async());
            putIfNotEmpty(n, "description", f.description());
        }
        ArrayNode events = root.putArray("events");
        for (EventSpec e : model.events()) {
            ObjectNode n = events.addObject();
            n.put("id", e.id());
            n.put("name", e.name());
            n.put("level", wire(e.level().name()));
            if (e.output() != null) {
                n.set("output", type(e.output()));
            }
            putIfNotEmpty(n, "description", e.description());
        }
        return root;
    }

    private static void putIfNotEmpty(ObjectNode n, String key, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(key, value);
        }
    }

    private static ObjectNode field(Field f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("name", f.name());
        n.set("type", type(f.type()));
        n.put("required", f.required());
        return n;
    }

    private static ObjectNode type(DataType t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", t.kind().wireName());
        if (t.min() != null) {
            n.put("min", t.min());
        }
        if (t.max() != null) {
            n.put("max", t.max());
        }
        if (t.step() != null) {
            n.put("step", t.step());
        }
        if (t.unit() != null) {
            n.put("unit", t.unit());
        }
        if (!t.enumValues().isEmpty()) {
            ObjectNode values = n.putObject("values");
            t.enumValues().forEach(values::put);
        }
        if (t.maxLength() != null) {
            n.put("maxLength", t.maxLength());
        }
        if (t.elementType() != null) {
            n.set("element", type(t.elementType()));
        }
        if (!t.fields().isEmpty()) {
            ArrayNode fields = n.putArray("fields");
            t.fields().forEach(f -> fields.add(field(f)));
        }
        return n;
    }

    /** READ_WRITE → read-write. */
    private static String wire(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---------------------------------------------------------------- reading

    public static ThingModel parse(String json) {
        return fromJson(Json.parse(json, "thing model"), "");
    }

    /** @param path the JSON path of {@code node} for error messages ({@code ""} at the root) */
    public static ThingModel fromJson(JsonNode node, String path) {
        requireObject(node, path.isEmpty() ? "thing model" : path);
        onlyKeys(node, path, Set.of("properties", "functions", "events"));
        List<PropertySpec> properties = new ArrayList<>();
        forEach(node, path, "properties", (n, p) -> {
            onlyKeys(n, p, Set.of("id", "name", "type", "access", "kind", "description"));
            properties.add(new PropertySpec(text(n, p, "id", true), text(n, p, "name", false), dataType(n.get("type"), p + ".type"),
                    enumValue(Access.class, text(n, p, "access", false), p + ".access"),
                    enumValue(PropertyKind.class, text(n, p, "kind", false), p + ".kind"), text(n, p, "description", false)));
        });
        List<FunctionSpec> functions = new ArrayList<>();
        forEach(node, path, "functions", (n, p) -> {
            onlyKeys(n, p, Set.of("id", "name", "inputs", "output", "async", "description"));
            List<Field> inputs = new ArrayList<>();
            forEach(n, p, "inputs", (in, ip) -> inputs.add(fieldFrom(in, ip)));
            functions.add(new FunctionSpec(text(n, p, "id", true), text(n, p, "name", false), inputs,
                    n.hasNonNull("output") ? dataType(n.get("output"), p + ".output") : null,
                    bool(n, p, "async"), text(n, p, "description", false)));
        });
        List<EventSpec> events = new ArrayList<>();
        forEach(node, path, "events", (n, p) -> {
            onlyKeys(n, p, Set.of("id", "name", "level", "output", "description"));
            events.add(new EventSpec(text(n, p, "id", true), text(n, p, "name", false),
                    enumValue(EventLevel.class, text(n, p, "level", false), p + ".level"),
                    n.hasNonNull("output") ? dataType(n.get("output"), p + ".output") : null, text(n, p, "description", false)));
        });
        return new ThingModel(properties, functions, events);
    }

    private interface ElementReader {
        void read(JsonNode element, String path);
    }

    private static void forEach(JsonNode node, String path, String key, ElementReader reader) {
        JsonNode arr = node.get(key);
        String p = join(path, key);
        if (arr == null || arr.isNull()) {
            return;
        }
        if (!arr.isArray()) {
            throw bad(p, "must be an array");
        }
        for (int i = 0; i < arr.size(); i++) {
            String ep = p + "[" + i + "]";
            requireObject(arr.get(i), ep);
            try {
                reader.read(arr.get(i), ep);
            } catch (ThingportException e) {
                if (e.getMessage().startsWith(ep)) {
                    throw e;
                }
                throw bad(ep, e.getMessage());
            }
        }
    }

    private static Field fieldFrom(JsonNode n, String p) {
        onlyKeys(n, p, Set.of("id", "name", "type", "required"));
        return new Field(text(n, p, "id", true), text(n, p, "name", false), dataType(n.get("type"), p + ".type"), bool(n, p, "required"));
    }

    private static DataType dataType(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            throw bad(p, "is required");
        }
        if (n.isTextual()) {
            return DataType.of(DataType.Kind.fromWire(n.asText()));
        }
        requireObject(n, p);
        onlyKeys(n, p, Set.of("type", "min", "max", "step", "unit", "values", "maxLength", "element", "fields"));
        DataType.Kind kind;
        try {
            kind = DataType.Kind.fromWire(text(n, p, "type", true));
        } catch (ThingportException e) {
            throw bad(p + ".type", e.getMessage());
        }
        Map<String, String> values = null;
        if (n.has("values")) {
            JsonNode v = n.get("values");
            if (!v.isObject()) {
                throw bad(p + ".values", "must be an object of value → text");
            }
            values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), e.getValue().asText());
            }
        }
        Integer maxLength = null;
        if (n.has("maxLength")) {
            if (!n.get("maxLength").canConvertToInt() || !n.get("maxLength").isIntegralNumber()) {
                throw bad(p + ".maxLength", "must be a whole number");
            }
            maxLength = n.get("maxLength").asInt();
        }
        List<Field> fields = null;
        if (n.has("fields")) {
            List<Field> fs = new ArrayList<>();
            forEach(n, p, "fields", (f, fp) -> fs.add(fieldFrom(f, fp)));
            fields = fs;
        }
        DataType type = new DataType(kind, decimal(n, p, "min"), decimal(n, p, "max"), decimal(n, p, "step"),
                text(n, p, "unit", false), values, maxLength,
                n.has("element") ? dataType(n.get("element"), p + ".element") : null, fields);
        List<String> problems = type.definitionProblems(p);
        if (!problems.isEmpty()) {
            throw ThingportException.invalidArgument(String.join("; ", problems));
        }
        return type;
    }

    private static BigDecimal decimal(JsonNode n, String p, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw bad(join(p, key), "must be a number");
        }
        return v.decimalValue();
    }

    private static boolean bool(JsonNode n, String p, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad(join(p, key), "must be true or false");
        }
        return v.asBoolean();
    }

    private static String text(JsonNode n, String p, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad(join(p, key), "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw bad(join(p, key), "must be a string");
        }
        return v.asText();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String p) {
        if (value == null) {
            return null;
        }
        String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(wire(e.name()));
        }
        throw bad(p, "'" + value + "' is not one of " + allowed);
    }

    static void requireObject(JsonNode n, String p) {
        if (n == null || !n.isObject()) {
            throw bad(p, "must be a JSON object");
        }
    }

    static void onlyKeys(JsonNode n, String p, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw bad(join(p, key), "is not a known key (expected one of " + new TreeSet<>(allowed) + ")");
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static ThingportException bad(String path, String rule) {
        return ThingportException.invalidArgument(path + ": " + rule);
    }
}
