package io.thingport.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** One load-generator run: ramp-up, warm-up, measured window, drain, summary. */
final class LoadRun {
    final LoadConfig config;
    final PayloadSpec payload;
    final Stats stats = new Stats();
    /** Latency of reports written inside the measured window. */
    final LatencyHistogram latency = new LatencyHistogram();
    /** Latency of all reports acked since the last progress line. */
    final LatencyHistogram intervalLatency = new LatencyHistogram();
    /** TCP connect + CONNECT/CONNACK time of successful logins. */
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

    int execute() throws Exception {
        int n = devices.size();
        InetAddress ip = InetAddress.getByName(config.host);
        InetSocketAddress address = new InetSocketAddress(ip, config.port);
        System.out.printf(Locale.ROOT,
                "thingport-bench: %d devices -> %s:%d product=%s rate=%s msg/s duration=%ss warmup=%ss "
                        + "connect-rate=%s/s keepalive=%ds max-inflight=%d threads=%d%n",
                n, ip.getHostAddress(), config.port, config.product, fmt(config.rate), fmt(config.durationS),
                fmt(config.warmupS), fmt(config.connectRate), config.keepaliveS, config.maxInflight, config.threads);

        NioEventLoopGroup group = new NioEventLoopGroup(config.threads, new DefaultThreadFactory("mqtt-load", true));
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

        DeviceClient[] clients = new DeviceClient[n];
        for (int i = 0; i < n; i++) {
            Device d = devices.get(i);
            int li = i % loops.size();
            clients[i] = new DeviceClient(this, d, li, loops.get(li),
                    "/" + config.product + "/" + d.id() + "/properties/report");
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
                    clients[started++].connect(base, address);
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
            phase = "warmup";
            sleepSeconds(config.warmupS);
            long measureStart = System.nanoTime();
            measuring = true;
            phase = "measure";
            sleepSeconds(config.durationS);
            if (pacer != null) {
                pacer.stopAndJoin();
            }
            measuring = false;
            long measureEnd = System.nanoTime();
            int connectedAtEnd = stats.connected.get();

            // ---- drain: wait for PUBACKs of measured reports ----
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
            r.lost = r.sent - r.acked;
            r.throttled = stats.throttled.sum();
            r.skipped = stats.skipped.sum();
            r.windowS = (measureEnd - measureStart) / 1e9;
            r.rampS = rampS;
            r.ackedRate = r.windowS > 0 ? r.acked / r.windowS : 0;
            r.reasons = stats.reasons();
            r.ok = r.lost == 0 && r.loginFailures == 0 && r.connectErrors == 0 && connectedAtEnd == n
                    && (config.rate == 0 || config.durationS == 0 || r.sent > 0);
            printSummary(r);
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
     * Global scheduler: every millisecond it emits the number of reports due so far
     * (rate x elapsed - emitted) and hands them round-robin to the connected devices, batched
     * per event loop.
     */
    private final class Pacer extends Thread {
        private final DeviceClient[] clients;
        private final int loopCount;
        private final double rate;
        private volatile boolean running = true;
        private int cursor;

        Pacer(DeviceClient[] clients, int loopCount, double rate) {
            super("pacer");
            setDaemon(true);
            this.clients = clients;
            this.loopCount = loopCount;
            this.rate = rate;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long emitted = 0;
            while (running) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * rate) - emitted;
                if (due > 0) {
                    dispatch(due);
                    emitted += due;
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
     * Runs the HMAC and MQTT codec paths once on every event loop before the ramp-up, so class
     * loading and first-use initialisation do not show up as connect latency of the first devices.
     */
    private void prime(List<EventLoop> loops) throws InterruptedException {
        List<io.netty.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (EventLoop loop : loops) {
            futures.add(loop.submit(() -> {
                String user = Auth.username("prime", System.currentTimeMillis());
                String pass = Auth.password("prime", user);
                EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
                ch.writeOutbound(MqttMessageBuilders.connect().clientId("prime").username(user).hasUser(true)
                        .password(pass.getBytes(StandardCharsets.UTF_8)).hasPassword(true)
                        .protocolVersion(MqttVersion.MQTT_3_1_1).build());
                StringBuilder sb = new StringBuilder();
                payload.appendReport(sb, "prime");
                ch.writeOutbound(new MqttPublishMessage(
                        new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                        new MqttPublishVariableHeader("/prime", 1), Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8)));
                ByteBuf out;
                while ((out = ch.readOutbound()) != null) {
                    ch.writeInbound(out); // decode our own packets: exercises the decoder
                }
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x20, 0x02, 0x00, 0x00, 0x40, 0x02, 0x00, 0x01}));
                Object in;
                while ((in = ch.readInbound()) != null) {
                    ReferenceCountUtil.release(in);
                }
                ch.finishAndReleaseAll();
            }));
        }
        for (io.netty.util.concurrent.Future<?> f : futures) {
            f.await(10, TimeUnit.SECONDS);
        }
    }

