package io.thingport.core.internal.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSqlRuntimeErrorTest {
    private static final Map<String, Object> MESSAGE = message();

    private static Map<String, Object> message() {
        Map<String, Object> m = new HashMap<>(Messages.report(Map.of("temp", 31.5)));
        m.put("payload", Map.of("big", Long.MAX_VALUE, "text", "x".repeat(40_000), "flag", true, "list", List.of(1),
                "pattern", "%".repeat(1_001), "date", "yyyy-bb", "zone", "Mars/Olympus", "n", "12abc", "more", "y".repeat(30_000)));
        return m;
    }

    private static String evalError(String expression) {
        CompiledStatement st = RuleSql.compile("SELECT " + expression + " AS x FROM \"/thermo/+/properties/report\"");
        RuleEvalException e = catchThrowableOfType(() -> st.apply(MESSAGE), RuleEvalException.class);
        assertThat(e).as(expression).isNotNull();
        return e.getMessage();
    }

    @Test
    void arithmeticFailuresAreEvaluationErrors() {
        // Verifies overflow, division by zero and wrong operand types.
        // GIVEN / WHEN / THEN
        assertThat(evalError("payload.big + 1")).isEqualTo("integer overflow: 9223372036854775807 + 1 does not fit in a long");
        assertThat(evalError("payload.big * 2")).isEqualTo("integer overflow: 9223372036854775807 * 2 does not fit in a long");
        assertThat(evalError("-payload.big - 2")).startsWith("integer overflow");
        assertThat(evalError("(-payload.big - 1) / -1")).startsWith("integer overflow");
        assertThat(evalError("-(-payload.big - 1)")).startsWith("integer overflow");
        assertThat(evalError("abs(-payload.big - 1)")).startsWith("integer overflow");
        assertThat(evalError("1 / 0")).isEqualTo("division by zero (operator /)");
        assertThat(evalError("1 % 0")).isEqualTo("division by zero (operator %)");
        assertThat(evalError("1.5 / 0")).isEqualTo("division by zero (operator /)");
        assertThat(evalError("mod(3, 0)")).isEqualTo("division by zero (operator %)");
        assertThat(evalError("1e300 * 1e300")).isEqualTo("the result of * is not a finite number");
        assertThat(evalError("deviceId * 2")).isEqualTo("operator * cannot be applied to string and number");
        assertThat(evalError("'a' + 'b'")).isEqualTo("operator + cannot be applied to string and string");
        assertThat(evalError("payload.flag - 1")).isEqualTo("operator - cannot be applied to boolean and number");
        assertThat(evalError("-deviceId")).isEqualTo("unary - cannot be applied to string");
    }

    @Test
    void comparisonAndLogicFailures() {
        // Verifies comparisons between types that do not compare, ordered booleans and non-boolean conditions.
        // GIVEN / WHEN / THEN
        assertThat(evalError("deviceId > 3")).isEqualTo("operator > cannot compare string with number");
        assertThat(evalError("deviceId = 3")).isEqualTo("operator = cannot compare string with number");
        assertThat(evalError("payload.flag < TRUE")).isEqualTo("operator < cannot order booleans (only = and != apply)");
        assertThat(evalError("payload.list = 1")).isEqualTo("operator = cannot compare array with number");
        assertThat(evalError("deviceId IN (1)")).isEqualTo("operator = cannot compare string with number");
        assertThat(evalError("1 AND TRUE")).isEqualTo("AND expects a boolean, got number 1");
        assertThat(evalError("NOT 'x'")).isEqualTo("NOT expects a boolean, got string x");
        assertThat(evalError("CASE WHEN 1 THEN 2 END")).isEqualTo("CASE WHEN expects a boolean, got number 1");
        assertThat(evalError("deviceId LIKE 1")).isEqualTo("LIKE expects strings, got string LIKE number");
        assertThat(evalError("deviceId LIKE payload.pattern")).isEqualTo("a LIKE pattern of 1001 characters is longer than the limit"
                + " of 1000");
        RuleEvalException where = catchThrowableOfType(() -> RuleSql.compile("SELECT a FROM \"/thermo/+/properties/report\" WHERE"
                + " deviceId").apply(MESSAGE), RuleEvalException.class);
        assertThat(where.getMessage()).isEqualTo("WHERE expects a boolean, got string t-1");
    }

    @Test
    void functionFailuresAndStringLimits() {
        // Verifies the functions' argument checks, the 65,536-character string limit and finite power().
        // GIVEN / WHEN / THEN
        assertThat(evalError("concat(payload.text, payload.text)")).isEqualTo("concat() would build a string of 80000 characters,"
                + " more than the limit of 65536");
        assertThat(evalError("replace(payload.text, 'x', 'yy')")).startsWith("replace() would build a string of 80000 characters");
        assertThat(evalError("upper(concat(payload.text, substr(payload.text, 1, 25537)))")).startsWith("concat() would build a string of"
                + " 65537 characters");
        assertThat(evalError("to_string(payload)")).startsWith("to_string() would build a string of");
        assertThat(evalError("power(10, 400)")).isEqualTo("power(10, 400) is not a finite number");
        assertThat(evalError("power(-8, 0.5)")).isEqualTo("power(-8, 0.5) is not a finite number");
        assertThat(evalError("sqrt(-1)")).isEqualTo("sqrt() of a negative number: -1");
        assertThat(evalError("lower(1)")).isEqualTo("lower() expects a string, got number");
        assertThat(evalError("abs('x')")).isEqualTo("abs() expects a number, got string");
        assertThat(evalError("substr('abc', 1.5)")).isEqualTo("substr() expects a whole number as start, got 1.5");
        assertThat(evalError("round(1.5, 40)")).isEqualTo("round() digits must be between -18 and 18, got 40");
        assertThat(evalError("floor(1e300)")).isEqualTo("floor(1.0E300) does not fit in a long");
        assertThat(evalError("to_number(payload.n)")).isEqualTo("to_number(): '12abc' is not a number");
        assertThat(evalError("to_number('NaN')")).isEqualTo("to_number(): 'NaN' is not a number");
        assertThat(evalError("to_number('1e999')")).isEqualTo("to_number('1e999') is not a finite number");
        assertThat(evalError("to_number(TRUE)")).isEqualTo("to_number() expects a string, got boolean");
        assertThat(evalError("format_date(timestamp, payload.date)")).startsWith("format_date() pattern 'yyyy-bb' is invalid");
        assertThat(evalError("format_date(timestamp, 'yyyy', payload.zone)")).startsWith("format_date() zone 'Mars/Olympus' is invalid");
        assertThat(evalError("format_date(deviceId, 'yyyy')")).isEqualTo("format_date() expects a number, got string");
    }
}
