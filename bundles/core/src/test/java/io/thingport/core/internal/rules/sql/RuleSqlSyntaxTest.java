package io.thingport.core.internal.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSqlSyntaxTest {
    private static final String FROM = " FROM \"/thermo/+/properties/report\"";

    private static RuleSqlException error(String sql) {
        RuleSqlException e = catchThrowableOfType(() -> RuleSql.compile(sql), RuleSqlException.class);
        assertThat(e).as("compiling %s", sql).isNotNull();
        return e;
    }

    private static void assertError(String sql, int line, int column, String message) {
        RuleSqlException e = error(sql);
        assertThat(e.getMessage()).isEqualTo("line " + line + ", column " + column + ": " + message);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.column()).isEqualTo(column);
        assertThat(e.reason()).isEqualTo(message);
    }

    @Test
    void aMissingFromIsReportedAtTheTokenFound() {
        // Verifies the brief's message shape: "line 1, column 45: expected FROM but found 'WHERE'".
        // GIVEN a statement without FROM
        String sql = "SELECT payload.properties.temp AS t, deviceId WHERE payload.properties.temp > 30";
        // WHEN / THEN
        assertError(sql, 1, 47, "expected FROM but found 'WHERE'");
    }

    @Test
    void positionsCountLinesAndColumnsOfMultiLineStatements() {
        // Verifies 1-based line and column on later lines.
        // GIVEN errors on the second and third lines
        // WHEN / THEN
        assertError("SELECT deviceId\nFROM \"/thermo/+/properties/report\"\nWHERE temp >", 3, 13,
                "expected an expression but found end of statement");
        assertError("SELECT\n  deviceId,\n    , timestamp" + FROM, 3, 5, "expected an expression but found ','");
        assertError("SELECT a\r\nFROM \"/thermo/+/properties/report\"\r\n  WHERE a = 1 b", 3, 15,
                "expected end of statement but found 'b'");
    }

    @Test
    void everyKindOfSyntaxError() {
        // Verifies the message and position of the syntax errors.
        // GIVEN / WHEN / THEN
        assertError("UPDATE x", 1, 1, "expected SELECT but found 'UPDATE'");
        assertError("SELECT" + FROM, 1, 8, "expected an expression but found 'FROM'");
        assertError("SELECT a FROM", 1, 14,
                "expected a double-quoted source such as \"/thermo/+/properties/report\" but found end of statement");
        assertError("SELECT a FROM '/t/+/x'", 1, 15,
                "expected a double-quoted source such as \"/thermo/+/properties/report\" but found '/t/+/x'");
        assertError("SELECT a" + FROM + " b", 1, 45, "expected WHERE or end of statement but found 'b'");
        assertError("SELECT (a" + FROM, 1, 11, "expected ')' but found 'FROM'");
        assertError("SELECT 'abc" + FROM, 1, 8, "unterminated string: missing the closing '");
        assertError("SELECT a FROM \"/t/+/x", 1, 15, "unterminated quoted source: missing the closing \"");
        assertError("SELECT a # b" + FROM, 1, 10, "unexpected character '#'");
        assertError("SELECT 12ab" + FROM, 1, 10, "unexpected character 'a' after the number 12");
        assertError("SELECT 99999999999999999999" + FROM, 1, 8,
                "integer 99999999999999999999 is out of range (at most 9223372036854775807)");
        assertError("SELECT 1e999" + FROM, 1, 8, "number 1e999 is out of range");
        assertError("SELECT a AS" + FROM, 1, 13, "expected a column name after AS but found 'FROM'");
        assertError("SELECT a AS 'x'" + FROM, 1, 13, "expected a column name after AS but found 'x'");
        assertError("SELECT a.'x'" + FROM, 1, 10, "expected a field name after '.' but found 'x'");
        // after a dot, a keyword is a field name (payload.data.end)
        assertThat(RuleSql.compile("SELECT payload.data.end" + FROM).outputNames()).containsExactly("end");
        assertError("SELECT a[x]" + FROM, 1, 10, "expected a list index (a whole number from 0) but found 'x'");
        assertError("SELECT a = b = c" + FROM, 1, 14, "expected FROM but found '='");
        assertError("SELECT a IS 1" + FROM, 1, 13, "expected NULL but found '1'");
        assertError("SELECT a IN 1" + FROM, 1, 13, "expected '(' but found '1'");
        assertError("SELECT a IN ()" + FROM, 1, 14, "expected an expression but found ')'");
        assertError("SELECT CASE END" + FROM, 1, 13, "expected an expression but found 'END'");
        assertError("SELECT CASE WHEN a THEN 1" + FROM, 1, 27, "expected END but found 'FROM'");
        assertError("SELECT CASE a ELSE 1 END" + FROM, 1, 15, "expected WHEN but found 'ELSE'");
        assertError("SELECT \"x\"" + FROM, 1, 8,
                "expected an expression but found \"x\" (double quotes are for FROM sources; a string takes single quotes)");
        assertError("SELECT a, a" + FROM, 1, 11, "duplicate column name 'a': give the column another name with AS");
        assertError("SELECT payload.a.temp, b.temp" + FROM, 1, 24,
                "duplicate column name 'temp': give the column another name with AS");
    }

    @Test
    void unknownFunctionsAndWrongAritiesAreCompileErrors() {
        // Verifies that a function's name and argument count are checked at compile time, with the call's position.
        // GIVEN / WHEN / THEN
        RuleSqlException e = error("SELECT a,\n  sleep(1000)" + FROM);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.reason()).startsWith("unknown function 'sleep' (known: lower, upper,").contains("format_date", "to_number");
        assertError("SELECT lower()" + FROM, 1, 8, "function lower expects 1 argument, got 0");
        assertError("SELECT x, ROUND(1, 2, 3)" + FROM, 1, 11, "function round expects 1 to 2 arguments, got 3");
        assertError("SELECT concat()" + FROM, 1, 8, "function concat expects at least 1 argument, got 0");
        assertError("SELECT now_timestamp(1)" + FROM, 1, 8, "function now_timestamp expects 0 arguments, got 1");
        assertError("SELECT power(2)" + FROM, 1, 8, "function power expects 2 arguments, got 1");
    }

    @Test
    void literalDatePatternsAndZonesAreCheckedAtCompileTime() {
        // Verifies that format_date's literal pattern and zone are checked when compiling, pointing at the argument.
        // GIVEN / WHEN / THEN
        RuleSqlException pattern = error("SELECT format_date(timestamp, 'yyyy-bb')" + FROM);
        assertThat(pattern.column()).isEqualTo(31);
        assertThat(pattern.reason()).startsWith("format_date() pattern 'yyyy-bb' is invalid");
        RuleSqlException zone = error("SELECT format_date(timestamp, 'yyyy', 'Mars/Olympus')" + FROM);
        assertThat(zone.column()).isEqualTo(39);
        assertThat(zone.reason()).startsWith("format_date() zone 'Mars/Olympus' is invalid");
    }

    @Test
    void badSourcesNameTheSourceAndWhatIsAllowed() {
        // Verifies that a FROM entry must be a topic filter of 3+ levels with whole-level wildcards or a platform event.
        // GIVEN / WHEN / THEN
        String[][] cases = {
            {"thermo/+/properties/report", "a topic filter starts with /"},
            {"/thermo/+", "it has 2 levels"},
            {"/thermo/#", "it has 2 levels"},
            {"/thermo/t+/x", "level 't+' mixes a wildcard with text"},
            {"/thermo/#/x", "# must be the last level"},
            {"/thermo//x", "level 2 is empty"},
            {"/thermo/a b/x", "a topic filter has no blanks or control characters"},
            {"$events/device/exploded", "unknown platform event"},
            {"", "a topic filter starts with /"},
        };
        for (String[] c : cases) {
            RuleSqlException e = error("SELECT a FROM \"/thermo/+/properties/report\",\n \"" + c[0] + "\"");
            assertThat(e.line()).as(c[0]).isEqualTo(2);
            assertThat(e.column()).as(c[0]).isEqualTo(2);
            assertThat(e.reason()).as(c[0]).isEqualTo("invalid source \"" + c[0] + "\" in FROM (" + c[1] + "): a source is a topic"
                    + " filter of 3 or more levels such as \"/thermo/+/properties/report\" (+ stands for one whole level, # for all"
                    + " the remaining levels), or one of $events/device/online, $events/device/offline, $events/command/reply,"
                    + " $events/message/rejected, $events/device/alarm, $events/command/queued, $events/command/sent,"
                    + " $events/command/replied, $events/command/expired, $events/command/failed, $events/command/cancelled");
        }
    }

    @Test
    void theStatementLengthIsLimited() {
        // Verifies the 10,000-character limit, stated in the error.
        // GIVEN a statement one character too long
        String sql = "SELECT a" + FROM + " WHERE a = '" + "x".repeat(10_000) + "'";
        // WHEN / THEN
        RuleSqlException e = error(sql);
        assertThat(e.getMessage()).isEqualTo("the statement is " + sql.length() + " characters long, more than the limit of 10000");
        assertThat(e.line()).isZero();
        assertThat(error("  ").getMessage()).isEqualTo("the statement is empty");
        assertThatThrownBy(() -> RuleSql.compile(null)).isInstanceOf(RuleSqlException.class);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        // Verifies that 10,000 nested parentheses, NOTs, minus signs or a 5,000-term sum give a nesting error.
        // GIVEN statements nested far beyond the limit, each within the length limit
        String parens = "SELECT " + "(".repeat(4_900) + "1" + ")".repeat(4_900) + FROM;
        String nots = "SELECT a" + FROM + " WHERE " + "NOT ".repeat(2_000) + "TRUE";
        String minus = "SELECT " + "-".repeat(9_000) + "1" + FROM;
        String sum = "SELECT 1" + "+1".repeat(4_900) + FROM;
        String calls = "SELECT " + "abs(".repeat(1_500) + "1" + ")".repeat(1_500) + FROM;
        // WHEN / THEN
        for (String sql : new String[] {parens, nots, minus, sum, calls}) {
            assertThat(error(sql).reason()).isEqualTo("the expression is nested deeper than 50 levels");
        }
        // 10,000 levels are longer than a statement may be: the parser itself (behind the length check) refuses them
        String tenThousand = "SELECT " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + FROM;
        assertThat(error(tenThousand).getMessage()).contains("more than the limit of 10000");
        RuleSqlException direct = catchThrowableOfType(() -> Parser.parse(tenThousand), RuleSqlException.class);
        assertThat(direct.reason()).isEqualTo("the expression is nested deeper than 50 levels");
        String tenThousandNots = "SELECT a" + FROM + " WHERE " + "NOT ".repeat(10_000) + "TRUE";
        assertThat(catchThrowableOfType(() -> Parser.parse(tenThousandNots), RuleSqlException.class).reason())
                .isEqualTo("the expression is nested deeper than 50 levels");
        // the limit itself is fine: 49 parentheses around a comparison
        assertThat(RuleSql.compile("SELECT " + "(".repeat(45) + "1 = 1" + ")".repeat(45) + FROM).apply(Messages.report(
                Map.of("temp", 1))).orElseThrow()).containsEntry("expr1", true);
    }

    @Test
    void theDepthErrorPointsAtTheTokenThatGoesTooDeep() {
        // Verifies the position of the nesting error: the 51st opening parenthesis.
        // GIVEN 60 nested parentheses
        String sql = "SELECT " + "(".repeat(60) + "1" + ")".repeat(60) + FROM;
        // WHEN
        RuleSqlException e = error(sql);
        // THEN the column's expression is level 1, the 49 first parentheses open levels 2..50: the 50th one (column 57)
        // opens the 51st level, which starts at column 58
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(58);
        assertThat(RuleSql.compile("SELECT " + "(".repeat(49) + "1" + ")".repeat(49) + FROM).outputNames()).containsExactly("expr1");
        assertThat(error("SELECT " + "(".repeat(50) + "1" + ")".repeat(50) + FROM).column()).isEqualTo(58);
    }

    @Test
    void listsAndNamesAreLimited() {
        // Verifies the limits on IN items, SELECT items, FROM sources and identifier length.
        // GIVEN / WHEN / THEN
        String inItems = String.join(",", Collections.nCopies(101, "1"));
        assertError("SELECT a IN (" + inItems + ")" + FROM, 1, 214, "more than 100 items in an IN list");
        StringBuilder many = new StringBuilder("SELECT ");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ", ").append("c").append(i);
        }
        assertThat(error(many + FROM).reason()).isEqualTo("more than 100 SELECT items");
        String sources = String.join(", ", Collections.nCopies(17, "\"/thermo/+/properties/report\""));
        assertThat(error("SELECT a FROM " + sources).reason()).isEqualTo("more than 16 FROM sources");
        assertError("SELECT " + "a".repeat(129) + FROM, 1, 8, "identifier '" + "a".repeat(37) + "...' is longer than 128 characters");
        assertThat(RuleSql.compile("SELECT " + "a".repeat(128) + FROM).outputNames()).containsExactly("a".repeat(128));
    }

    @Test
    void likePatternsAreLimited() {
        // Verifies that a literal LIKE pattern longer than 1,000 characters is a compile error.
        // GIVEN / WHEN / THEN
        assertError("SELECT a LIKE '" + "%".repeat(1_001) + "'" + FROM, 1, 15,
                "a LIKE pattern of 1001 characters is longer than the limit of 1000");
    }
}
