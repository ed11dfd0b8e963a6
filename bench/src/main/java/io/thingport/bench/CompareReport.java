package io.thingport.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of a {@code compare.sh} results file: for each generator run the acked rate and latency of Mosquitto
 * and of Thingport side by side with their ratio, the targets of the storage/throughput issue where one applies,
 * whether the generator was shown not to be the bottleneck, and the prefill, idle-heap, history and profile figures.
 * A pure function of the result lines: it prints the text and returns the derived lines (comparisons, the heap fit)
 * for the script to append.
 */
final class CompareReport {
    /** Thingport's saturation rate at least this share of Mosquitto's. */
    static final double SATURATION_SHARE = 0.50;
    /** Saturation with the prefilled database at least this share of the empty database's. */
    static final double FLAT_SHARE = 0.90;
    /** p99 limits (ms) per offered rate. */
    static final Map<Integer, Double> P99_LIMIT_MS = Map.of(10_000, 20.0, 20_000, 50.0);
    /** Heap per idle connection, bytes (10 KiB: 100,000 connections in 1 GiB). */
    static final double IDLE_BYTES_LIMIT = 10 * 1024;
    /** History query, ms. */
    static final double HISTORY_MS_LIMIT = 50;
    /** A fixed rate counts as sustained when this share of it was acked with nothing throttled or lost. */
    static final double SUSTAINED_SHARE = 0.95;
    static final int PROJECT_CONNECTIONS = 100_000;

    private final StringBuilder text = new StringBuilder();
    private final List<Map<String, Object>> derived = new ArrayList<>();

    private CompareReport() {
    }

