package io.thingport.core.internal.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleSqlEvalTest {
    private static final Map<String, Object> HOT = Messages.report(Map.of("temp", 31.5, "humidity", 40));
    private static final Map<String, Object> COLD = Messages.report(Map.of("temp", 12, "humidity", 70));

    /** Evaluates one expression (as column x) against a message with the given extra top-level fields. */
    private static Object value(String expression, Map<String, Object> message) {
        return RuleSql.compile("SELECT " + expression + " AS x FROM \"/thermo/+/properties/report\"").apply(message).orElseThrow()
                .get("x");
    }

    private static Object value(String expression) {
        return value(expression, HOT);
    }

    private static boolean where(String condition, Map<String, Object> message) {
        return RuleSql.compile("SELECT deviceId FROM \"/thermo/+/properties/report\" WHERE " + condition).apply(message).isPresent();
    }

    @Test
    void theExampleStatementSelectsHotReportsOnly() {
        // Verifies that the brief's example compiles, names its columns and filters on the temperature.
        // GIVEN the example statement
        CompiledStatement st = RuleSql.compile("SELECT payload.properties.temp AS t, deviceId, timestamp FROM"
                + " \"/thermo/+/properties/report\" WHERE payload.properties.temp > 30");
        // WHEN it runs on a hot and a cold report
        Optional<Map<String, Object>> hot = st.apply(HOT);
        Optional<Map<String, Object>> cold = st.apply(COLD);
        // THEN the hot one gives the columns in SELECT order, the cold one nothing
        assertThat(st.sources()).containsExactly("/thermo/+/properties/report");
        assertThat(st.outputNames()).containsExactly("t", "deviceId", "timestamp");
        assertThat(st.selectsAll()).isFalse();
        assertThat(hot.orElseThrow()).containsExactly(entry("t", 31.5), entry("deviceId", "t-1"), entry("timestamp", 1_601_196_762_389L));
        assertThat(cold).isEmpty();
    }

    @Test
    void starSelectsEveryTopLevelFieldThenTheOtherColumns() {
        // Verifies that * copies the message's top-level fields and can be combined with other columns.
        // GIVEN SELECT *, an expression
        CompiledStatement st = RuleSql.compile("select *, payload.properties.humidity + 1 from \"/thermo/+/properties/report\"");
        // WHEN it runs
        Map<String, Object> row = st.apply(HOT).orElseThrow();
        // THEN every field of the message is there, then the expression under its derived name
        assertThat(st.selectsAll()).isTrue();
        assertThat(st.outputNames()).containsExactly("*", "expr1");
        assertThat(row.keySet()).containsExactly("deviceId", "productId", "messageId", "timestamp", "topic", "type", "payload", "expr1");
        assertThat(row.get("expr1")).isEqualTo(41L);
    }

    @Test
    void outputNamesComeFromAliasesPathsOrPositions() {
        // Verifies the naming rules for columns: alias, last path name, exprN for the rest.
        // GIVEN columns of every kind
        CompiledStatement st = RuleSql.compile("SELECT 1 + 2, payload.properties.temp, upper(deviceId) AS dev, 'x',"
                + " payload.values[0] FROM \"/thermo/+/properties/report\"");
        // WHEN / THEN
        assertThat(st.outputNames()).containsExactly("expr1", "temp", "dev", "expr2", "values");
        assertThat(st.text()).startsWith("SELECT 1 + 2");
    }

    @Test
    void severalSourcesAreKeptAsWritten() {
        // Verifies that FROM takes topic filters with wildcards and platform events, in order.
        // GIVEN three sources
        CompiledStatement st = RuleSql.compile("SELECT * FROM \"/thermo/+/properties/report\", \"$events/device/online\","
                + " \"/+/+/#\", \"$events/message/rejected\"");
        // WHEN / THEN
        assertThat(st.sources()).containsExactly("/thermo/+/properties/report", "$events/device/online", "/+/+/#",
                "$events/message/rejected");
    }

    @Test
    void missingFieldsAndListIndexes() {
        // Verifies that a missing field is null and that a list element is reachable by index.
        // GIVEN a message with a list
        Map<String, Object> m = new HashMap<>(HOT);
        m.put("payload", Map.of("values", List.of(5, 6)));
        // WHEN / THEN
        assertThat(value("payload.values[1]", m)).isEqualTo(6);
        assertThat(value("payload.values[2]", m)).isNull();
        assertThat(value("payload.nothing.deeper", m)).isNull();
        assertThat(value("deviceId.sub", m)).isNull();
        assertThat(value("payload.values.x", m)).isNull();
    }

    @Test
    void literalsAndArithmetic() {
        // Verifies literal types, precedence, exact long arithmetic and double promotion.
        // GIVEN / WHEN / THEN
        assertThat(value("1 + 2 * 3")).isEqualTo(7L);
        assertThat(value("(1 + 2) * 3")).isEqualTo(9L);
        assertThat(value("7 / 2")).isEqualTo(3L);
        assertThat(value("7 % 3")).isEqualTo(1L);
        assertThat(value("-7 % 3")).isEqualTo(-1L);
        assertThat(value("7.0 / 2")).isEqualTo(3.5);
        assertThat(value("1e3")).isEqualTo(1000.0);
        assertThat(value("2 - -3")).isEqualTo(5L);
        assertThat(value("-(2 + 3)")).isEqualTo(-5L);
        assertThat(value("payload.properties.temp * 2")).isEqualTo(63.0);
        assertThat(value("payload.properties.humidity - 50")).isEqualTo(-10L);
        assertThat(value("'it''s'")).isEqualTo("it's");
        assertThat(value("TRUE")).isEqualTo(true);
        assertThat(value("null")).isNull();
        assertThat(value("payload.missing + 1")).isNull();
        assertThat(value("-payload.missing")).isNull();
    }

    @Test
    void numbersOfEveryJavaTypeCompareAndAdd() {
        // Verifies that Integer, Long, BigInteger, Double and BigDecimal mix in comparisons and arithmetic.
        // GIVEN a payload with numbers of every JSON-decoded type
        Map<String, Object> m = new HashMap<>(HOT);
        m.put("payload", Map.of("i", 3, "l", 3L, "bi", BigInteger.valueOf(3), "d", 3.0, "bd", new BigDecimal("3.00"),
                "big", new BigInteger("123456789012345678901234567890")));
        // WHEN / THEN
        assertThat(where("payload.i = payload.l AND payload.l = payload.bi AND payload.bi = payload.d AND payload.d = payload.bd", m))
                .isTrue();
        assertThat(value("payload.i + payload.bi", m)).isEqualTo(6L);
        assertThat(value("payload.bd + 1", m)).isEqualTo(4.0);
        assertThat(where("payload.big > 9223372036854775807", m)).isTrue();
        assertThat(where("9007199254740993 > 9007199254740992.0", m)).isTrue();
    }

    @Test
    void comparisonsOnStringsBooleansAndNull() {
        // Verifies string ordering, boolean equality and that a comparison with null is false.
        // GIVEN / WHEN / THEN
        assertThat(where("deviceId = 't-1'", HOT)).isTrue();
        assertThat(where("deviceId <> 't-1'", HOT)).isFalse();
        assertThat(where("deviceId != 't-2'", HOT)).isTrue();
        assertThat(where("'abc' < 'abd' AND 'b' >= 'a' AND 'a' <= 'a'", HOT)).isTrue();
        assertThat(where("TRUE = TRUE AND TRUE != FALSE", HOT)).isTrue();
        assertThat(where("payload.missing = 1", HOT)).isFalse();
        assertThat(where("payload.missing != 1", HOT)).isFalse();
        assertThat(where("NOT (payload.missing = 1)", HOT)).isTrue();
        assertThat(where("null = null", HOT)).isFalse();
    }

    @Test
    void threeValuedLogicShortCircuits() {
        // Verifies SQL's three-valued AND / OR / NOT: null AND false is false, null OR true is true, the rest null.
        // GIVEN a message where payload.flag is missing (null)
        // WHEN / THEN
        assertThat(value("payload.flag AND FALSE")).isEqualTo(false);
        assertThat(value("FALSE AND payload.flag")).isEqualTo(false);
        assertThat(value("payload.flag AND TRUE")).isNull();
        assertThat(value("payload.flag OR TRUE")).isEqualTo(true);
        assertThat(value("payload.flag OR FALSE")).isNull();
        assertThat(value("NOT payload.flag")).isNull();
        assertThat(value("NOT NOT TRUE")).isEqualTo(true);
        // the right side is not evaluated when the left decides: 1 / 0 would fail
        assertThat(value("FALSE AND 1 / 0 = 1")).isEqualTo(false);
        assertThat(value("TRUE OR 1 / 0 = 1")).isEqualTo(true);
        assertThat(value("TRUE OR FALSE AND FALSE")).isEqualTo(true);
        // WHERE null keeps nothing
        assertThat(where("payload.flag", HOT)).isFalse();
        assertThat(where("payload.flag OR TRUE", HOT)).isTrue();
    }

    @Test
    void isNullInAndLike() {
        // Verifies IS [NOT] NULL, [NOT] IN and [NOT] LIKE, including their null operands.
        // GIVEN / WHEN / THEN
        assertThat(where("payload.missing IS NULL AND deviceId IS NOT NULL", HOT)).isTrue();
        assertThat(where("deviceId IN ('t-0', 't-1')", HOT)).isTrue();
        assertThat(where("deviceId NOT IN ('t-0', 't-2')", HOT)).isTrue();
        assertThat(where("payload.properties.humidity IN (39, 40.0)", HOT)).isTrue();
        assertThat(where("payload.properties.humidity IN (null, 41)", HOT)).isFalse();
        assertThat(where("payload.missing IN (1, null)", HOT)).isFalse();
        assertThat(where("payload.missing NOT IN (1)", HOT)).isFalse();
        assertThat(where("deviceId LIKE 't-_'", HOT)).isTrue();
        assertThat(where("topic LIKE '/thermo/%/report'", HOT)).isTrue();
        assertThat(where("topic NOT LIKE '%event%'", HOT)).isTrue();
        assertThat(where("payload.missing LIKE '%'", HOT)).isFalse();
        assertThat(where("payload.missing NOT LIKE 'x'", HOT)).isFalse();
    }

    @Test
    void caseExpressions() {
        // Verifies searched and simple CASE, with and without ELSE.
        // GIVEN / WHEN / THEN
        String searched = "CASE WHEN payload.properties.temp > 30 THEN 'hot' WHEN payload.properties.temp > 20 THEN 'warm'"
                + " ELSE 'cold' END";
        assertThat(value(searched, HOT)).isEqualTo("hot");
        assertThat(value(searched, COLD)).isEqualTo("cold");
        assertThat(value("CASE payload.properties.humidity WHEN 70 THEN 'wet' WHEN 40 THEN 'ok' END", HOT)).isEqualTo("ok");
        assertThat(value("CASE payload.properties.humidity WHEN 1 THEN 'x' END", HOT)).isNull();
        assertThat(value("CASE WHEN payload.flag THEN 1 ELSE 2 END", HOT)).isEqualTo(2L);
        assertThat(value("CASE payload.missing WHEN null THEN 1 ELSE 2 END", HOT)).isEqualTo(2L);
    }

    @Test
    void functionsOfEveryFamily() {
        // Verifies the string, math, time and misc functions, their case-insensitive names and null propagation.
        // GIVEN / WHEN / THEN
        assertThat(value("LOWER('AbC')")).isEqualTo("abc");
        assertThat(value("upper(deviceId)")).isEqualTo("T-1");
        assertThat(value("trim('  a b ')")).isEqualTo("a b");
        assertThat(value("length('h\u00e9llo')")).isEqualTo(5L);
        assertThat(value("concat(deviceId, ':', payload.properties.humidity, ':', TRUE)")).isEqualTo("t-1:40:true");
        assertThat(value("concat(deviceId, payload.missing)")).isNull();
        assertThat(value("substr('abcdef', 2)")).isEqualTo("bcdef");
        assertThat(value("substr('abcdef', 2, 3)")).isEqualTo("bcd");
        assertThat(value("substr('abcdef', 0, 2)")).isEqualTo("a");
        assertThat(value("substr('abcdef', 5, 100)")).isEqualTo("ef");
        assertThat(value("substr('abcdef', 9)")).isEqualTo("");
        assertThat(value("substr('abc', 2, -1)")).isEqualTo("");
        assertThat(value("replace('a-b-c', '-', '+')")).isEqualTo("a+b+c");
        assertThat(value("startswith(topic, '/thermo/') AND endswith(topic, '/report') AND contains(topic, 't-1')")).isEqualTo(true);
        assertThat(value("abs(-3)")).isEqualTo(3L);
        assertThat(value("abs(-3.5)")).isEqualTo(3.5);
        assertThat(value("round(2.5)")).isEqualTo(3L);
        assertThat(value("round(2.675, 2)")).isEqualTo(2.68);
        assertThat(value("round(1234, -2)")).isEqualTo(1200L);
        assertThat(value("floor(-2.5)")).isEqualTo(-3L);
        assertThat(value("ceil(2.1)")).isEqualTo(3L);
        assertThat(value("sqrt(16)")).isEqualTo(4.0);
        assertThat(value("power(2, 10)")).isEqualTo(1024L);
        assertThat(value("power(2, -1)")).isEqualTo(0.5);
        assertThat(value("mod(-7, 3)")).isEqualTo(-1L);
        assertThat(value("format_date(timestamp, 'yyyy-MM-dd HH:mm:ss')")).isEqualTo("2020-09-27 08:52:42");
        assertThat(value("format_date(0, 'HH:mm', 'Europe/Paris')")).isEqualTo("01:00");
        assertThat(value("coalesce(payload.missing, payload.other, 'fallback')")).isEqualTo("fallback");
        assertThat(value("coalesce(payload.missing)")).isNull();
        assertThat(value("to_string(payload.properties.humidity)")).isEqualTo("40");
        assertThat(value("to_number(' 42 ')")).isEqualTo(42L);
        assertThat(value("to_number('-1.5e2')")).isEqualTo(-150.0);
        assertThat(value("to_number('99999999999999999999')")).isEqualTo(1e20);
        assertThat(value("upper(payload.missing)")).isNull();
    }

    @Test
    void toStringWritesJson() {
        // Verifies that to_string of an object or array gives its JSON text.
        // GIVEN a payload with a nested object, an array and a string needing escapes
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("a", 1);
        payload.put("b", Arrays.asList("x\"y", null, true, 2.5));
        Map<String, Object> m = new HashMap<>(HOT);
        m.put("payload", payload);
        // WHEN / THEN
        assertThat(value("to_string(payload)", m)).isEqualTo("{\"a\":1,\"b\":[\"x\\\"y\",null,true,2.5]}");
    }

    @Test
    void nowTimestampIsTheEvaluationClock() {
        // Verifies that now_timestamp() reads the clock when the message is evaluated.
        // GIVEN the time before
        long before = System.currentTimeMillis();
        // WHEN
        long now = (Long) value("now_timestamp()");
        // THEN
        assertThat(now).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void keywordsAndFunctionNamesAreCaseInsensitiveAndStatementsMayBeMultiLine() {
        // Verifies case-insensitive keywords and function names across lines.
        // GIVEN a lower-case, multi-line statement
        CompiledStatement st = RuleSql.compile("select\n  Upper(deviceId) as d\nfrom \"/thermo/+/properties/report\"\n"
                + "where payload.properties.temp is not null and deviceId like 't%'");
        // WHEN / THEN
        assertThat(st.apply(HOT).orElseThrow()).containsExactly(entry("d", "T-1"));
    }

    @Test
    void eventDataIsReachable() {
        // Verifies that an event's data is read from payload.data.
        // GIVEN an overheat event
        Map<String, Object> m = Messages.event("overheat", Map.of("temp", 95.0, "level", 2));
        CompiledStatement st = RuleSql.compile("SELECT payload.eventId, payload.data.level FROM \"/thermo/+/event/overheat\""
                + " WHERE payload.data.temp >= 90");
        // WHEN / THEN
        assertThat(st.apply(m).orElseThrow()).containsExactly(entry("eventId", "overheat"), entry("level", 2));
    }
}
