package io.thingport.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}, the events {@code jfr print --events
 * jdk.ExecutionSample} lists) are: counted by the top frame's method ("self"), by the top frame's package, by every
 * package on the stack (each counted once per sample: "inclusive") and by thread. Reading and counting are apart so
 * that the counting is tested without a recording.
 */
final class JfrTop {
    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    /**
     * One CPU sample.
     *
     * @param thread the sampled thread's name ("" when unknown)
     * @param frames {@code package.Class.method}, the top (executing) frame first; may be empty (stack not recorded)
     */
    record Sample(String thread, List<String> frames) {
        Sample {
            thread = thread == null ? "" : thread;
            frames = List.copyOf(frames);
        }
    }

    /**
     * The counts, each sorted by count, highest first.
     *
     * @param samples    all samples
     * @param topFrames  samples per top-frame method
     * @param packages   samples per package of the top frame
     * @param inclusive  samples with at least one frame of the package anywhere on the stack
     * @param threads    samples per thread name, digit runs replaced by {@code #} so that pools group together
     */
    record Profile(long samples, Map<String, Long> topFrames, Map<String, Long> packages, Map<String, Long> inclusive,
                   Map<String, Long> threads) {
    }

    private JfrTop() {
    }

    /** Reads the execution samples of a {@code .jfr} file. */
    static List<Sample> read(Path jfr) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!EXECUTION_SAMPLE.equals(e.getEventType().getName())) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                String thread = t == null ? "" : t.getJavaName() != null ? t.getJavaName() : t.getOSName();
                List<String> frames = new ArrayList<>();
                RecordedStackTrace st = e.getStackTrace();
                if (st != null) {
                    for (RecordedFrame f : st.getFrames()) {
                        RecordedMethod m = f.getMethod();
                        frames.add(m == null ? "(unknown)" : typeName(m.getType().getName()) + "." + m.getName());
                    }
                }
                out.add(new Sample(thread, frames));
            }
        }
        return out;
    }

    /** Counts the samples. */
    static Profile count(List<Sample> samples) {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> pkg = new HashMap<>();
        Map<String, Long> incl = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        for (Sample s : samples) {
            String first = s.frames().isEmpty() ? "(no stack)" : s.frames().get(0);
            top.merge(first, 1L, Long::sum);
            pkg.merge(s.frames().isEmpty() ? "(no stack)" : packageOf(first), 1L, Long::sum);
            Set<String> seen = new LinkedHashSet<>();
            for (String f : s.frames()) {
                seen.add(packageOf(f));
            }
            for (String p : seen) {
                incl.merge(p, 1L, Long::sum);
            }
            threads.merge(threadGroup(s.thread()), 1L, Long::sum);
        }
        return new Profile(samples.size(), sorted(top), sorted(pkg), sorted(incl), sorted(threads));
    }

    /**
     * A class name as it is read in a profile: hidden classes (lambdas, method handles) lose the address and number JFR
     * appends to them ({@code a.B$$Lambda$606+0x00000001008b0000.171753918} → {@code a.B$$Lambda}), so that every
     * lambda of a class counts as one and its package stays {@code a}.
     */
    static String typeName(String name) {
        return name.replaceAll("\\+0x[0-9a-fA-F]+(\\.\\d+)?$", "").replaceAll("\\$\\$Lambda\\$\\d+$", "\\$\\$Lambda");
    }

    /** {@code a.b.C$D.m} → {@code a.b}; a class in no package → {@code (default package)}. */
    static String packageOf(String frame) {
        int methodDot = frame.lastIndexOf('.');
        String type = methodDot < 0 ? frame : frame.substring(0, methodDot);
        int typeDot = type.lastIndexOf('.');
        return typeDot < 0 ? "(default package)" : type.substring(0, typeDot);
    }

    /** {@code thingport-mqtt-io-3} → {@code thingport-mqtt-io-#}. */
    static String threadGroup(String thread) {
        return thread.isEmpty() ? "(unknown thread)" : thread.replaceAll("\\d+", "#");
    }

    /** The profile as text: {@code top} lines per table, each with its count and share of all samples. */
    static String format(Profile p, int top) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d execution samples%n", p.samples()));
        table(sb, "top frames (the method executing)", p.topFrames(), p.samples(), top);
        table(sb, "packages of the top frame", p.packages(), p.samples(), top);
        table(sb, "packages anywhere on the stack (a sample counts once per package)", p.inclusive(), p.samples(), top);
        table(sb, "threads (digits as #)", p.threads(), p.samples(), top);
        return sb.toString();
    }

    /** The first {@code top} entries of each table, for the results file. */
    static Map<String, Object> toJson(Profile p, int top) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", p.samples());
        m.put("topFrames", first(p.topFrames(), top));
        m.put("packages", first(p.packages(), top));
        m.put("inclusivePackages", first(p.inclusive(), top));
        m.put("threads", first(p.threads(), top));
        return m;
    }

    private static Map<String, Object> first(Map<String, Long> counts, int top) {
        Map<String, Object> m = new LinkedHashMap<>();
        counts.entrySet().stream().limit(top).forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static void table(StringBuilder sb, String title, Map<String, Long> counts, long total, int top) {
        sb.append(title).append(":\n");
        counts.entrySet().stream().limit(top).forEach(e -> sb.append(String.format(Locale.ROOT, "  %7d %5.1f %%  %s%n",
                e.getValue(), total == 0 ? 0.0 : 100.0 * e.getValue() / total, e.getKey())));
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