    /** A run of the generator, as {@code compare.sh} recorded it. */
    record Run(String system, String name, double offered, double storedBefore, double wallS, double serverCpuS,
               double databaseCpuS, double generatorCpuS, Map<String, Object> generator) {
        double rate() {
            return Json.number(generator, "ackedRate");
        }

        double p50() {
            return Json.number(generator, "latencyMs", "p50");
        }

        double p99() {
            return Json.number(generator, "latencyMs", "p99");
        }

        boolean sustained() {
            return Json.number(generator, "throttled") == 0 && Json.number(generator, "lost") == 0
                    && rate() >= SUSTAINED_SHARE * offered;
        }

        static Run of(Map<String, Object> m) {
            Object g = m.get("generator");
            if (!(g instanceof Map)) {
                throw new IllegalArgumentException("run line without the generator's result: " + Json.write(m));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> gen = (Map<String, Object>) g;
            return new Run(Json.string(m, "system"), Json.string(m, "run"), Json.number(m, "offered"),
                    Json.number(m, "storedBefore"), Json.number(m, "wallS"), Json.number(m, "serverCpuS"),
                    Json.number(m, "databaseCpuS"), Json.number(m, "generatorCpuS"), gen);
        }
    }

    /** The text and the derived result lines. */
    record Result(String text, List<Map<String, Object>> derived) {
    }

    /** Builds the report from the result lines (other types than the known ones are ignored). */
    static Result of(List<Map<String, Object>> lines) {
        CompareReport r = new CompareReport();
        r.build(lines);
        return new Result(r.text.toString(), List.copyOf(r.derived));
    }

    private void build(List<Map<String, Object>> lines) {
        Map<String, Object> meta = null;
        List<Run> runs = new ArrayList<>();
        List<Map<String, Object>> idle = new ArrayList<>();
        List<Map<String, Object>> others = new ArrayList<>();
        for (Map<String, Object> m : lines) {
            String type = Json.string(m, "type");
            if (type == null) {
                continue;
            }
            switch (type) {
                case "meta" -> meta = m;
                case "run" -> runs.add(Run.of(m));
                case "idle" -> idle.add(m);
                case "prefill", "history", "profile", "rules" -> others.add(m);
                default -> {
                    // derived lines of an earlier report, or types of a later version: not inputs
                }
            }
        }
        header(meta);
        comparison(runs);
        flatness(runs);
        cpu(runs);
        for (Map<String, Object> m : others) {
            switch (Json.string(m, "type")) {
                case "prefill" -> prefill(m);
                case "history" -> history(m);
                case "rules" -> rules(m);
                default -> profile(m, runs);
            }
        }
        idle(idle);
    }

    private void header(Map<String, Object> meta) {
        if (meta == null) {
            line("(no meta line: settings unknown)");
            return;
        }
        line(String.format(Locale.ROOT, "Thingport (%s) against Mosquitto %s: %s devices, %s in flight each, window %s s"
                        + " after %s s warm-up (the platform: after a first unmeasured run of %s s); %s",
                Json.string(meta, "backend"), Json.string(meta, "mosquitto"), count(Json.number(meta, "devices")),
                count(Json.number(meta, "maxInflight")), count(Json.number(meta, "duration")),
                count(Json.number(meta, "warmup")), count(Json.number(meta, "platformWarmup")), Json.string(meta, "date")));
        line(String.format(Locale.ROOT, "machine: %s CPUs (%s), %s; commit %s; load average at start %s",
                count(Json.number(meta, "cpus")), Json.string(meta, "cpuModel"), Json.string(meta, "java"),
                Json.string(meta, "commit"), Json.string(meta, "loadavg")));
        String storage = Json.string(meta, "storage");
        if (storage != null && !storage.isEmpty()) {
            line("platform storage settings changed: " + storage);
        }
        line("");
    }

    private void comparison(List<Run> runs) {
        List<String> names = new ArrayList<>();
        for (Run r : runs) {
            boolean compared = r.name().equals("saturation") || r.name().startsWith("rate-");
            if (compared && !names.contains(r.name())) {
                names.add(r.name());
            }
        }
        if (names.isEmpty()) {
            return;
        }
        line(String.format(Locale.ROOT, "%-22s | %-29s | %-29s | %10s | %s", "", "Mosquitto", "Thingport", "Thingport/", ""));
        line(String.format(Locale.ROOT, "%-22s | %9s %9s %9s | %9s %9s %9s | %10s | %s", "run (offered msg/s)",
                "acked/s", "p50 ms", "p99 ms", "acked/s", "p50 ms", "p99 ms", "Mosquitto", "target"));
        Run mqSat = null;
        Run tpSat = null;
        for (String name : names) {
            Run mq = find(runs, "mosquitto", name);
            Run tp = find(runs, "thingport", name);
            Run any = mq != null ? mq : tp;
            double ratio = mq != null && tp != null && mq.rate() > 0 ? tp.rate() / mq.rate() : Double.NaN;
            String target = "";
            Boolean met = null;
            if (name.equals("saturation")) {
                mqSat = mq;
                tpSat = tp;
                if (!Double.isNaN(ratio)) {
                    met = ratio >= SATURATION_SHARE;
                    target = String.format(Locale.ROOT, ">= %.0f %% of Mosquitto: %s", SATURATION_SHARE * 100, met ? "met" : "NOT met");
                }
            } else if (tp != null && P99_LIMIT_MS.containsKey((int) tp.offered())) {
                double limit = P99_LIMIT_MS.get((int) tp.offered());
                met = tp.sustained() && tp.p99() < limit;
                target = String.format(Locale.ROOT, "p99 < %.0f ms: %s", limit, met ? "met"
                        : tp.sustained() ? "NOT met" : "NOT met (rate not sustained)");
            }
            String label = name.equals("saturation") ? "saturation (" + count(any.offered()) + ")" : count(any.offered());
            line(String.format(Locale.ROOT, "%-22s | %s | %s | %10s | %s", label, figures(mq), figures(tp),
                    Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio), target));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", "compare");
            d.put("run", name);
            d.put("offered", any.offered());
            d.put("mosquitto", brief(mq));
            d.put("thingport", brief(tp));
            d.put("ratio", ratio);
            d.put("target", target.isEmpty() ? null : target);
            d.put("met", met);
            derived.add(d);
        }
        for (String name : names) {
            Run mq = find(runs, "mosquitto", name);
            Run tp = find(runs, "thingport", name);
            if (!name.equals("saturation") && tp != null && !tp.sustained()) {
                line(String.format(Locale.ROOT, "  %s msg/s: Thingport did not sustain the offered rate (acked %s/s, %s"
                                + " throttled, %s lost): its latencies are those of an overloaded system",
                        count(tp.offered()), count(tp.rate()), count(Json.number(tp.generator(), "throttled")),
                        count(Json.number(tp.generator(), "lost"))));
            }
            if (!name.equals("saturation") && mq != null && !mq.sustained()) {
                line(String.format(Locale.ROOT, "  %s msg/s: Mosquitto did not sustain the offered rate either (acked %s/s, %s"
                        + " throttled, %s lost): the generator or the machine may not manage it", count(mq.offered()),
                        count(mq.rate()), count(Json.number(mq.generator(), "throttled")),
                        count(Json.number(mq.generator(), "lost"))));
            }
        }
        generatorCheck(mqSat, tpSat);
    }

