package io.thingport.simulator.values;

import io.thingport.api.model.Access;
import io.thingport.api.model.DataType;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.Field;
import io.thingport.api.model.FunctionSpec;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A thing model with every data type and the constraints each can carry. */
final class EveryType {
    /** The writable properties; the others are read-only. */
    static final Set<String> WRITABLE = Set.of("on", "mode", "level", "temp", "where");

    private EveryType() {
    }

    static Map<String, DataType> types() {
        Map<String, String> modes = new LinkedHashMap<>();
        modes.put("0", "off");
        modes.put("1", "eco");
        modes.put("2", "boost");
        Map<String, DataType> t = new LinkedHashMap<>();
        t.put("on", DataType.of(DataType.Kind.BOOL));
        t.put("mode", DataType.enumOf(modes));
        t.put("level", DataType.number(DataType.Kind.INT, 0, 100, 5, "%"));
        t.put("count", DataType.number(DataType.Kind.INT, null, null, null, null));
        t.put("offset", DataType.number(DataType.Kind.INT, -7, null, 3, null));
        t.put("total", DataType.number(DataType.Kind.LONG, 1_000_000_000_000L, 1_000_000_000_500L, null, null));
        t.put("huge", DataType.number(DataType.Kind.LONG, Long.MIN_VALUE, Long.MAX_VALUE, null, null));
        t.put("temp", DataType.number(DataType.Kind.FLOAT, -40, 85, null, "C"));
        t.put("fine", DataType.number(DataType.Kind.FLOAT, -40, 85, 0.1, "C"));
        t.put("ratio", DataType.number(DataType.Kind.DOUBLE, 0.001, 0.002, null, null));
        t.put("below", DataType.number(DataType.Kind.DOUBLE, null, -10.5, 0.25, null));
        t.put("label", DataType.string(3));
        t.put("note", DataType.string(null));
        t.put("seen", DataType.of(DataType.Kind.DATE));
        t.put("blob", new DataType(DataType.Kind.BINARY, null, null, null, null, null, 2, null, null));
        t.put("samples", DataType.arrayOf(DataType.number(DataType.Kind.INT, 1, 3, null, null), 2));
        t.put("points", DataType.arrayOf(DataType.objectOf(List.of(
                new Field("x", null, DataType.number(DataType.Kind.DOUBLE, 0, 1, null, null), true))), null));
        t.put("where", DataType.objectOf(List.of(
                new Field("lat", null, DataType.number(DataType.Kind.DOUBLE, -90, 90, null, null), true),
                new Field("lng", null, DataType.number(DataType.Kind.DOUBLE, -180, 180, null, null), true),
                new Field("name", null, DataType.string(8), false),
                new Field("tags", null, DataType.arrayOf(DataType.of(DataType.Kind.BOOL), 4), false))));
        return t;
    }

    /** Every type as a property (the {@link #WRITABLE} ones writable), as a function output, as an event output. */
    static ThingModel model() {
        List<PropertySpec> properties = new ArrayList<>();
        List<FunctionSpec> functions = new ArrayList<>();
        List<EventSpec> events = new ArrayList<>();
        for (Map.Entry<String, DataType> e : types().entrySet()) {
            Access access = WRITABLE.contains(e.getKey()) ? Access.READ_WRITE : Access.READ_ONLY;
            properties.add(new PropertySpec(e.getKey(), null, e.getValue(), access, null, null));
            functions.add(new FunctionSpec("get_" + e.getKey(), null, List.of(), e.getValue(), false, null));
            events.add(new EventSpec("on_" + e.getKey(), null, null, e.getValue(), null));
        }
        functions.add(new FunctionSpec("reboot", null, List.of(new Field("delay", null,
                DataType.number(DataType.Kind.INT, 0, 60, null, null), true)), null, false, null));
        events.add(new EventSpec("anything", null, null, null, null));
        return new ThingModel(properties, functions, events);
    }
}
