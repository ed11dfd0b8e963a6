package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTimingTest {
    private static final String Q = "iot:device-props --history temp --limit 100 --no-format d1";

    /** Verifies the session: warm-up queries, then query and echo in turns, each after a marker, one closing marker. */
    @Test
    void script() {
        String mark = "echo @@bench %s ((new java.util.Date) time)\n";

        String s = HistoryTiming.script(Q, 1, 2);

        assertEquals(mark.formatted("warm") + Q + "\n"
                + mark.formatted("query") + Q + "\n" + mark.formatted("trivial") + "echo trivial\n"
                + mark.formatted("query") + Q + "\n" + mark.formatted("trivial") + "echo trivial\n"
                + mark.formatted("end"), s);
        assertThrows(IllegalArgumentException.class, () -> HistoryTiming.script("a\nb", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> HistoryTiming.script(" ", 1, 1));
    }

    /** Verifies that each command gets the time to the next marker and its output lines. */
    @Test
    void parsesTheSession() {
        String out = """
                client: JAVA_HOME not set; results may vary
                @@bench warm 1000
                temp\t1\tt
                temp\t2\tt
                @@bench query 1040
                temp\t1\tt
                temp\t2\tt
                @@bench trivial 1047
                trivial
                @@bench query 1048
                temp\t1\tt

                @@bench trivial 1060
                trivial
                @@bench end 1062
                """;

        List<HistoryTiming.Segment> segments = HistoryTiming.parse(out);

        assertEquals(List.of(new HistoryTiming.Segment("warm", 40, 2), new HistoryTiming.Segment("query", 7, 2),
                new HistoryTiming.Segment("trivial", 1, 1), new HistoryTiming.Segment("query", 12, 1),
                new HistoryTiming.Segment("trivial", 2, 1)), segments);
        Map<String, HistoryTiming.Stats> stats = HistoryTiming.stats(segments);
        assertEquals(new HistoryTiming.Stats(2, 7, 7, 12, 12, 1, 2), stats.get("query"));
        assertEquals(new HistoryTiming.Stats(2, 1, 1, 2, 2, 1, 1), stats.get("trivial"));
        assertEquals(Map.of("n", 2, "min", 7.0, "median", 7.0, "p90", 12.0, "max", 12.0, "lines", "1..2"),
                HistoryTiming.toJson(stats.get("query")));
    }

    /** Verifies the refusals: no marker (a failed session), a session cut short, an unreadable marker. */
    @Test
    void refusesBrokenSessions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryTiming.parse("Error executing command: device d1 does not exist\n"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HistoryTiming.parse("@@bench query 5\ntemp\n"));
        assertTrue(e.getMessage().contains("without its closing marker"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HistoryTiming.parse("@@bench query x\n@@bench end 1\n"));
        assertThrows(IllegalArgumentException.class, () -> HistoryTiming.parse("@@bench query\n"));
    }

    /** Verifies the nearest-rank percentile. */
    @Test
    void percentile() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, HistoryTiming.percentile(v, 50));
        assertEquals(5, HistoryTiming.percentile(v, 90));
        assertEquals(1, HistoryTiming.percentile(v, 0));
        assertEquals(5, HistoryTiming.percentile(v, 100));
        assertThrows(IllegalArgumentException.class, () -> HistoryTiming.percentile(new double[0], 50));
    }
}