    private void generatorCheck(Run mq, Run tp) {
        if (mq == null || tp == null) {
            return;
        }
        boolean shown = mq.rate() > tp.rate();
        line("");
        if (shown) {
            line(String.format(Locale.ROOT, "generator: not the bottleneck - against Mosquitto it reached %s acked/s, more than the"
                    + " %s acked/s against Thingport%s, with the same devices and settings", count(mq.rate()),
                    count(tp.rate()), tp.rate() > 0 ? String.format(Locale.ROOT, " (%.2f x)", mq.rate() / tp.rate()) : ""));
        } else {
            line(String.format(Locale.ROOT, "generator: NOT shown not to be the bottleneck - it reached %s acked/s against"
                    + " Mosquitto and %s against Thingport; the generator or the shared CPUs may limit both",
                    count(mq.rate()), count(tp.rate())));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", "generatorCheck");
        d.put("mosquittoSaturation", mq.rate());
        d.put("thingportSaturation", tp.rate());
        d.put("notBottleneck", shown);
        derived.add(d);
    }

    private void flatness(List<Run> runs) {
        Run empty = find(runs, "thingport", "saturation");
        Run after = find(runs, "thingport", "saturation-prefilled");
        if (after == null) {
            return;
        }
        line("");
        line(String.format(Locale.ROOT, "saturation with %s reports stored: %s acked/s, p50 %s ms, p99 %s ms", count(after.storedBefore()),
                count(after.rate()), ms(after.p50()), ms(after.p99())));
        if (empty == null || empty.rate() <= 0) {
            return;
        }
        double ratio = after.rate() / empty.rate();
        boolean met = ratio >= FLAT_SHARE;
        line(String.format(Locale.ROOT, "  against %s acked/s with %s stored: %.2f (target >= %.2f: %s)", count(empty.rate()),
                count(empty.storedBefore()), ratio, FLAT_SHARE, met ? "met" : "NOT met"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", "flat");
        d.put("emptyRate", empty.rate());
        d.put("emptyStoredBefore", empty.storedBefore());
        d.put("prefilledRate", after.rate());
        d.put("prefilledStoredBefore", after.storedBefore());
        d.put("ratio", ratio);
        d.put("met", met);
        derived.add(d);
    }

    private void cpu(List<Run> runs) {
        if (runs.isEmpty()) {
            return;
        }
        line("");
        line("CPU, cores used on average over each whole generator run (ramp-up and drain included):");
        for (Run r : runs) {
            if (r.wallS() > 0) {
                // The database's processes are part of the server's figure: shown apart when the run recorded them.
                String database = Double.isNaN(r.databaseCpuS()) ? ""
                        : String.format(Locale.ROOT, " (of which the database %.2f)", r.databaseCpuS() / r.wallS());
                line(String.format(Locale.ROOT, "  %-9s %-22s server %.2f%s  generator %.2f", r.system(), r.name(),
                        r.serverCpuS() / r.wallS(), database, r.generatorCpuS() / r.wallS()));
            }
        }
    }

    private void prefill(Map<String, Object> m) {
        line("");
        double s = Json.number(m, "seconds");
        double stored = Json.number(m, "stored");
        line(String.format(Locale.ROOT, "prefill: %s reports stored (target %s): %s added in %s s (%s/s; generator runs at"
                        + " saturation: %s)", count(stored), count(Json.number(m, "target")), count(Json.number(m, "added")),
                count(s), s > 0 ? count(Json.number(m, "added") / s) : "-", count(Json.number(m, "runs"))));
    }

    /** The rules active during a saturation run: their counters over the run and the rows that reached the sink. */
    private void rules(Map<String, Object> m) {
        line("");
        String sink = Json.string(m, "sink");
        line(String.format(Locale.ROOT, "rules during %s: %s x %s (action buffer %s), %s acked/s; counters over the run until"
                        + " nothing was in flight (%s s after it):", Json.string(m, "run"), count(Json.number(m, "rules")), sink,
                count(Json.number(m, "buffer")), count(Json.number(m, "ackedRate")), count(Json.number(m, "drainS"))));
        line(String.format(Locale.ROOT, "  matched %s (the run's reports x rules: %s), passed %s, filtered %s, failed %s",
                count(Json.number(m, "total", "matched")),
                count(Json.number(m, "ackedTotal") * Json.number(m, "rules")), count(Json.number(m, "total", "passed")),
                count(Json.number(m, "total", "filtered")), count(Json.number(m, "total", "failed"))));
        line(String.format(Locale.ROOT, "  actions: success %s, failed %s, discarded %s, retries %s",
                count(Json.number(m, "total", "success")), count(Json.number(m, "total", "actionFailed")),
                count(Json.number(m, "total", "discarded")), count(Json.number(m, "total", "retries"))));
        if (!"none".equals(sink)) {
            line(String.format(Locale.ROOT, "  rows that reached the sink: %s", count(Json.number(m, "sinkRows"))));
        }
    }

    private void history(Map<String, Object> m) {
        line("");
        double median = Json.number(m, "query", "median");
        double trivial = Json.number(m, "trivial", "median");
        boolean met = median < HISTORY_MS_LIMIT;
        line(String.format(Locale.ROOT, "history: '%s' with %s reports of %s stored, server side (markers around the command"
                        + " in one shell session):", Json.string(m, "command"), count(Json.number(m, "reports")),
                Json.string(m, "device")));
        Object lines = Json.at(m, "query", "lines");
        line(String.format(Locale.ROOT, "  query   median %s ms, p90 %s, min %s, max %s (%s runs, %s output lines each)",
                ms(median), ms(Json.number(m, "query", "p90")), ms(Json.number(m, "query", "min")),
                ms(Json.number(m, "query", "max")), count(Json.number(m, "query", "n")),
                lines instanceof Double d ? count(d) : lines));
        line(String.format(Locale.ROOT, "  trivial median %s ms (echo: the markers' and the shell's own cost)", ms(trivial)));
        line(String.format(Locale.ROOT, "  target: under %.0f ms: %s", HISTORY_MS_LIMIT, met ? "met" : "NOT met"));
    }

    private void profile(Map<String, Object> m, List<Run> runs) {
        line("");
        Run recorded = find(runs, "thingport", String.valueOf(Json.string(m, "run")));
        line(String.format(Locale.ROOT, "profile of %s (%s stored before%s): %s, %s samples", Json.string(m, "run"),
                count(Json.number(m, "storedBefore")), recorded == null ? ""
                        : ", " + count(recorded.rate()) + " acked/s while recording", Json.string(m, "file"),
                count(Json.number(m, "samples"))));
        packages(m, "packages", "  top frame in:     ");
        packages(m, "inclusivePackages", "  anywhere on stack:");
    }

    private void packages(Map<String, Object> m, String key, String title) {
        if (Json.at(m, key) instanceof Map<?, ?> pk) {
            double total = Json.number(m, "samples");
            StringBuilder sb = new StringBuilder(title);
            pk.entrySet().stream().limit(5).forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.0f %%;", e.getKey(),
                    100 * ((Double) e.getValue()) / total)));
            line(sb.toString());
        }
    }

