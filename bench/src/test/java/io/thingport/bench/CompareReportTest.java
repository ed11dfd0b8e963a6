package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareReportTest {
    private static Map<String, Object> run(String system, String name, double offered, double stored, double rate,
                                           double p50, double p99, long throttled) {
        return Json.parseObject(String.format(Locale.ROOT, "{\"type\":\"run\",\"system\":\"%s\",\"run\":\"%s\","
                        + "\"offered\":%s,\"storedBefore\":%s,\"wallS\":20,\"serverCpuS\":30,\"generatorCpuS\":10,"
                        + "\"generator\":{\"ackedRate\":%s,\"throttled\":%d,\"lost\":0,\"ok\":true,"
                        + "\"latencyMs\":{\"p50\":%s,\"p99\":%s}}}", system, name, offered, system.equals("mosquitto")
                        ? "null" : stored, rate, throttled, p50, p99));
    }

    private static Map<String, Object> derived(CompareReport.Result r, String type, String run) {
        return r.derived().stream().filter(d -> type.equals(d.get("type")) && (run == null || run.equals(d.get("run"))))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " " + run + " in " + r.derived()));
    }

    /** Verifies the ratio per run and the targets: half of Mosquitto at saturation, p99 at fixed rates. */
    @Test
    void comparesEachRunAndChecksTheTargets() {
        List<Map<String, Object>> lines = List.of(
                Json.parseObject("{\"type\":\"meta\",\"backend\":\"h2\",\"mosquitto\":\"2.0.11\",\"devices\":1000,"
                        + "\"maxInflight\":16,\"duration\":30,\"warmup\":10,\"date\":\"d\",\"cpus\":2,"
                        + "\"storage\":\"writer.threads=2\"}"),
                run("mosquitto", "saturation", 100_000, 0, 40_000, 300, 600, 1_000_000),
                run("mosquitto", "rate-10000", 10_000, 0, 10_000, 0.7, 18, 0),
                run("mosquitto", "rate-20000", 20_000, 0, 20_000, 0.9, 25, 0),
                run("thingport", "jit-warmup", 100_000, 0, 5_000, 900, 2000, 1_000_000),
                run("thingport", "saturation", 100_000, 100_000, 21_000, 500, 900, 1_000_000),
                run("thingport", "rate-10000", 10_000, 500_000, 10_000, 3, 19.9, 0),
                run("thingport", "rate-20000", 20_000, 900_000, 15_000, 800, 1500, 5000));

        CompareReport.Result r = CompareReport.of(lines);

        Map<String, Object> sat = derived(r, "compare", "saturation");
        assertEquals(21_000.0 / 40_000, (Double) sat.get("ratio"), 1e-9);
        assertEquals(Boolean.TRUE, sat.get("met"));
        assertEquals(Boolean.TRUE, derived(r, "compare", "rate-10000").get("met"));
        Map<String, Object> r20 = derived(r, "compare", "rate-20000");
        assertEquals(Boolean.FALSE, r20.get("met"));
        assertEquals("p99 < 50 ms: NOT met (rate not sustained)", r20.get("target"));
        assertEquals(Boolean.TRUE, derived(r, "generatorCheck", null).get("notBottleneck"));
        assertTrue(r.text().contains("saturation (100,000)   |    40,000       300       600 |    21,000       500       900 |"
                + "       0.53 | >= 50 % of Mosquitto: met"), r.text());
        assertTrue(r.text().contains("20,000 msg/s: Thingport did not sustain the offered rate"), r.text());
        assertTrue(r.text().contains("generator: not the bottleneck"), r.text());
        assertTrue(r.text().contains("platform storage settings changed: writer.threads=2"), r.text());
        assertTrue(r.text().contains("thingport saturation             server 1.50  generator 0.50"), r.text());
        // the platform's unmeasured warm-up run is no row of the comparison
        assertTrue(r.derived().stream().noneMatch(d -> "jit-warmup".equals(d.get("run"))), r.derived().toString());
        assertEquals(3, r.derived().stream().filter(d -> "compare".equals(d.get("type"))).count());
    }

    /** Verifies that a rules line is summed up: its counters, the expected matches and the rows in the sink. */
    @Test
    void rulesDuringTheSaturationRun() {
        // GIVEN a saturation run with 10 jdbc rules, 1,000 reports acknowledged
        Map<String, Object> rules = Json.parseObject("{\"type\":\"rules\",\"run\":\"saturation\",\"rules\":10,"
                + "\"sink\":\"jdbc\",\"buffer\":100000,\"ackedRate\":50.0,\"ackedTotal\":1000,\"drainS\":4,"
                + "\"sinkRows\":9990,\"total\":{\"matched\":10000,\"passed\":10000,\"filtered\":0,\"failed\":0,"
                + "\"success\":9990,\"actionFailed\":0,\"discarded\":10,\"retries\":2}}");

        // WHEN the report is built
        CompareReport.Result r = CompareReport.of(List.of(run("thingport", "saturation", 100_000, 0, 50, 1, 2, 0), rules));

        // THEN the rules' figures are printed
        assertTrue(r.text().contains("rules during saturation: 10 x jdbc (action buffer 100,000), 50 acked/s"), r.text());
        assertTrue(r.text().contains("matched 10,000 (the run's reports x rules: 10,000), passed 10,000, filtered 0, failed 0"),
                r.text());
        assertTrue(r.text().contains("actions: success 9,990, failed 0, discarded 10, retries 2"), r.text());
        assertTrue(r.text().contains("rows that reached the sink: 9,990"), r.text());
    }

    /** Verifies that the database's share of the server's CPU is shown when the run recorded it (PostgreSQL), not otherwise. */
    @Test
    void showsTheDatabasesShareOfTheServersCpu() {
        Map<String, Object> pg = run("thingport", "saturation", 100_000, 0, 9_000, 1, 2, 0);
        pg.put("databaseCpuS", 8.0);
        CompareReport.Result r = CompareReport.of(List.of(run("mosquitto", "saturation", 100_000, 0, 9_000, 1, 2, 0), pg));

        assertTrue(r.text().contains("thingport saturation             server 1.50 (of which the database 0.40)  generator 0.50"),
                r.text());
        assertTrue(r.text().contains("mosquitto saturation             server 1.50  generator 0.50"), r.text());
    }

    /** Verifies that a generator reaching no more against Mosquitto than against Thingport is said to prove nothing. */
    @Test
    void saysWhenTheGeneratorMayBeTheBottleneck() {
        CompareReport.Result r = CompareReport.of(List.of(run("mosquitto", "saturation", 100_000, 0, 9_000, 1, 2, 0),
                run("thingport", "saturation", 100_000, 0, 9_000, 1, 2, 0)));

        assertEquals(Boolean.FALSE, derived(r, "generatorCheck", null).get("notBottleneck"));
        assertTrue(r.text().contains("generator: NOT shown not to be the bottleneck"), r.text());
        assertTrue(r.text().contains("(no meta line"), r.text());
    }

    /** Verifies the flatness check: saturation after the prefill against the empty database, 90 % or more. */
    @Test
    void flatnessAfterThePrefill() {
        CompareReport.Result r = CompareReport.of(List.of(run("thingport", "saturation", 100_000, 0, 10_000, 1, 2, 0),
                Json.parseObject("{\"type\":\"prefill\",\"target\":10000000,\"stored\":10000500,\"added\":9000000,"
                        + "\"seconds\":1000,\"runs\":3}"),
                run("thingport", "saturation-prefilled", 100_000, 10_000_500, 8_900, 1, 2, 0)));

        Map<String, Object> flat = derived(r, "flat", null);
        assertEquals(0.89, (Double) flat.get("ratio"), 1e-9);
        assertEquals(Boolean.FALSE, flat.get("met"));
        assertTrue(r.text().contains("saturation with 10,000,500 reports stored: 8,900 acked/s"), r.text());
        assertTrue(r.text().contains("prefill: 10,000,500 reports stored (target 10,000,000): 9,000,000 added in 1,000 s"
                + " (9,000/s; generator runs at saturation: 3)"), r.text());
        // the prefilled run is not a row of the Mosquitto table
        assertTrue(r.derived().stream().noneMatch(d -> "saturation-prefilled".equals(d.get("run"))), r.derived().toString());
        assertNull(derived(r, "compare", "saturation").get("met"), "no Mosquitto run: no ratio, no verdict");
    }

    /**
     * Verifies the heap fit: x is the connections logged in (a level with refused logins still counts, at what it
     * reached), the reading after all disconnected is shown but not fitted, and the projection is the line at 100,000.
     */
    @Test
    void idleHeapFit() {
        List<Map<String, Object>> lines = new ArrayList<>();
        lines.add(idle("before", 0, 0, 80_000_000));
        lines.add(idle("connected", 5_000, 5_000, 80_000_000 + 5_000 * 4_000L));
        lines.add(idle("connected", 10_000, 10_000, 80_000_000 + 10_000 * 4_000L));
        lines.add(idle("connected", 18_000, 17_000, 80_000_000 + 17_000 * 4_000L));
        lines.add(idle("after", 0, 0, 90_485_760));

        CompareReport.Result r = CompareReport.of(lines);

        Map<String, Object> fit = derived(r, "idleFit", null);
        assertEquals(4_000.0, (Double) fit.get("bytesPerConnection"), 1e-6);
        assertEquals(80_000_000.0, (Double) fit.get("interceptBytes"), 1e-3);
        assertEquals(4, fit.get("points"));
        assertEquals(80_000_000 + 100_000 * 4_000.0, (Double) fit.get("projectedHeapBytes"), 1e-3);
        assertEquals(Boolean.TRUE, fit.get("met"));
        assertTrue(r.text().contains("   17,000 connections:    141.1 MiB (of 18,000 attempted: the others' logins were refused)"),
                r.text());
        assertTrue(r.text().contains("        0 connections (after):     86.3 MiB, +10.0 MiB against before: not held by the"
                + " connections (not in the fit)"), r.text());
        assertTrue(r.text().contains("least squares: 4,000 bytes per connection + 76.3 MiB (R^2 1.000, 4 points)"), r.text());
    }

    /** Verifies that a heap growing by more than 10 KiB per connection misses the target. */
    @Test
    void idleHeapTargetMissed() {
        CompareReport.Result r = CompareReport.of(List.of(idle("before", 0, 0, 80_000_000),
                idle("connected", 5_000, 5_000, 80_000_000 + 5_000 * 20_000L)));

        assertEquals(Boolean.FALSE, derived(r, "idleFit", null).get("met"));
        assertTrue(r.text().contains("target <= 10 KiB per connection: NOT met"), r.text());
    }

    /** Verifies the history figures and their target. */
    @Test
    void historyQuery() {
        CompareReport.Result r = CompareReport.of(List.of(Json.parseObject("{\"type\":\"history\",\"device\":\"history-1\","
                + "\"reports\":1000000,\"command\":\"iot:device-props --history temp --limit 100 --no-format history-1\","
                + "\"query\":{\"n\":20,\"min\":30,\"median\":61,\"p90\":70,\"max\":90,\"lines\":100},"
                + "\"trivial\":{\"n\":20,\"min\":1,\"median\":1,\"p90\":2,\"max\":3,\"lines\":1}}")));

        assertTrue(r.text().contains("with 1,000,000 reports of history-1 stored"), r.text());
        assertTrue(r.text().contains("query   median 61.0 ms, p90 70.0, min 30.0, max 90.0 (20 runs, 100 output lines each)"),
                r.text());
        assertTrue(r.text().contains("target: under 50 ms: NOT met"), r.text());
        assertFalse(r.text().contains("generator:"), r.text());
    }

    /**
     * Verifies the profile lines: the rate of the recorded run, the first packages of the top frame and anywhere on the
     * stack with their shares; the recorded run is no row of the comparison.
     */
    @Test
    void profileSummary() {
        CompareReport.Result r = CompareReport.of(List.of(run("thingport", "saturation", 100_000, 0, 9_000, 1, 2, 0),
                run("thingport", "saturation-profiled", 100_000, 90_000, 4_000, 1, 2, 0),
                Json.parseObject("{\"type\":\"profile\",\"run\":\"saturation-profiled\","
                + "\"storedBefore\":90000,\"file\":\"x.jfr\",\"samples\":200,\"topFrames\":{\"a.B.m\":100},"
                + "\"packages\":{\"java.nio\":100,\"org.h2.mvstore\":50},\"inclusivePackages\":{\"org.h2.mvstore\":180}}")));

        assertTrue(r.text().contains("profile of saturation-profiled (90,000 stored before, 4,000 acked/s while recording):"
                + " x.jfr, 200 samples\n"
                + "  top frame in:      java.nio 50 %; org.h2.mvstore 25 %;\n"
                + "  anywhere on stack: org.h2.mvstore 90 %;\n"), r.text());
        assertTrue(r.derived().stream().noneMatch(d -> "saturation-profiled".equals(d.get("run"))), r.derived().toString());
    }

    private static Map<String, Object> idle(String phase, long n, long connected, long bytes) {
        return Json.parseObject("{\"type\":\"idle\",\"phase\":\"" + phase + "\",\"connections\":" + n + ",\"connected\":"
                + connected + ",\"heapUsedBytes\":" + bytes + "}");
    }
}
