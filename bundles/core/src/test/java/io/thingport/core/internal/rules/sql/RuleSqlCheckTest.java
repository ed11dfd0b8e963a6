package io.thingport.core.internal.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.thingport.api.model.DataType;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.Field;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RuleSqlCheckTest {
    private static final ThingModel THERMO = new ThingModel(List.of(
            prop("temp", DataType.number(DataType.Kind.DOUBLE, -40, 85, null, "°C")),
            prop("humidity", DataType.number(DataType.Kind.INT, 0, 100, null, "%")),
            prop("mode", DataType.enumOf(Map.of("0", "eco", "1", "comfort"))),
            prop("on", DataType.of(DataType.Kind.BOOL)),
            prop("label", DataType.string(32)),
            prop("since", DataType.of(DataType.Kind.DATE)),
            prop("location", DataType.objectOf(List.of(new Field("lat", null, DataType.of(DataType.Kind.DOUBLE), true),
                    new Field("lon", null, DataType.of(DataType.Kind.DOUBLE), true))))),
            List.of(),
            List.of(new EventSpec("overheat", null, null, DataType.objectOf(List.of(
                    new Field("temp", null, DataType.of(DataType.Kind.DOUBLE), true),
                    new Field("level", null, DataType.of(DataType.Kind.INT), false))), null),
                    new EventSpec("ping", null, null, null, null)));
    private static final ThingModel HYGRO = new ThingModel(List.of(
            prop("humidity", DataType.of(DataType.Kind.DOUBLE)),
            prop("rain", DataType.of(DataType.Kind.BOOL))), List.of(), List.of());
    private static final Function<String, Optional<ThingModel>> MODELS = id -> Optional.ofNullable(
            Map.of("thermo", THERMO, "hygro", HYGRO).get(id));

    private static PropertySpec prop(String id, DataType type) {
        return new PropertySpec(id, null, type, null, null, null);
    }

    private static RuleSqlException checkError(String sql) {
        CompiledStatement st = RuleSql.compile(sql);
        RuleSqlException e = catchThrowableOfType(() -> st.check(MODELS), RuleSqlException.class);
        assertThat(e).as("checking %s", sql).isNotNull();
        return e;
    }

    private static void assertChecks(String sql) {
        CompiledStatement st = RuleSql.compile(sql);
        assertThatCode(() -> st.check(MODELS)).as(sql).doesNotThrowAnyException();
    }

    @Test
    void aStatementThatFitsTheModelPasses() {
        // Verifies that known properties, object fields, event data and well-typed comparisons pass the check.
        // GIVEN / WHEN / THEN
        assertChecks("SELECT payload.properties.temp AS t, deviceId, timestamp FROM \"/thermo/+/properties/report\""
                + " WHERE payload.properties.temp > 30");
        assertChecks("SELECT payload.properties.location.lat FROM \"/thermo/t-1/properties/report\" WHERE payload.properties.mode"
                + " IN ('0', 'eco') AND payload.properties.on = TRUE AND payload.properties.since > 0 AND payload.properties.label"
                + " LIKE 'a%' AND payload.properties.humidity IS NULL");
        assertChecks("SELECT payload.data.temp FROM \"/thermo/+/event/overheat\" WHERE payload.data.level >= 2");
        assertChecks("SELECT payload.properties.rain FROM \"/thermo/+/properties/report\", \"/hygro/+/properties/report\"");
        assertChecks("SELECT * FROM \"/thermo/+/+/#\" WHERE payload.properties.temp > 1.5 AND 30 < payload.properties.humidity");
    }

    @Test
    void sourcesWithoutALiteralProductSkipTheCheck() {
        // Verifies that wildcard products and platform events are not checked against any model.
        // GIVEN / WHEN / THEN
        assertChecks("SELECT payload.properties.nothing FROM \"/+/+/properties/report\" WHERE payload.properties.x = 'y'");
        assertChecks("SELECT payload.properties.nothing FROM \"$events/device/online\", \"$events/command/reply\"");
        // a wildcard-product source that can carry properties makes any property possible
        assertChecks("SELECT payload.properties.nothing FROM \"/thermo/+/properties/report\", \"/+/+/properties/report\"");
        // an event source with a wildcard event id makes any data field possible
        assertChecks("SELECT payload.data.anything FROM \"/thermo/+/event/+\"");
        // an event without a declared output accepts any data
        assertChecks("SELECT payload.data.anything FROM \"/thermo/+/event/ping\"");
        // a property reference is not checked against a source that cannot carry properties
        assertChecks("SELECT payload.properties.nothing FROM \"/thermo/+/event/overheat\"");
    }

    @Test
    void anUnknownProductIsNamedWithItsSource() {
        // Verifies the unknown-product error and its position on the source.
        // GIVEN a source naming a product that does not exist
        RuleSqlException e = checkError("SELECT a FROM \"/thermo/+/properties/report\",\n  \"/thermos/+/properties/report\"");
        // WHEN / THEN
        assertThat(e.reason()).isEqualTo("unknown product 'thermos' in FROM \"/thermos/+/properties/report\"");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(3);
        // even a platform-event-only statement with a product-less source does not ask the models
        assertThatCode(() -> RuleSql.compile("SELECT a FROM \"$events/device/online\"").check(id -> {
            throw new AssertionError("asked for " + id);
        })).doesNotThrowAnyException();
    }

    @Test
    void anUnknownPropertyListsTheKnownOnes() {
        // Verifies the unknown-property error, its position and the list of properties.
        // GIVEN a typo in a property name
        RuleSqlException e = checkError("SELECT deviceId\nFROM \"/thermo/+/properties/report\"\nWHERE  payload.properties.tmp > 30");
        // WHEN / THEN
        assertThat(e.reason()).isEqualTo("unknown property 'tmp' of product thermo (known: temp, humidity, mode, on, label, since,"
                + " location)");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(8);
        assertThat(e.getMessage()).startsWith("line 3, column 8: unknown property 'tmp' of product thermo");
        RuleSqlException both = checkError("SELECT payload.properties.tmp FROM \"/thermo/+/properties/report\", \"/hygro/+/+\"");
        assertThat(both.reason()).startsWith("unknown property 'tmp' of products thermo, hygro (known: temp, humidity, mode,")
                .endsWith("location, rain)");
        assertThat(checkError("SELECT payload.properties.location.alt FROM \"/thermo/+/properties/report\"").reason())
                .isEqualTo("unknown field 'alt' of payload.properties.location (known: lat, lon)");
    }

    @Test
    void theKnownListIsShortened() {
        // Verifies that at most 10 known names are listed.
        // GIVEN a model with 12 properties
        List<PropertySpec> props = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            props.add(prop("p" + i, DataType.of(DataType.Kind.INT)));
        }
        ThingModel big = new ThingModel(props, List.of(), List.of());
        CompiledStatement st = RuleSql.compile("SELECT payload.properties.q FROM \"/big/+/properties/report\"");
        // WHEN
        RuleSqlException e = catchThrowableOfType(() -> st.check(id -> Optional.of(big)), RuleSqlException.class);
        // THEN
        assertThat(e.reason()).isEqualTo("unknown property 'q' of product big (known: p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, ..."
                + " 2 more)");
    }

    @Test
    void eventsAndTheirDataFieldsMustExist() {
        // Verifies the unknown-event and unknown-event-field errors.
        // GIVEN / WHEN / THEN
        RuleSqlException event = checkError("SELECT payload.data.temp FROM \"/thermo/+/event/overheated\"");
        assertThat(event.reason()).isEqualTo("unknown event 'overheated' of product thermo in FROM \"/thermo/+/event/overheated\""
                + " (known: overheat, ping)");
        assertThat(event.column()).isEqualTo(31);
        RuleSqlException field = checkError("SELECT payload.data.tmp FROM \"/thermo/+/event/overheat\"");
        assertThat(field.reason()).isEqualTo("unknown field 'tmp' of the data of event overheat of product thermo (known: temp,"
                + " level)");
        assertThat(field.column()).isEqualTo(8);
    }

    @Test
    void aPropertyComparedWithALiteralOfAnotherTypeIsAMismatch() {
        // Verifies the statically visible type mismatches, with the literal's position.
        // GIVEN / WHEN / THEN
        String from = " FROM \"/thermo/+/properties/report\" WHERE ";
        RuleSqlException e = checkError("SELECT deviceId" + from + "payload.properties.temp > '30'");
        assertThat(e.reason()).isEqualTo("type mismatch: payload.properties.temp is double but is compared with the string '30'");
        assertThat(e.column()).isEqualTo(84);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("'30' = payload.properties.humidity", "payload.properties.humidity is int but is compared with the string '30'");
        cases.put("payload.properties.since <> 'yesterday'", "payload.properties.since is date but is compared with the string"
                + " 'yesterday'");
        cases.put("payload.properties.mode = 1", "payload.properties.mode is enum but is compared with the number 1");
        cases.put("payload.properties.label != -2.5", "payload.properties.label is string but is compared with the number -2.5");
        cases.put("payload.properties.on = 1", "payload.properties.on is bool but is compared with the number 1");
        cases.put("payload.properties.on = 'true'", "payload.properties.on is bool but is compared with the string 'true'");
        cases.put("payload.properties.temp = TRUE", "payload.properties.temp is double but is compared with the boolean true");
        cases.put("payload.properties.temp IN (1, 2, 'x')", "payload.properties.temp is double but is compared with the string 'x'");
        cases.put("payload.properties.location = 1", "payload.properties.location is object but is compared with the number 1");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThat(checkError("SELECT deviceId" + from + c.getKey()).reason()).as(c.getKey()).isEqualTo("type mismatch: "
                    + c.getValue());
        }
        // mismatches anywhere in the statement, event data included
        assertThat(checkError("SELECT CASE WHEN payload.data.level = 'high' THEN 1 END FROM \"/thermo/+/event/overheat\"").reason())
                .isEqualTo("type mismatch: payload.data.level is int but is compared with the string 'high'");
        // a property two products type differently fits either type
        assertChecks("SELECT a FROM \"/thermo/+/properties/report\", \"/hygro/+/properties/report\" WHERE payload.properties.humidity"
                + " = 1.5 AND payload.properties.rain = TRUE");
        // a comparison with NULL is not a mismatch
        assertChecks("SELECT a" + from + "payload.properties.temp = NULL");
    }
}