    private void idle(List<Map<String, Object>> idle) {
        if (idle.isEmpty()) {
            return;
        }
        line("");
        line("idle authenticated MQTT connections, used heap after a full GC:");
        // x = the connections logged in at the reading (a level where some logins were refused still gives a point);
        // the reading after all disconnected is not a point of the fit: what stays (caches of the devices seen) is not
        // held by a connection
        List<double[]> points = new ArrayList<>();
        double before = Double.NaN;
        for (Map<String, Object> m : idle) {
            double n = Json.number(m, "connections");
            double bytes = Json.number(m, "heapUsedBytes");
            double connected = Json.number(m, "connected");
            String phase = Json.string(m, "phase");
            if ("after".equals(phase)) {
                line(String.format(Locale.ROOT, "  %7s connections (after): %8.1f MiB%s", count(connected), bytes / 1024 / 1024,
                        Double.isNaN(before) ? "" : String.format(Locale.ROOT, ", %+.1f MiB against before: not held by the"
                                + " connections (not in the fit)", (bytes - before) / 1024 / 1024)));
                continue;
            }
            if ("before".equals(phase)) {
                before = bytes;
            }
            line(String.format(Locale.ROOT, "  %7s connections%s: %8.1f MiB%s", count(connected),
                    "before".equals(phase) ? " (before)" : "", bytes / 1024 / 1024,
                    connected == n ? "" : " (of " + count(n) + " attempted: the others' logins were refused)"));
            points.add(new double[] {connected, bytes});
        }
        if (points.size() < 2) {
            line("  fit: needs at least 2 points");
            return;
        }
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        LinearFit fit;
        try {
            fit = LinearFit.of(x, y);
        } catch (IllegalArgumentException e) {
            line("  fit: " + e.getMessage());
            return;
        }
        double projected = fit.at(PROJECT_CONNECTIONS);
        boolean met = fit.slope() <= IDLE_BYTES_LIMIT;
        line(String.format(Locale.ROOT, "  least squares: %s bytes per connection + %.1f MiB (R^2 %.3f, %d points)",
                count(fit.slope()), fit.intercept() / 1024 / 1024, fit.r2(), fit.points()));
        line(String.format(Locale.ROOT, "  projection for %s connections: %.0f MiB of heap; target <= %.0f KiB per"
                + " connection: %s", count(PROJECT_CONNECTIONS), projected / 1024 / 1024, IDLE_BYTES_LIMIT / 1024,
                met ? "met" : "NOT met"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", "idleFit");
        d.put("bytesPerConnection", fit.slope());
        d.put("interceptBytes", fit.intercept());
        d.put("r2", fit.r2());
        d.put("points", fit.points());
        d.put("projectedConnections", PROJECT_CONNECTIONS);
        d.put("projectedHeapBytes", projected);
        d.put("met", met);
        derived.add(d);
    }

    private static Run find(List<Run> runs, String system, String name) {
        Run found = null;
        for (Run r : runs) {
            if (system.equals(r.system()) && name.equals(r.name())) {
                found = r; // the last one when repeated
            }
        }
        return found;
    }

    private static String figures(Run r) {
        if (r == null) {
            return String.format(Locale.ROOT, "%9s %9s %9s", "-", "-", "-");
        }
        return String.format(Locale.ROOT, "%9s %9s %9s", count(r.rate()), ms(r.p50()), ms(r.p99()));
    }

    private static Map<String, Object> brief(Run r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ackedRate", r.rate());
        m.put("p50", r.p50());
        m.put("p99", r.p99());
        m.put("sustained", r.sustained());
        m.put("ok", Json.at(r.generator(), "ok"));
        return m;
    }

    static String count(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : v < 100 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    private void line(String s) {
        text.append(s.stripTrailing()).append('\n');
    }
}
