package io.thingport.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The computations of {@code bench/compare.sh}, one sub-command each, so that the script only starts and stops
 * processes: the thing model for the generator's payload, the used heap from {@code jcmd GC.heap_info}, the top of a
 * JFR profile, the history query's timing session and the final report.
 */
public final class CompareTool {
    static final String USAGE = String.join("\n",
            "usage: java -cp thingport-bench.jar io.thingport.bench.CompareTool <command> [options]",
            "",
            "  model --payload-props SPEC       print a thing model accepting the generator's reports",
            "  heap-used                        used heap in bytes from 'jcmd <pid> GC.heap_info' output on stdin",
            "  jfr-top --file F [--top N] [--results R --run NAME --stored N]",
            "                                   CPU samples of a JFR recording by top frame, package and thread;",
            "                                   with --results also append them as a JSON line",
            "  history-script --query CMD [--warm N] [--repeat N]",
            "                                   a Karaf shell session timing CMD against 'echo' (server clock)",
            "  history-timing [--results R --device D --reports N --command CMD]",
            "                                   read that session's output on stdin, print (and append) the figures",
            "  report --results R [--write]     print the comparison; --write appends the derived lines to R");

    private CompareTool() {
    }

    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(USAGE);
            rc = 2;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("error: " + e.getMessage());
            rc = 1;
        }
        System.out.flush();
        System.exit(rc);
    }

    static int run(String[] argv) throws UsageException, IOException {
        if (argv.length == 0) {
            throw new UsageException("a command is required");
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "model" -> {
                Args a = Args.parse(rest, Set.of("payload-props"), Set.of());
                System.out.println(PayloadSpec.parse(a.required("payload-props")).thingModel());
            }
            case "heap-used" -> {
                Args.parse(rest, Set.of(), Set.of());
                System.out.println(HeapInfo.usedBytes(stdin()));
            }
            case "jfr-top" -> jfrTop(Args.parse(rest, Set.of("file", "top", "results", "run", "stored"), Set.of()));
            case "history-script" -> {
                Args a = Args.parse(rest, Set.of("query", "warm", "repeat"), Set.of());
                System.out.print(HistoryTiming.script(a.required("query"), a.integer("warm", 5, 0, 1000),
                        a.integer("repeat", 20, 1, 10_000)));
            }
            case "history-timing" -> historyTiming(Args.parse(rest, Set.of("results", "device", "reports", "command"), Set.of()));
            case "report" -> {
                Args a = Args.parse(rest, Set.of("results"), Set.of("write"));
                Path results = Path.of(a.required("results"));
                CompareReport.Result r = CompareReport.of(readLines(results));
                System.out.print(r.text());
                if (a.flag("write")) {
                    for (Map<String, Object> d : r.derived()) {
                        append(results, d);
                    }
                }
            }
            case "help", "--help" -> System.out.println(USAGE);
            default -> throw new UsageException("unknown command: " + argv[0]);
        }
        return 0;
    }

    private static void jfrTop(Args a) throws UsageException, IOException {
        Path file = Path.of(a.required("file"));
        int top = a.integer("top", 20, 1, 1000);
        JfrTop.Profile p = JfrTop.count(JfrTop.read(file));
        if (p.samples() == 0) {
            throw new IllegalArgumentException("no " + JfrTop.EXECUTION_SAMPLE + " events in " + file
                    + " (was the recording started with settings=profile or default?)");
        }
        System.out.print(JfrTop.format(p, top));
        if (a.has("results")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "profile");
            m.put("run", a.str("run", ""));
            m.put("storedBefore", a.has("stored") ? (Object) Long.parseLong(a.str("stored", "0")) : null);
            m.put("file", file.toString());
            m.putAll(JfrTop.toJson(p, top));
            append(Path.of(a.required("results")), m);
        }
    }

    private static void historyTiming(Args a) throws IOException, UsageException {
        List<HistoryTiming.Segment> segments = HistoryTiming.parse(stdin());
        Map<String, HistoryTiming.Stats> stats = HistoryTiming.stats(segments);
        HistoryTiming.Stats query = stats.get("query");
        if (query == null) {
            throw new IllegalArgumentException("the session output has no timed query");
        }
        stats.forEach((label, s) -> System.out.printf(Locale.ROOT, "%-8s %s, %s output lines%n", label,
                HistoryTiming.format(s), s.minLines() == s.maxLines() ? Integer.toString(s.minLines())
                        : s.minLines() + ".." + s.maxLines()));
        if (a.has("results")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "history");
            m.put("device", a.str("device", null));
            m.put("reports", a.has("reports") ? (Object) Long.parseLong(a.str("reports", "0")) : null);
            m.put("command", a.str("command", null));
            stats.forEach((label, s) -> m.put(label, HistoryTiming.toJson(s)));
            append(Path.of(a.required("results")), m);
        }
    }

    static List<Map<String, Object>> readLines(Path results) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(Json.parseObject(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(results + " line " + n + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void append(Path results, Map<String, Object> line) throws IOException {
        Files.writeString(results, Json.write(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static String stdin() throws IOException {
        InputStream in = System.in;
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
