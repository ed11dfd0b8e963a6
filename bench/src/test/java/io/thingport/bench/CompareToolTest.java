package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareToolTest {
    /** Verifies that 'report --write' prints the table and appends the derived lines, which a second report ignores. */
    @Test
    void reportWritesTheDerivedLinesOnce(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("r.jsonl");
        String gen = "\"generator\":{\"ackedRate\":%s,\"throttled\":0,\"lost\":0,\"latencyMs\":{\"p50\":1,\"p99\":2}}";
        Files.writeString(results, "{\"type\":\"run\",\"system\":\"mosquitto\",\"run\":\"saturation\",\"offered\":1000,"
                + gen.formatted("900") + "}\n\n{\"type\":\"run\",\"system\":\"thingport\",\"run\":\"saturation\","
                + "\"offered\":1000,\"storedBefore\":0," + gen.formatted("600") + "}\n");

        String text = capture(() -> CompareTool.run(new String[] {"report", "--results", results.toString(), "--write"}));
        String again = capture(() -> CompareTool.run(new String[] {"report", "--results", results.toString(), "--write"}));

        assertTrue(text.contains("0.67 | >= 50 % of Mosquitto: met"), text);
        assertEquals(text, again);
        List<String> lines = Files.readAllLines(results);
        assertEquals(2, lines.stream().filter(l -> l.startsWith("{\"type\":\"compare\"")).count(), lines.toString());
    }

    /** Verifies the refusals: no command, an unknown one, a missing option, a results file with a broken line. */
    @Test
    void refusals(@TempDir Path dir) throws Exception {
        assertThrows(UsageException.class, () -> CompareTool.run(new String[0]));
        assertThrows(UsageException.class, () -> CompareTool.run(new String[] {"bogus"}));
        assertThrows(UsageException.class, () -> CompareTool.run(new String[] {"model"}));
        assertThrows(UsageException.class, () -> CompareTool.run(new String[] {"model", "--payload-props", "x:float:0:1"}));
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"type\":\"meta\"}\n{oops\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompareTool.run(new String[] {"report", "--results", bad.toString()}));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    /** Verifies 'model': the thing model for the payload. */
    @Test
    void model() throws Exception {
        String out = capture(() -> CompareTool.run(new String[] {"model", "--payload-props", "seq:seq"}));

        assertEquals("{\"properties\":[{\"id\":\"seq\",\"type\":\"long\"}]}\n", out);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String capture(Action a) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            a.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
