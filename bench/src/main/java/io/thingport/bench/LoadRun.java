package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.thingport.simulator.engine.LatencyHistogram;
import io.thingport.simulator.engine.RatePacer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One load-generator run, the same for every transport: ramp-up, warm-up, measured window, drain, summary. The
 * devices ({@link DeviceClient} subclasses) differ only in how they log in, send a report and learn that it was
 * confirmed.
 */
final class LoadRun {
    /** Wall-clock times as the platform's shell prints them (iot:device-props), to compare the two. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    final LoadConfig config;
    final PayloadSpec payload;
    final Stats stats = new Stats();
    /** Latency of reports written inside the measured window. */
    final LatencyHistogram latency = new LatencyHistogram();
    /** Latency of all reports acked since the last progress line. */
    final LatencyHistogram intervalLatency = new LatencyHistogram();
    /** Connect + login time of successful logins. */
    final LatencyHistogram connectLatency = new LatencyHistogram();
    /** Makes report messageIds unique across runs: base-36 start time. */
    final String runTag = Long.toString(System.currentTimeMillis(), 36);

    final CountDownLatch connectDone;
    volatile boolean measuring;
    volatile boolean shuttingDown;

    private final List<Device> devices;
    private volatile String phase = "ramp-up";
    private final long startNanos = System.nanoTime();
    private long lastReportNanos = startNanos;
    private long lastSent;
    private long lastAcked;

    LoadRun(LoadConfig config, PayloadSpec payload, List<Device> devices) {
        this.config = config;
        this.payload = payload;
        this.devices = devices;
        this.connectDone = new CountDownLatch(devices.size());
    }

    /** "acked" (PUBACK, 2.04) or "written" (TCP: handed to the kernel, no acknowledgement exists). */
    String confirmedWord() {
        return config.transport == LoadConfig.Transport.TCP ? "written" : "acked";
    }

