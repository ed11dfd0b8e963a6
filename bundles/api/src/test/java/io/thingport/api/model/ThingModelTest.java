package io.thingport.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThingModelTest {
    private static final ThingModel MODEL = new ThingModel(List.of(
            new PropertySpec("temp", "Temperature", DataType.number(DataType.Kind.FLOAT, -40, 85, null, "°C"), Access.READ_ONLY, null,
                    null),
            new PropertySpec("level", null, DataType.number(DataType.Kind.INT, 0, 100, 5, null), Access.READ_WRITE, null, null),
            new PropertySpec("led", null, DataType.of(DataType.Kind.BOOL), Access.READ_WRITE, null, null),
            new PropertySpec("mode", null, DataType.enumOf(Map.of("0", "off", "1", "eco")), Access.READ_WRITE, null, null),
            new PropertySpec("label", null, DataType.string(4), Access.READ_WRITE, null, null),
            new PropertySpec("pos", null, DataType.objectOf(List.of(
                    new Field("lat", null, DataType.of(DataType.Kind.DOUBLE), true),
                    new Field("lon", null, DataType.of(DataType.Kind.DOUBLE), true))), Access.READ_ONLY, null, null),
            new PropertySpec("samples", null, DataType.arrayOf(DataType.of(DataType.Kind.INT), 3), Access.READ_ONLY, null, null)),
            List.of(new FunctionSpec("reboot", null, List.of(new Field("delay", null,
                    DataType.number(DataType.Kind.INT, 0, 60, null, "s"), true)), null, false, null)),
            List.of(new EventSpec("overheat", null, EventLevel.WARN, DataType.number(DataType.Kind.FLOAT, null, null, null, null), null)));

    @Test
    void acceptsValidReportAndNormalizes() {
        // Verifies that valid values pass and come back in canonical form.
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("temp", 36.5);
        in.put("level", 45);
        in.put("led", 1);
        in.put("mode", 1);
        in.put("pos", Map.of("lat", 1.5, "lon", 2));
        assertThat(MODEL.checkReported(in)).containsEntry("temp", 36.5).containsEntry("level", 45L)
                .containsEntry("led", true).containsEntry("mode", "1");
    }

    @Test
    void rejectsAboveMaximumNamingFieldAndRule() {
        // Verifies the message format of the official protocol's example.
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("temp", 900)))
                .isInstanceOf(ValidationException.class)
                .hasMessage("property temp: 900 is above the maximum 85")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE);
    }

    @Test
    void rejectsWholeReportWhenOnePropertyIsInvalid() {
        // Verifies that every violation is listed and nothing partial is returned.
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("temp", 20);
        in.put("level", 7);
        in.put("nope", 1);
        assertThatThrownBy(() -> MODEL.checkReported(in)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).violations()).hasSize(2))
                .hasMessageContaining("property level: 7 is not on the step 5 from 0")
                .hasMessageContaining("property nope: the thing model has no property nope");
    }

    @Test
    void anEnumTakesItsValueOrItsLabelAndKeepsTheValue() {
        // Verifies that a label is stored as its value, a value as itself, and an unknown or shared label is refused.
        // GIVEN the mode enum {"0":"off","1":"eco"} / WHEN / THEN
        assertThat(MODEL.checkReported(Map.of("mode", "eco"))).containsEntry("mode", "1");
        assertThat(MODEL.checkReported(Map.of("mode", 1))).containsEntry("mode", "1");
        assertThat(MODEL.checkReported(Map.of("mode", "0"))).containsEntry("mode", "0");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("mode", "turbo")))
                .hasMessageContaining("property mode: \"turbo\" is not one of the enum values").hasMessageContaining("nor their labels");
        DataType twice = DataType.enumOf(Map.of("0", "same", "1", "same"));
        assertThatThrownBy(() -> twice.normalize("same", "property x")).hasMessageContaining("is the label of several enum values");
    }

    @Test
    void rejectsWrongTypesAndLengths() {
        // Verifies each type's rule.
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("level", 45.5))).hasMessageContaining("is not a whole number");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("led", "yes"))).hasMessageContaining("is not a bool");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("mode", 7))).hasMessageContaining("is not one of the enum values");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("label", "toolong"))).hasMessageContaining("longer than the maximum 4");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("temp", "hot"))).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("pos", Map.of("lat", 1))))
                .hasMessageContaining("property pos.lon: the field is required");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("samples", List.of(1, 2, 3, 4))))
                .hasMessageContaining("longer than the maximum 3");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of("samples", List.of(1, "x")))).hasMessageContaining("property samples[1]");
        assertThatThrownBy(() -> MODEL.checkReported(Map.of())).hasMessageContaining("at least one property");
    }

    @Test
    void checksWritesReadsInvocationsAndEvents() {
        // Verifies the downlink checks: read-only properties cannot be written, inputs are typed and required.
        assertThatThrownBy(() -> MODEL.checkWrite(Map.of("temp", 20))).hasMessage("property temp: the property is read-only");
        assertThat(MODEL.checkWrite(Map.of("led", false))).containsEntry("led", false);
        assertThatThrownBy(() -> MODEL.checkRead(List.of("temp", "x"))).hasMessageContaining("property x");
        assertThat(MODEL.checkInvoke("reboot", Map.of("delay", 5))).containsEntry("delay", 5L);
        assertThatThrownBy(() -> MODEL.checkInvoke("reboot", Map.of())).hasMessage("function reboot input delay: the input is required");
        assertThatThrownBy(() -> MODEL.checkInvoke("reboot", Map.of("delay", 61))).hasMessageContaining("above the maximum 60");
        assertThatThrownBy(() -> MODEL.checkInvoke("fly", Map.of())).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.UNKNOWN_IDENTIFIER);
        assertThat(MODEL.checkEvent("overheat", 99.5)).isEqualTo(99.5);
        assertThatThrownBy(() -> MODEL.checkEvent("overheat", "x")).hasMessageContaining("event overheat");
    }

    @Test
    void refusesUnsoundDefinitions() {
        // Verifies that a broken model is refused with every problem named.
        assertThatThrownBy(() -> new ThingModel(List.of(
                new PropertySpec("a", null, DataType.number(DataType.Kind.INT, 10, 1, null, null), null, null, null),
                new PropertySpec("a", null, DataType.of(DataType.Kind.BOOL), null, null, null),
                new PropertySpec("e", null, DataType.enumOf(Map.of()), null, null, null)), List.of(), List.of()))
                .hasMessageContaining("property a is defined twice")
                .hasMessageContaining("min 10 is greater than max 1")
                .hasMessageContaining("property e: an enum needs at least one value");
        assertThatThrownBy(() -> new PropertySpec("1abc", null, DataType.of(DataType.Kind.BOOL), null, null, null))
                .hasMessageContaining("must start with a letter");
    }

    @Test
    void acceptsDatesAndBinary() {
        // Verifies date parsing and binary length in bytes.
        DataType date = DataType.of(DataType.Kind.DATE);
        assertThat(date.normalize("2024-01-01T00:00:00Z", "d")).isEqualTo(1704067200000L);
        assertThat(date.normalize(5L, "d")).isEqualTo(5L);
        DataType bin = new DataType(DataType.Kind.BINARY, null, null, null, null, null, 2, null, null);
        assertThat(bin.normalize("AAE=", "b")).isEqualTo("AAE=");
        assertThatThrownBy(() -> bin.normalize("AAEC", "b")).hasMessageContaining("3 bytes is longer than the maximum 2 bytes");
        assertThatThrownBy(() -> bin.normalize("!!", "b")).hasMessageContaining("not valid Base64");
    }
}
