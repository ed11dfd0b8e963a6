package io.thingport.core.internal.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.model.DataType;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.alarms.AlarmRules.Transition;
import io.thingport.core.internal.json.ThingModelJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When alarm and fault properties are active, and the transitions a report makes. */
class AlarmRulesTest {
    static final ThingModel MODEL = ThingModelJson.parse("""
            {"properties":[
              {"id":"temp","type":"float"},
              {"id":"overheat","type":"bool","kind":"alarm"},
              {"id":"errorCode","type":"int","kind":"fault"},
              {"id":"state","type":{"type":"enum","values":{"ok":"normal","jam":"jammed","open":"door open"}},"kind":"fault"}]}
            """);

    @Test
    void activeValuesPerType() {
        // Verifies the documented rule: true, non-zero, not the first enum value, a non-empty string are active.
        // GIVEN / WHEN / THEN values of each type
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.BOOL), true)).isTrue();
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.BOOL), false)).isFalse();
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.INT), 0L)).isFalse();
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.INT), 3L)).isTrue();
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.DOUBLE), 0.0)).isFalse();
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.DOUBLE), -0.5)).isTrue();
        DataType state = MODEL.property("state").orElseThrow().type();
        assertThat(AlarmRules.isActive(state, "ok")).isFalse();
        assertThat(AlarmRules.isActive(state, "jam")).isTrue();
        assertThat(AlarmRules.isActive(DataType.string(10), "")).isFalse();
        assertThat(AlarmRules.isActive(DataType.string(10), "E42")).isTrue();
        assertThat(AlarmRules.isActive(DataType.of(DataType.Kind.BOOL), null)).isFalse();
    }

    @Test
    void aReportRaisesWhatBecameActiveAndClearsWhatBecameInactive() {
        // Verifies that only changes are transitions, in model order, and that status properties never are.
        // GIVEN a device whose errorCode fault is active
        Set<String> before = Set.of("errorCode");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("temp", 99.0);
        report.put("overheat", true);
        report.put("errorCode", 0L);
        report.put("state", "ok");
        // WHEN a report sets overheat, clears errorCode and keeps state normal
        List<Transition> t = AlarmRules.transitions(MODEL, report, before);
        // THEN overheat is raised and errorCode cleared, nothing else
        assertThat(t).containsExactly(new Transition("overheat", PropertyKind.ALARM, true, true),
                new Transition("errorCode", PropertyKind.FAULT, false, 0L));
    }

    @Test
    void aRepeatedOrMissingValueIsNoTransition() {
        // Verifies that an alarm still active, or a property the report does not carry, changes nothing.
        // GIVEN overheat active
        Set<String> before = Set.of("overheat");
        // WHEN a report repeats it and omits the others
        List<Transition> t = AlarmRules.transitions(MODEL, Map.of("overheat", true, "temp", 1.0), before);
        // THEN there is no transition
        assertThat(t).isEmpty();
        assertThat(AlarmRules.hasAlarms(ThingModelJson.parse("{\"properties\":[{\"id\":\"a\",\"type\":\"bool\"}]}"))).isFalse();
    }
}