    private void progress() {
        try {
            long now = System.nanoTime();
            double dt = (now - lastReportNanos) / 1e9;
            lastReportNanos = now;
            long sent = stats.sent.sum();
            long acked = stats.acked.sum();
            LatencyHistogram h = intervalLatency.snapshotAndReset();
            String lat = h.count() == 0 ? "p50=- p99=-"
                    : String.format(Locale.ROOT, "p50=%.2fms p99=%.2fms", h.percentileMs(50), h.percentileMs(99));
            System.out.printf(Locale.ROOT,
                    "[%6.1fs %-7s] connected=%d/%d failed=%d sent=%d acked=%d inflight=%d throttled=%d errors=%d"
                            + " | interval: sent %.0f/s acked %.0f/s %s%n",
                    (now - startNanos) / 1e9, phase, stats.connected.get(), devices.size(), stats.failedConnects(),
                    sent, acked, stats.inflight(), stats.throttled.sum(), stats.errors.sum(),
                    dt > 0 ? (sent - lastSent) / dt : 0, dt > 0 ? (acked - lastAcked) / dt : 0, lat);
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
        long lost;
        long throttled;
        long skipped;
        double windowS;
        double rampS;
        double ackedRate;
        Map<String, Long> reasons;
        boolean ok;
    }

    private void printSummary(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n=== summary: measured window %.1f s (warmup %s s excluded), %s:%d ===%n",
                r.windowS, fmt(config.warmupS), config.host, config.port));
        line(sb, "devices", Integer.toString(r.devices));
        line(sb, "connected", r.connected + " at end of window (" + r.everConnected + " logged in; ramp-up "
                + String.format(Locale.ROOT, "%.1f s", r.rampS) + ")");
        line(sb, "login failures", Long.toString(r.loginFailures));
        line(sb, "connect errors", Long.toString(r.connectErrors));
        line(sb, "errors", Long.toString(r.errors));
        line(sb, "target rate", fmt(config.rate) + " msg/s");
        line(sb, "messages sent", Long.toString(r.sent));
        line(sb, "messages acked", Long.toString(r.acked));
        line(sb, "lost", Long.toString(r.lost));
        line(sb, "throttled", r.throttled + " (whole run)");
        if (r.skipped > 0) {
            line(sb, "skipped", r.skipped + " (whole run; no connected device)");
        }
        line(sb, "acked rate", String.format(Locale.ROOT, "%.1f msg/s", r.ackedRate));
        line(sb, "latency ms", latency.count() == 0 ? "n/a (no report acked in the window)"
                : String.format(Locale.ROOT, "p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f (n=%d)",
                latency.percentileMs(50), latency.percentileMs(90), latency.percentileMs(99),
                latency.percentileMs(99.9), latency.maxUs() / 1000.0, latency.count()));
        line(sb, "connect ms", connectLatency.count() == 0 ? "n/a (no successful login)" : String.format(Locale.ROOT, "p50=%.3f p99=%.3f max=%.3f (n=%d)",
                connectLatency.percentileMs(50), connectLatency.percentileMs(99), connectLatency.maxUs() / 1000.0,
                connectLatency.count()));
        if (stats.unexpectedAcks.sum() > 0 || stats.inboundPublishes.sum() > 0) {
            line(sb, "other", "unexpected PUBACKs=" + stats.unexpectedAcks.sum()
                    + " PUBLISH received=" + stats.inboundPublishes.sum());
        }
        if (!r.reasons.isEmpty()) {
            sb.append("failure reasons:\n");
            r.reasons.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %8d  %s%n", v, k)));
        }
        if (config.rate > 0 && r.windowS > 0 && (r.ackedRate < 0.95 * config.rate || r.throttled > 0)) {
            sb.append(String.format(Locale.ROOT, "note: target rate not sustained (%.1f of %s msg/s acked, %d throttled):"
                    + " the server (or this machine) is saturated; latency figures describe an overloaded system%n",
                    r.ackedRate, fmt(config.rate), r.throttled));
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
        if (!r.ok && why.isEmpty()) {
            why.add("no report was sent");
        }
        line(sb, "result", r.ok ? "OK" : "FAILED: " + String.join("; ", why));
        System.out.print(sb);
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "%-16s %s%n", name, value));
    }

    private String toJson(Result r) {
        StringBuilder sb = new StringBuilder(512);
        sb.append('{');
        kv(sb, "tool", PayloadSpec.quote("thingport-bench")).append(',');
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
        kv(sb, "acked", r.acked).append(',');
        kv(sb, "lost", r.lost).append(',');
        kv(sb, "throttled", r.throttled).append(',');
        kv(sb, "skipped", r.skipped).append(',');
        kv(sb, "ackedRate", num(r.ackedRate)).append(',');
        sb.append("\"latencyMs\":{");
        kv(sb, "p50", num(latency.percentileMs(50))).append(',');
        kv(sb, "p90", num(latency.percentileMs(90))).append(',');
        kv(sb, "p99", num(latency.percentileMs(99))).append(',');
        kv(sb, "p999", num(latency.percentileMs(99.9))).append(',');
        kv(sb, "max", num(latency.maxUs() / 1000.0)).append("},");
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