    int execute() throws Exception {
        int n = devices.size();
        InetAddress ip = InetAddress.getByName(config.host);
        InetSocketAddress address = new InetSocketAddress(ip, config.port);
        System.out.printf(Locale.ROOT,
                "thingport-bench: %d devices -> %s %s:%d product=%s rate=%s msg/s duration=%ss warmup=%ss "
                        + "connect-rate=%s/s keepalive=%ds max-inflight=%d threads=%d%n",
                n, config.transport.label(), ip.getHostAddress(), config.port, config.product, fmt(config.rate),
                fmt(config.durationS), fmt(config.warmupS), fmt(config.connectRate), config.keepaliveS,
                config.maxInflight, config.threads);

        NioEventLoopGroup group = new NioEventLoopGroup(config.threads, new DefaultThreadFactory("bench-load", true));
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reporter");
            t.setDaemon(true);
            return t;
        });
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
        Bootstrap base = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connackTimeoutS * 1000));
        CoapDeviceClient.Target coap = config.transport == LoadConfig.Transport.COAP
                ? new CoapDeviceClient.Target(address) : null;

        DeviceClient[] clients = new DeviceClient[n];
        for (int i = 0; i < n; i++) {
            Device d = devices.get(i);
            int li = i % loops.size();
            EventLoop loop = loops.get(li);
            switch (config.transport) {
                case MQTT -> clients[i] = new MqttDeviceClient(this, d, li, loop, base, address);
                case TCP -> clients[i] = new TcpDeviceClient(this, d, li, loop, base, address);
                case COAP -> clients[i] = new CoapDeviceClient(this, d, li, loop, coap);
                default -> throw new IllegalStateException(config.transport.name());
            }
        }
        List<DeviceClient> samples = pickSamples(clients, config.samples);
        for (DeviceClient c : samples) {
            c.sample = true;
        }

        prime(loops);
        long periodMs = (long) (config.reportIntervalS * 1000);
        reporter.scheduleAtFixedRate(this::progress, periodMs, periodMs, TimeUnit.MILLISECONDS);
        try {
            // ---- ramp-up: connect at --connect-rate ----
            long rampStart = System.nanoTime();
            int started = 0;
            while (started < n) {
                double elapsedS = (System.nanoTime() - rampStart) / 1e9;
                long due = Math.min(n, (long) Math.floor(elapsedS * config.connectRate) + 1);
                while (started < due) {
                    clients[started++].connect();
                }
                if (started < n) {
                    LockSupport.parkNanos(1_000_000L);
                }
            }
            long waitMs = (long) (config.connackTimeoutS * 2000) + 5000;
            if (!connectDone.await(waitMs, TimeUnit.MILLISECONDS)) {
                System.err.println("! some connection attempts still unresolved after " + waitMs + " ms");
            }
            double rampS = (System.nanoTime() - rampStart) / 1e9;
            System.out.printf(Locale.ROOT, "ramp-up done in %.1f s: connected=%d/%d login-failures=%d connect-errors=%d"
                            + " connect p50=%.1fms p99=%.1fms%n",
                    rampS, stats.connected.get(), n, stats.loginFailures.sum(), stats.connectErrors.sum(),
                    connectLatency.percentileMs(50), connectLatency.percentileMs(99));

            // ---- traffic ----
            Pacer pacer = null;
            if (config.rate > 0) {
                pacer = new Pacer(clients, loops.size(), config.rate);
                pacer.start();
            }
            long trafficStartMs = System.currentTimeMillis();
            phase = "warmup";
            sleepSeconds(config.warmupS);
            long measureStart = System.nanoTime();
            long windowStartMs = System.currentTimeMillis();
            measuring = true;
            phase = "measure";
            sleepSeconds(config.durationS);
            if (pacer != null) {
                pacer.stopAndJoin();
            }
            measuring = false;
            long measureEnd = System.nanoTime();
            long windowEndMs = System.currentTimeMillis();
            int connectedAtEnd = stats.connected.get();

            // ---- drain: wait for the confirmations (PUBACK, 2.04, TCP write) of measured reports ----
            phase = "drain";
            long drainDeadline = System.nanoTime() + (long) (config.drainS * 1e9);
            while (stats.measuredOutstanding() > 0 && System.nanoTime() < drainDeadline) {
                Thread.sleep(10);
            }
            measuring = false;
            reporter.shutdownNow();

            Result r = new Result();
            r.devices = n;
            r.connected = connectedAtEnd;
            r.everConnected = stats.everConnected.sum();
            r.loginFailures = stats.loginFailures.sum();
            r.connectErrors = stats.connectErrors.sum();
            r.errors = stats.errors.sum();
            r.sent = stats.measuredSent.sum();
            r.acked = stats.measuredAcked.sum();
            r.refused = stats.measuredRefused.sum();
            r.lost = r.sent - r.acked - r.refused;
            r.errorFrames = stats.errorFrames.sum();
            r.confirmedTotal = stats.acked.sum();
            r.trafficStartMs = trafficStartMs;
            r.windowStartMs = windowStartMs;
            r.windowEndMs = windowEndMs;
            r.throttled = stats.throttled.sum();
            r.skipped = stats.skipped.sum();
            r.windowS = (measureEnd - measureStart) / 1e9;
            r.rampS = rampS;
            r.ackedRate = r.windowS > 0 ? r.acked / r.windowS : 0;
            r.reasons = stats.reasons();
            r.ok = r.lost == 0 && r.refused == 0 && r.errorFrames == 0 && r.loginFailures == 0 && r.connectErrors == 0
                    && connectedAtEnd == n && (config.rate == 0 || config.durationS == 0 || r.sent > 0);
            printSummary(r);
            printSamples(samples);
            if (config.json) {
                System.out.println(toJson(r));
            }
            System.out.flush();
            return r.ok ? 0 : 1;
        } finally {
            reporter.shutdownNow();
            shuttingDown = true;
            for (DeviceClient c : clients) {
                c.disconnect();
            }
            group.shutdownGracefully(200, 3000, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Global scheduler: every millisecond it asks the shared {@link RatePacer} (the simulator's, iot:simulate) how many
     * reports are due and hands them round-robin to the connected devices, batched per event loop.
     */
    private final class Pacer extends Thread {
        private final DeviceClient[] clients;
        private final int loopCount;
        private final RatePacer pacer;
        private volatile boolean running = true;
        private int cursor;

        Pacer(DeviceClient[] clients, int loopCount, double rate) {
            super("pacer");
            setDaemon(true);
            this.clients = clients;
            this.loopCount = loopCount;
            this.pacer = new RatePacer(rate);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            while (running) {
                long due = pacer.due(System.nanoTime() - start);
                if (due > 0) {
                    dispatch(due);
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }

        @SuppressWarnings("unchecked")
        private void dispatch(long count) {
            List<DeviceClient>[] batches = new List[loopCount];
            int n = clients.length;
            for (long i = 0; i < count; i++) {
                DeviceClient picked = null;
                if (stats.connected.get() > 0) {
                    for (int step = 0; step < n; step++) {
                        DeviceClient c = clients[cursor];
                        cursor = cursor + 1 == n ? 0 : cursor + 1;
                        if (c.connected) {
                            picked = c;
                            break;
                        }
                    }
                }
                if (picked == null) {
                    stats.skipped.add(count - i);
                    break;
                }
                List<DeviceClient> b = batches[picked.loopIndex];
                if (b == null) {
                    b = new ArrayList<>();
                    batches[picked.loopIndex] = b;
                }
                b.add(picked);
            }
            for (List<DeviceClient> b : batches) {
                if (b != null) {
                    b.get(0).loop.execute(() -> {
                        for (DeviceClient c : b) {
                            c.trySend();
                        }
                    });
                }
            }
        }

        void stopAndJoin() throws InterruptedException {
            running = false;
            join(5000);
        }
    }

    /**
     * Runs the HMAC, report and (MQTT) codec paths once on every event loop before the ramp-up, so class loading and
     * first-use initialisation do not show up as connect latency of the first devices.
     */
    private void prime(List<EventLoop> loops) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (EventLoop loop : loops) {
            futures.add(loop.submit(() -> {
                TcpFrames.frame("/prime", payload.report("prime", 1));
                TcpFrames.login(new Device("prime", "prime"), System.currentTimeMillis());
                if (config.transport == LoadConfig.Transport.MQTT) {
                    MqttDeviceClient.prime(payload);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.await(10, TimeUnit.SECONDS);
        }
    }

    /** {@code count} devices spread evenly over the list, the first and the last included. */
    static <T> List<T> pickSamples(T[] all, int count) {
        List<T> out = new ArrayList<>();
        int n = all.length;
        int k = Math.min(count, n);
        for (int i = 0; i < k; i++) {
            int index = k == 1 ? 0 : (int) ((long) i * (n - 1) / (k - 1));
            out.add(all[index]);
        }
        return out;
    }

    private void progress() {
        try {
            long now = System.nanoTime();
            double dt = (now - lastReportNanos) / 1e9;
            lastReportNanos = now;
            long sent = stats.sent.sum();
            long acked = stats.acked.sum();
            LatencyHistogram h = intervalLatency.snapshotAndReset();
            String lat = config.transport == LoadConfig.Transport.TCP ? ""
                    : h.count() == 0 ? " p50=- p99=-"
                    : String.format(Locale.ROOT, " p50=%.2fms p99=%.2fms", h.percentileMs(50), h.percentileMs(99));
            String word = confirmedWord();
            String extra = config.transport == LoadConfig.Transport.TCP ? " /error=" + stats.errorFrames.sum()
                    : config.transport == LoadConfig.Transport.COAP
                    ? " refused=" + stats.refused.sum() + " /error=" + stats.errorFrames.sum() : "";
            System.out.printf(Locale.ROOT,
                    "[%6.1fs %-7s] connected=%d/%d failed=%d sent=%d %s=%d inflight=%d throttled=%d errors=%d%s"
                            + " | interval: sent %.0f/s %s %.0f/s%s%n",
                    (now - startNanos) / 1e9, phase, stats.connected.get(), devices.size(), stats.failedConnects(),
                    sent, word, acked, stats.inflight(), stats.throttled.sum(), stats.errors.sum(), extra,
                    dt > 0 ? (sent - lastSent) / dt : 0, word, dt > 0 ? (acked - lastAcked) / dt : 0, lat);
            lastSent = sent;
            lastAcked = acked;
        } catch (RuntimeException e) {
            System.err.println("! progress report failed: " + e);
        }
    }

    static final class Result {
        int devices;
        int connected;
        long everConnected;
        long loginFailures;
        long connectErrors;
        long errors;
        long sent;
        long acked;
        long refused;
        long lost;
        long throttled;
        long skipped;
        long errorFrames;
        /** Confirmed (acked / written) over the whole run, warm-up and drain included. */
        long confirmedTotal;
        long trafficStartMs;
        long windowStartMs;
        long windowEndMs;
        double windowS;
        double rampS;
        double ackedRate;
        Map<String, Long> reasons;
        boolean ok;
    }

    private void printSummary(Result r) {
        LoadConfig.Transport t = config.transport;
        boolean tcp = t == LoadConfig.Transport.TCP;
        String word = confirmedWord();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n=== summary: %s, measured window %.1f s (warmup %s s excluded), %s:%d ===%n",
                t.label(), r.windowS, fmt(config.warmupS), config.host, config.port));
        line(sb, "devices", Integer.toString(r.devices));
        line(sb, "connected", r.connected + " at end of window (" + r.everConnected + " logged in; ramp-up "
                + String.format(Locale.ROOT, "%.1f s", r.rampS) + ")");
        line(sb, "login failures", Long.toString(r.loginFailures));
        line(sb, "connect errors", Long.toString(r.connectErrors));
        line(sb, "errors", r.errors + (t == LoadConfig.Transport.COAP ? " (reports without response)" : " (sessions lost)"));
        line(sb, "target rate", fmt(config.rate) + " msg/s");
        line(sb, "messages sent", Long.toString(r.sent));
        line(sb, "messages " + word, Long.toString(r.acked) + (tcp ? " (write completed: in the kernel's send buffer, not"
                + " necessarily read or stored by the platform)" : ""));
        if (t == LoadConfig.Transport.COAP) {
            line(sb, "refused", r.refused + " (answered with an error code, see the reasons)");
        }
        line(sb, "lost", r.lost + (tcp ? " (writes failed or still pending after the drain)" : ""));
        if (tcp) {
            line(sb, "/error frames", Long.toString(r.errorFrames));
        } else if (t == LoadConfig.Transport.COAP) {
            line(sb, "/error downlinks", r.errorFrames + " (reports rejected by the platform though answered 2.04)");
        }
        line(sb, "throttled", r.throttled + " (whole run)");
        if (r.skipped > 0) {
            line(sb, "skipped", r.skipped + " (whole run; no connected device)");
        }
        line(sb, word + " rate", String.format(Locale.ROOT, "%.1f msg/s", r.ackedRate));
        if (tcp) {
            line(sb, "latency ms", "n/a (TCP carries no acknowledgement of a report)");
        } else {
            line(sb, "latency ms", latency.count() == 0 ? "n/a (no report acked in the window)"
                    : String.format(Locale.ROOT, "p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f (n=%d)",
                    latency.percentileMs(50), latency.percentileMs(90), latency.percentileMs(99),
                    latency.percentileMs(99.9), latency.maxUs() / 1000.0, latency.count()));
        }
        line(sb, "connect ms", connectLatency.count() == 0 ? "n/a (no successful login)"
                : String.format(Locale.ROOT, "p50=%.3f p99=%.3f max=%.3f (n=%d)",
                connectLatency.percentileMs(50), connectLatency.percentileMs(99), connectLatency.maxUs() / 1000.0,
                connectLatency.count()));
        line(sb, "times", "traffic from " + TIME.format(Instant.ofEpochMilli(r.trafficStartMs)) + ", window "
                + TIME.format(Instant.ofEpochMilli(r.windowStartMs)) + " .. " + TIME.format(Instant.ofEpochMilli(r.windowEndMs)));
        line(sb, word + " total", r.confirmedTotal + " (whole run, warm-up included)");
        if (stats.unexpectedAcks.sum() > 0 || stats.inbound.sum() > 0) {
            line(sb, "other", "unexpected PUBACKs=" + stats.unexpectedAcks.sum()
                    + " unexpected messages from the server=" + stats.inbound.sum());
        }
        if (!r.reasons.isEmpty()) {
            sb.append("failure reasons:\n");
            r.reasons.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %8d  %s%n", v, k)));
        }
        if (config.rate > 0 && r.windowS > 0 && (r.ackedRate < 0.95 * config.rate || r.throttled > 0)) {
            sb.append(String.format(Locale.ROOT, "note: target rate not sustained (%.1f of %s msg/s %s, %d throttled):"
                    + " the server (or this machine) is saturated; latency figures describe an overloaded system%n",
                    r.ackedRate, fmt(config.rate), word, r.throttled));
        }
        if (tcp && config.rate > 0) {
            sb.append("note: tcp reports are counted when written; the platform reads a connection only while fewer"
                    + " than 32 of its messages are being stored, so the socket buffers can hold many reports it has"
                    + " not stored yet. What was stored: compare the sample devices below with iot:device-props after"
                    + " the run (see bench/README.md).\n");
        }
        List<String> why = new ArrayList<>();
        if (r.connected < r.devices) {
            why.add((r.devices - r.connected) + " of " + r.devices + " devices not connected at the end");
        }
        if (r.loginFailures + r.connectErrors > 0) {
            why.add((r.loginFailures + r.connectErrors) + " failed connection attempts");
        }
        if (r.lost > 0) {
            why.add(r.lost + " reports lost");
        }
        if (r.refused > 0) {
            why.add(r.refused + " reports refused");
        }
        if (r.errorFrames > 0) {
            why.add(r.errorFrames + " /error messages (rejected reports)");
        }
        if (!r.ok && why.isEmpty()) {
            why.add("no report was sent");
        }
        line(sb, "result", r.ok ? "OK" : "FAILED: " + String.join("; ", why));
        System.out.print(sb);
    }

    /** The last confirmed report of the sample devices, to compare with what the platform stored. */
    private void printSamples(List<DeviceClient> samples) {
        if (samples.isEmpty() || config.rate == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "last %s report of %d sample devices%s:%n", confirmedWord(), samples.size(),
                payload.hasSeq() ? " (seq = the device's report number; compare with iot:device-props <device>)"
                        : " (add a name:seq property to --payload-props to number them)"));
        for (DeviceClient c : samples) {
            String report = c.lastConfirmedReport;
            sb.append(String.format(Locale.ROOT, "  %-16s seq=%-8d %s%n", c.id(), c.lastConfirmedSeq,
                    report == null ? "(none)" : report));
        }
        System.out.print(sb);
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "%-16s %s%n", name, value));
    }

    private String toJson(Result r) {
        String word = confirmedWord();
        StringBuilder sb = new StringBuilder(512);
        sb.append('{');
        kv(sb, "tool", PayloadSpec.quote("thingport-bench")).append(',');
        kv(sb, "transport", PayloadSpec.quote(config.transport.label())).append(',');
        kv(sb, "host", PayloadSpec.quote(config.host)).append(',');
        kv(sb, "port", config.port).append(',');
        kv(sb, "product", PayloadSpec.quote(config.product)).append(',');
        kv(sb, "devices", r.devices).append(',');
        kv(sb, "connected", r.connected).append(',');
        kv(sb, "loginFailures", r.loginFailures).append(',');
        kv(sb, "connectErrors", r.connectErrors).append(',');
        kv(sb, "errors", r.errors).append(',');
        kv(sb, "targetRate", num(config.rate)).append(',');
        kv(sb, "durationS", num(r.windowS)).append(',');
        kv(sb, "warmupS", num(config.warmupS)).append(',');
        kv(sb, "rampS", num(r.rampS)).append(',');
        kv(sb, "maxInflight", config.maxInflight).append(',');
        kv(sb, "sent", r.sent).append(',');
        kv(sb, word, r.acked).append(',');
        kv(sb, "refused", r.refused).append(',');
        kv(sb, "lost", r.lost).append(',');
        kv(sb, "errorFrames", r.errorFrames).append(',');
        kv(sb, "throttled", r.throttled).append(',');
        kv(sb, "skipped", r.skipped).append(',');
        kv(sb, word + "Rate", num(r.ackedRate)).append(',');
        kv(sb, word + "Total", r.confirmedTotal).append(',');
        kv(sb, "trafficStartMs", r.trafficStartMs).append(',');
        kv(sb, "windowStartMs", r.windowStartMs).append(',');
        kv(sb, "windowEndMs", r.windowEndMs).append(',');
        if (config.transport != LoadConfig.Transport.TCP) {
            sb.append("\"latencyMs\":{");
            kv(sb, "p50", num(latency.percentileMs(50))).append(',');
            kv(sb, "p90", num(latency.percentileMs(90))).append(',');
            kv(sb, "p99", num(latency.percentileMs(99))).append(',');
            kv(sb, "p999", num(latency.percentileMs(99.9))).append(',');
            kv(sb, "max", num(latency.maxUs() / 1000.0)).append("},");
        }
        sb.append("\"connectMs\":{");
        kv(sb, "p50", num(connectLatency.percentileMs(50))).append(',');
        kv(sb, "p99", num(connectLatency.percentileMs(99))).append("},");
        kv(sb, "ok", r.ok);
        sb.append('}');
        return sb.toString();
    }

    private static StringBuilder kv(StringBuilder sb, String key, Object value) {
        return sb.append('"').append(key).append("\":").append(value);
    }

    private static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static void sleepSeconds(double s) throws InterruptedException {
        long ms = (long) (s * 1000);
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
