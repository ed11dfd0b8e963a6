package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrTopTest {
    private static volatile long sink;

    /** Verifies the four counts: top frame, its package, every package once per sample, thread groups. */
    @Test
    void countsSamples() {
        List<JfrTop.Sample> samples = List.of(
                new JfrTop.Sample("thingport-storage-writer", List.of("org.h2.mvstore.DataUtils.writeVarLong",
                        "org.h2.mvstore.Page.write", "org.h2.mvstore.DataUtils.writeVarLong", "a.b.Writer.run")),
                new JfrTop.Sample("thingport-storage-writer", List.of("org.h2.mvstore.DataUtils.writeVarLong", "a.b.Writer.run")),
                new JfrTop.Sample("mqtt-io-1-2", List.of("io.netty.Loop.select", "a.b.Handler$Inner.read")),
                new JfrTop.Sample("mqtt-io-1-3", List.of()));

        JfrTop.Profile p = JfrTop.count(samples);

        assertEquals(4, p.samples());
        assertEquals(List.of(Map.entry("org.h2.mvstore.DataUtils.writeVarLong", 2L), Map.entry("(no stack)", 1L),
                Map.entry("io.netty.Loop.select", 1L)), List.copyOf(p.topFrames().entrySet()));
        assertEquals(Map.of("org.h2.mvstore", 2L, "io.netty", 1L, "(no stack)", 1L), p.packages());
        // org.h2.mvstore appears twice on the first stack but counts once
        assertEquals(Map.of("org.h2.mvstore", 2L, "a.b", 3L, "io.netty", 1L), p.inclusive());
        assertEquals(List.of("a.b", "org.h2.mvstore", "io.netty"), List.copyOf(p.inclusive().keySet()));
        assertEquals(Map.of("thingport-storage-writer", 2L, "mqtt-io-#-#", 2L), p.threads());
    }

    /** Verifies the names: packages of nested and package-less classes, lambdas grouped per class, thread groups. */
    @Test
    void names() {
        assertEquals("a.b", JfrTop.packageOf("a.b.C$D.m"));
        assertEquals("(default package)", JfrTop.packageOf("Main.main"));
        assertEquals("io.thingport.core.internal.storage.BatchWriter$$Lambda",
                JfrTop.typeName("io.thingport.core.internal.storage.BatchWriter$$Lambda$606+0x00000001008b0000.171753918"));
        assertEquals("java.lang.invoke.LambdaForm$MH", JfrTop.typeName("java.lang.invoke.LambdaForm$MH+0x00000001000ca000.1384722895"));
        assertEquals("a.B$Inner", JfrTop.typeName("a.B$Inner"));
        assertEquals("io.thingport.core.internal.storage",
                JfrTop.packageOf(JfrTop.typeName("io.thingport.core.internal.storage.BatchWriter$$Lambda$606+0x00000001008b0000.171753918")
                        + ".run"));
        assertEquals("pool-#-thread-#", JfrTop.threadGroup("pool-3-thread-12"));
        assertEquals("(unknown thread)", JfrTop.threadGroup(""));
    }

    /** Verifies the text: counts with their share of all samples. */
    @Test
    void formats() {
        JfrTop.Profile p = JfrTop.count(List.of(new JfrTop.Sample("t", List.of("a.B.m")),
                new JfrTop.Sample("t", List.of("a.B.m")), new JfrTop.Sample("t", List.of("c.D.n")),
                new JfrTop.Sample("t", List.of("e.F.o"))));

        String text = JfrTop.format(p, 1);

        assertTrue(text.startsWith("4 execution samples\n"), text);
        assertTrue(text.contains("        2  50.0 %  a.B.m\n"), text);
        assertTrue(!text.contains("c.D.n"), "only the top 1: " + text);
        assertEquals(Map.of("a.B.m", 2L), JfrTop.toJson(p, 1).get("topFrames"));
    }

    /** Verifies that the samples of a real recording are read, with this test's busy method on top of some. */
    @Test
    void readsARecording(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spin.jfr");
        List<JfrTop.Sample> samples = List.of();
        for (int attempt = 0; attempt < 5 && samples.stream().noneMatch(JfrTopTest::spins); attempt++) {
            try (Recording r = new Recording()) {
                r.enable(JfrTop.EXECUTION_SAMPLE).withPeriod(Duration.ofMillis(10));
                r.start();
                spinForJfr(500);
                r.stop();
                r.dump(file);
            }
            samples = JfrTop.read(file);
        }

        assertTrue(samples.stream().anyMatch(JfrTopTest::spins), "no sample in spinForJfr among " + samples.size());
        JfrTop.Sample s = samples.stream().filter(JfrTopTest::spins).findFirst().orElseThrow();
        assertEquals(Thread.currentThread().getName(), s.thread());
    }

    private static boolean spins(JfrTop.Sample s) {
        return s.frames().contains("io.thingport.bench.JfrTopTest.spinForJfr");
    }

    private static void spinForJfr(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }
}
