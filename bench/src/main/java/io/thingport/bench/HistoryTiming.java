package io.thingport.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times a shell command on the server, without the SSH client's start-up: one {@code bin/client} session runs the
 * command several times, each between two marker lines that print the server's clock ({@code echo @@bench <label>
 * ((new java.util.Date) time)}, evaluated by the Karaf shell inside the platform's JVM). The time between a marker and
 * the next is what the server spent on the command in between, printing its output included. The same is done with a
 * trivial command ({@code echo}) to show what the markers and the shell's dispatch cost by themselves.
 */
final class HistoryTiming {
    static final String MARK = "@@bench";

    /**
     * One measured command.
     *
     * @param label  {@code warm}, {@code query} or {@code trivial}
     * @param millis server time from its marker to the next
     * @param lines  output lines the command printed
     */
    record Segment(String label, long millis, int lines) {
    }

    /** Figures of one label: count, min, median, 90th percentile, max (ms) and the output lines of its commands. */
    record Stats(int count, double min, double median, double p90, double max, int minLines, int maxLines) {
    }

    private HistoryTiming() {
    }

    /**
     * The session: {@code warm} runs of the query first (caches, JIT), then {@code repeat} pairs of query and trivial
     * command, interleaved so that both see the same machine.
     */
    static String script(String query, int warm, int repeat) {
        if (query.isBlank() || query.contains("\n")) {
            throw new IllegalArgumentException("the query must be one shell command line");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < warm; i++) {
            mark(sb, "warm").append(query).append('\n');
        }
        for (int i = 0; i < repeat; i++) {
            mark(sb, "query").append(query).append('\n');
            mark(sb, "trivial").append("echo trivial\n");
        }
        mark(sb, "end");
        return sb.toString();
    }

    private static StringBuilder mark(StringBuilder sb, String label) {
        return sb.append("echo ").append(MARK).append(' ').append(label).append(" ((new java.util.Date) time)\n");
    }

    /** The measured commands of a session's output; refuses output without markers or with a marker it cannot read. */
    static List<Segment> parse(String output) {
        List<Segment> out = new ArrayList<>();
        String label = null;
        long start = 0;
        int lines = 0;
        boolean any = false;
        for (String raw : output.split("\\R")) {
            String line = raw.strip();
            if (!line.startsWith(MARK + " ")) {
                if (label != null && !line.isEmpty()) {
                    lines++;
                }
                continue;
            }
            String[] p = line.split("\\s+");
            if (p.length != 3) {
                throw new IllegalArgumentException("bad marker line: " + line);
            }
            long t;
            try {
                t = Long.parseLong(p[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad time in marker line: " + line);
            }
            if (label != null) {
                out.add(new Segment(label, t - start, lines));
            }
            any = true;
            label = "end".equals(p[1]) ? null : p[1];
            start = t;
            lines = 0;
        }
        if (!any) {
            throw new IllegalArgumentException("no " + MARK + " marker in the shell output (did the session fail?): "
                    + output.strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse("(empty)"));
        }
        if (label != null) {
            throw new IllegalArgumentException("the session ended after '" + label + "' without its closing marker");
        }
        return out;
    }

    /** Figures per label; labels with no segment are absent. */
    static Map<String, Stats> stats(List<Segment> segments) {
        Map<String, List<Segment>> byLabel = new LinkedHashMap<>();
        for (Segment s : segments) {
            byLabel.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        byLabel.forEach((label, list) -> {
            double[] ms = list.stream().mapToDouble(Segment::millis).sorted().toArray();
            int minLines = list.stream().mapToInt(Segment::lines).min().orElse(0);
            int maxLines = list.stream().mapToInt(Segment::lines).max().orElse(0);
            out.put(label, new Stats(ms.length, ms[0], percentile(ms, 50), percentile(ms, 90), ms[ms.length - 1],
                    minLines, maxLines));
        });
        return out;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = sorted.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static String format(Stats s) {
        return String.format(Locale.ROOT, "n=%d min=%.0f median=%.0f p90=%.0f max=%.0f ms", s.count(), s.min(), s.median(),
                s.p90(), s.max());
    }

    static Map<String, Object> toJson(Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.count());
        m.put("min", s.min());
        m.put("median", s.median());
        m.put("p90", s.p90());
        m.put("max", s.max());
        m.put("lines", s.minLines() == s.maxLines() ? (Object) s.minLines() : s.minLines() + ".." + s.maxLines());
        return m;
    }
}
