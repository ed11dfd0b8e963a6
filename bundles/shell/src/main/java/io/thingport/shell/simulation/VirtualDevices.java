package io.thingport.shell.simulation;

import io.thingport.api.simulation.LatencySummary;
import io.thingport.api.simulation.SimulationStatus;
import java.time.Duration;
import java.util.Locale;

/** How the simulation commands show durations, progress and summaries. */
final class VirtualDevices {
    private VirtualDevices() {
    }

    static String interval(Duration d) {
        if (d.isZero()) {
            return "none";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The live line: {@code [  3.0s running] connected=10/10 sent=300 acked=298 errors=0 rate=99.3/s}. */
    static String progress(SimulationStatus s) {
        return String.format(Locale.ROOT, "[%5.1fs %-8s] connected=%d/%d sent=%d acked=%d errors=%d rate=%.1f/s",
                s.elapsed().toMillis() / 1000.0, s.state(), s.connected(), s.devices(), s.sent(), s.acked(), s.errors(), s.rate());
    }

    static String summary(SimulationStatus s) {
        StringBuilder sb = new StringBuilder();
        line(sb, "simulation", s.id() + " (" + s.state() + (s.detail().isEmpty() ? "" : ": " + s.detail()) + ")");
        line(sb, "product", s.productId() + (s.createdDevices() ? " (throw-away devices, deleted)" : ""));
        line(sb, "devices", Integer.toString(s.devices()));
        line(sb, "target rate", String.format(Locale.ROOT, "%.1f reports/s for %d s", s.targetRate(), s.duration().toSeconds()));
        line(sb, "sent", Long.toString(s.sent()));
        line(sb, "acked", Long.toString(s.acked()));
        line(sb, "errors", Long.toString(s.errors()));
        line(sb, "acked rate", String.format(Locale.ROOT, "%.1f reports/s", s.rate()));
        LatencySummary l = s.latency();
        line(sb, "latency ms", l.count() == 0 ? "n/a (no report acknowledged)"
                : String.format(Locale.ROOT, "p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f (n=%d)", l.p50(), l.p90(), l.p99(),
                l.p999(), l.max(), l.count()));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "%-12s %s%n", name, value));
    }
}
