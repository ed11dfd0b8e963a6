package io.thingport.bench;

import io.thingport.simulator.engine.LatencyHistogram;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Latency of the Open API against a running platform: through the API it creates a product (a thing model file, by
 * default examples/thing-models/thermostat.json), one device and an application; the device connects over MQTT
 * ({@link CommandDevice}), reports a few values and answers every command at once. Then, one request in flight, after a
 * warm-up, it times {@code --requests} requests of each kind:
 * <ol>
 * <li>(a) {@code GET /auth/me} with a bearer token: authentication, HTTP and CXF, no platform work (the reference);
 * <li>(b) {@code GET /devices/{id}/properties} with a bearer token;
 * <li>(c) the same, signed as an application (HMAC-SHA256, a fresh nonce each);
 * <li>(d) {@code POST /devices/{id}/commands}, a synchronous invoke: the command's round trip through the device;
 * </ol>
 * in {@code --rounds} turns (a, b, c, d, a, b, ...) so that a drift of the shared machine touches all kinds alike, and
 * prints p50/p90/p99/max, requests/s and each kind's p50 and p99 divided by those of (a). With {@code --concurrency C}
 * also (b) by C clients at once. Everything it created is deleted at the end unless {@code --keep-data}.
 */
public final class ApiLatency {
    static final String TOOL = "thingport-api-latency";

    static final String USAGE = String.join("\n",
            "usage: java -cp thingport-bench.jar io.thingport.bench.ApiLatency [options]",
            "",
            "  --host H            platform address (default 127.0.0.1; loopback only unless --allow-non-loopback)",
            "  --port P            web port, the API is http://H:P/api/v1 (default 8181)",
            "  --mqtt-port P       the platform's MQTT port, for the device (default 1883)",
            "  --user U            a person with the role admin or operator (default karaf)",
            "  --password PW       its password (default: the environment variable THINGPORT_PASSWORD)",
            "  --model FILE        thing model of the product (default examples/thing-models/thermostat.json)",
            "  --requests N        measured requests of each kind (default 2000)",
            "  --warmup N          requests of each kind before the measured ones, not counted (default 1000)",
            "  --rounds R          the measured requests of each kind in R turns, kinds alternating (default 4)",
            "  --concurrency C     also (b) with C clients, one request in flight each (default 1: not run)",
            "  --product ID        id of the product to create (default api-bench-<time>)",
            "  --device ID         id of the device to create (default <product>-1)",
            "  --server-pid PID    the platform's process: also its CPU time per request, from /proc/PID/stat",
            "  --clk-tck N         clock ticks per second of /proc (getconf CLK_TCK; default 100)",
            "  --keep-data         do not delete the product, device and application at the end",
            "  --json              also print the result as one JSON line (the last line)",
            "  --allow-non-loopback",
            "  --help");

    /** Command of kind (d): the thermostat's reboot, answered by the device with output "ok". */
    static final String INVOKE = "{\"type\":\"invoke\",\"function\":\"reboot\",\"inputs\":{\"delay\":1},\"timeoutSeconds\":10}";
    /** Limit for the device's login, subscription and each report. */
    private static final Duration DEVICE_TIMEOUT = Duration.ofSeconds(15);
    /** Reasons kept per kind for the summary. */
    private static final int MAX_REASONS = 5;

    private ApiLatency() {
    }

    /** The command line. */
    record Config(String host, int port, int mqttPort, String user, String password, Path model, int requests, int warmup,
            int rounds, int concurrency, String product, String device, long serverPid, int clkTck, boolean keepData,
            boolean json, boolean allowNonLoopback, boolean help) {

        static Config parse(String[] argv, Map<String, String> env) throws UsageException {
            Args a = Args.parse(argv, Set.of("host", "port", "mqtt-port", "user", "password", "model", "requests", "warmup",
                    "rounds", "concurrency", "product", "device", "server-pid", "clk-tck"),
                    Set.of("keep-data", "json", "allow-non-loopback", "help"));
            if (a.flag("help")) {
                return new Config(null, 0, 0, null, null, null, 0, 0, 0, 0, null, null, 0, 0, false, false, false, true);
            }
            String password = a.str("password", env.get("THINGPORT_PASSWORD"));
            if (password == null || password.isEmpty()) {
                throw new UsageException("--password (or the environment variable THINGPORT_PASSWORD) is required");
            }
            int requests = a.integer("requests", 2000, 1, 10_000_000);
            int rounds = a.integer("rounds", 4, 1, 1000);
            if (rounds > requests) {
                throw new UsageException("--rounds (" + rounds + ") must not exceed --requests (" + requests + ")");
            }
            int concurrency = a.integer("concurrency", 1, 1, 1000);
            String product = a.str("product", "api-bench-" + Long.toString(System.currentTimeMillis(), 36));
            return new Config(a.str("host", "127.0.0.1"), a.integer("port", 8181, 1, 65535),
                    a.integer("mqtt-port", 1883, 1, 65535), a.str("user", "karaf"), password,
                    Path.of(a.str("model", "examples/thing-models/thermostat.json")), requests,
                    a.integer("warmup", 1000, 0, 10_000_000), rounds, concurrency, product, a.str("device", product + "-1"),
                    a.integer("server-pid", 0, 0, Integer.MAX_VALUE), a.integer("clk-tck", 100, 1, 100_000),
                    a.flag("keep-data"), a.flag("json"), a.flag("allow-non-loopback"), false);
        }
    }

    /** One kind of request: how to send it, how to tell a right answer (null) from a wrong one (why). */
    static final class Kind {
        final String key;
        final String name;
        final Call call;
        final Function<ApiHttp.Answer, String> check;
        final LatencyHistogram latency = new LatencyHistogram();
        final AtomicLong errors = new AtomicLong();
        final Map<String, Long> reasons = new LinkedHashMap<>();
        /** Time spent on the measured requests (sequential: their sum; concurrent: the wall time). */
        long measuredNanos;
        /** CPU seconds the platform's process used meanwhile (NaN when not known: no --server-pid). */
        double serverCpuS = Double.NaN;
        /**
         * For a command, sent one at a time: when the device received its last command ({@link System#nanoTime}, the
         * same clock: the device runs in this JVM); null for other kinds.
         */
        LongSupplier deviceReceived;
        /** Request sent to command received by the device, and from there to the answer (with {@link #deviceReceived}). */
        final LatencyHistogram toDevice = new LatencyHistogram();
        final LatencyHistogram fromDevice = new LatencyHistogram();

        Kind(String key, String name, Call call, Function<ApiHttp.Answer, String> check) {
            this.key = key;
            this.name = name;
            this.call = call;
            this.check = check;
        }

        /** Sends one request; records its latency when {@code measured} and it is right, else counts the error. */
        long once(boolean measured) throws InterruptedException {
            String why;
            long t0 = System.nanoTime();
            long took;
            try {
                ApiHttp.Answer a = call.send();
                took = System.nanoTime() - t0;
                why = check.apply(a);
            } catch (IOException e) {
                took = System.nanoTime() - t0;
                why = DeviceClient.describe(e);
            }
            if (why == null) {
                if (measured) {
                    latency.recordNanos(took);
                    if (deviceReceived != null) {
                        long at = deviceReceived.getAsLong() - t0;
                        if (at >= 0 && at <= took) {
                            toDevice.recordNanos(at);
                            fromDevice.recordNanos(took - at);
                        }
                    }
                }
            } else {
                errors.incrementAndGet();
                synchronized (reasons) {
                    if (reasons.containsKey(why) || reasons.size() < MAX_REASONS) {
                        reasons.merge(why, 1L, Long::sum);
                    }
                }
            }
            return took;
        }
    }

    /** A request of one kind. */
    @FunctionalInterface
    interface Call {
        ApiHttp.Answer send() throws IOException, InterruptedException;
    }

    /** The figures of one kind; the ratios are to kind (a) of the same run. */
    record Figures(String key, String name, long count, long errors, double p50Ms, double p90Ms, double p99Ms, double maxMs,
            double meanMs, double rate, double p50Ratio, double p99Ratio, double serverCpuMsPerRequest) {
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
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            rc = 1;
        }
        System.out.flush();
        System.exit(rc);
    }

    static int run(String[] argv) throws Exception {
        Config cfg = Config.parse(argv, System.getenv());
        if (cfg.help()) {
            System.out.println(USAGE);
            return 0;
        }
        checkTarget(cfg);
        if (!Files.isRegularFile(cfg.model())) {
            throw new UsageException("thing model " + cfg.model() + " not found (--model)");
        }
        String model = Files.readString(cfg.model(), StandardCharsets.UTF_8);
        HttpClient http = ApiHttp.newClient();
        String origin = "http://" + (cfg.host().contains(":") ? "[" + cfg.host() + "]" : cfg.host()) + ":" + cfg.port();
        ApiHttp person = ApiHttp.basic(http, origin, cfg.user(), cfg.password());
        ApiHttp.Answer t = person.post("/auth/token", null);
        if (t.status() != 200) {
            throw new IOException("POST /auth/token as " + cfg.user() + ": " + t.describe());
        }
        ApiHttp admin = ApiHttp.bearer(http, origin, Json.string(t.json(), "token"));
        Setup setup = new Setup(admin);
        try {
            return measure(cfg, http, origin, admin, setup, model);
        } finally {
            setup.undo(cfg.keepData());
        }
    }

    /** What the run created, to delete it at the end in reverse order. */
    static final class Setup {
        private final ApiHttp admin;
        private final List<String> created = new ArrayList<>();
        CommandDevice device;

        Setup(ApiHttp admin) {
            this.admin = admin;
        }

        String create(String path, String json) throws IOException, InterruptedException {
            ApiHttp.Answer a = admin.post(path, json);
            if (a.status() != 201) {
                throw new IOException("POST " + path + ": " + a.describe());
            }
            return a.body();
        }

        void remember(String path) {
            created.add(path);
        }

        void undo(boolean keepData) {
            if (device != null) {
                device.close();
            }
            try {
                if (!keepData) {
                    for (int i = created.size() - 1; i >= 0; i--) {
                        ApiHttp.Answer a = admin.delete(created.get(i));
                        if (!a.ok()) {
                            System.err.println("could not delete " + created.get(i) + ": " + a.describe());
                        }
                    }
                }
                admin.delete("/auth/token");
            } catch (IOException e) {
                System.err.println("cleaning up: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int measure(Config cfg, HttpClient http, String origin, ApiHttp admin, Setup setup, String model)
            throws Exception {
        String product = cfg.product();
        String deviceId = cfg.device();
        setup.create("/products", "{\"id\":" + PayloadSpec.quote(product) + ",\"name\":\"API latency benchmark\","
                + "\"thingModel\":" + model + "}");
        setup.remember("/products/" + product);
        String deviceSecret = Json.string(Json.parseObject(setup.create("/devices", "{\"id\":" + PayloadSpec.quote(deviceId)
                + ",\"productId\":" + PayloadSpec.quote(product) + "}")), "secret");
        setup.remember("/devices/" + deviceId);
        Map<String, Object> app = Json.parseObject(setup.create("/applications", "{\"name\":" + PayloadSpec.quote(product)
                + ",\"role\":\"operator\"}"));
        String appId = Json.string(app, "application", "id");
        setup.remember("/applications/" + appId);
        ApiHttp signed = ApiHttp.application(http, origin, appId, Json.string(app, "secret"));
        System.out.println("created product " + product + ", device " + deviceId + ", application " + appId);

        setup.device = CommandDevice.connect(cfg.host(), cfg.mqttPort(), product, deviceId, deviceSecret, DEVICE_TIMEOUT);
        for (int i = 0; i < 3; i++) {
            setup.device.report("{\"messageId\":\"r" + i + "\",\"properties\":{\"temp\":2" + i + ".5,\"humidity\":4" + i
                    + ",\"mode\":1,\"led\":true}}", DEVICE_TIMEOUT);
        }
        System.out.println("device " + deviceId + " connected over MQTT (127.0.0.1:" + cfg.mqttPort()
                + "), reported 3 times, answers commands");

        String props = "/devices/" + deviceId + "/properties";
        String commands = "/devices/" + deviceId + "/commands";
        byte[] invoke = INVOKE.getBytes(StandardCharsets.UTF_8);
        List<Kind> kinds = List.of(
                new Kind("a", "GET /auth/me, bearer token", () -> admin.get("/auth/me"), a -> expect(a, "name", cfg.user())),
                new Kind("b", "GET /devices/{id}/properties, bearer", () -> admin.get(props), a -> hasKey(a, "temp")),
                new Kind("c", "GET /devices/{id}/properties, signed", () -> signed.get(props), a -> hasKey(a, "temp")),
                new Kind("d", "POST /devices/{id}/commands invoke", () -> admin.send("POST", commands, invoke),
                        a -> expect(a, "state", "replied")));
        kinds.get(3).deviceReceived = setup.device::lastInvokeNanos;
        for (Kind k : kinds) {
            // one right answer before anything is timed: a wrong set-up stops here with its reason
            ApiHttp.Answer a = k.call.send();
            String why = k.check.apply(a);
            if (why != null) {
                throw new IOException("(" + k.key + ") " + k.name + ": " + why);
            }
        }

        System.out.printf(Locale.ROOT, "warm-up: %d requests of each kind%n", cfg.warmup());
        for (Kind k : kinds) {
            for (int i = 0; i < cfg.warmup(); i++) {
                k.once(false);
            }
        }
        System.out.printf(Locale.ROOT, "measuring: %d requests of each kind, one in flight, in %d rounds%n", cfg.requests(),
                cfg.rounds());
        ProcCpu server = cfg.serverPid() > 0 ? new ProcCpu(cfg.serverPid(), cfg.clkTck()) : null;
        for (int r = 0; r < cfg.rounds(); r++) {
            int n = share(cfg.requests(), cfg.rounds(), r);
            for (Kind k : kinds) {
                long spent = 0;
                double cpu0 = server == null ? Double.NaN : server.seconds();
                for (int i = 0; i < n; i++) {
                    spent += k.once(true);
                }
                k.measuredNanos += spent;
                if (server != null) {
                    k.serverCpuS = (r == 0 ? 0 : k.serverCpuS) + server.seconds() - cpu0;
                }
            }
        }
        List<Kind> all = new ArrayList<>(kinds);
        if (cfg.concurrency() > 1) {
            Kind concurrent = new Kind("b" + cfg.concurrency(), "(b) by " + cfg.concurrency() + " clients at once",
                    kinds.get(1).call, kinds.get(1).check);
            System.out.printf(Locale.ROOT, "measuring: %d requests of (b) by %d clients, after %d of warm-up%n",
                    cfg.requests(), cfg.concurrency(), cfg.warmup());
            concurrently(concurrent, cfg.concurrency(), cfg.warmup(), false);
            double cpu0 = server == null ? Double.NaN : server.seconds();
            concurrent.measuredNanos = concurrently(concurrent, cfg.concurrency(), cfg.requests(), true);
            concurrent.serverCpuS = server == null ? Double.NaN : server.seconds() - cpu0;
            all.add(concurrent);
        }

        List<Figures> figures = figures(all);
        long invokes = setup.device.invokesAnswered();
        String deviceDown = setup.device.closeReason();
        List<String> failures = new ArrayList<>();
        for (Kind k : all) {
            k.reasons.forEach((why, n) -> failures.add("(" + k.key + ") " + n + " x " + why));
        }
        if (deviceDown != null) {
            failures.add("the device's session ended: " + deviceDown);
        }
        if (setup.device.invokesUnanswerable() > 0) {
            failures.add(setup.device.invokesUnanswerable() + " commands without messageId reached the device");
        }
        System.out.println();
        System.out.print(table(figures));
        Kind d = kinds.get(3);
        System.out.printf(Locale.ROOT, "(d) split: request sent -> command at the device p50 %.2f p99 %.2f ms; "
                + "-> answer received p50 %.2f p99 %.2f ms (%d of %d)%n", d.toDevice.percentileMs(50),
                d.toDevice.percentileMs(99), d.fromDevice.percentileMs(50), d.fromDevice.percentileMs(99), d.toDevice.count(),
                d.latency.count());
        System.out.printf(Locale.ROOT, "device: %d commands answered%n", invokes);
        System.out.println("result " + (failures.isEmpty() ? "OK" : "FAILED: " + String.join("; ", failures)));
        if (cfg.json()) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("commandsAnswered", invokes);
            extra.put("commandToDeviceP50Ms", d.toDevice.percentileMs(50));
            extra.put("commandToDeviceP99Ms", d.toDevice.percentileMs(99));
            extra.put("deviceToAnswerP50Ms", d.fromDevice.percentileMs(50));
            extra.put("deviceToAnswerP99Ms", d.fromDevice.percentileMs(99));
            System.out.println(json(cfg, figures, extra, failures));
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /** Runs {@code total} requests of a kind on {@code clients} threads at once; returns the wall time in nanoseconds. */
    static long concurrently(Kind kind, int clients, int total, boolean measured) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int n = share(total, clients, c);
                done.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < n; i++) {
                        kind.once(measured);
                    }
                    return null;
                }));
            }
            ready.await();
            long t0 = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            return System.nanoTime() - t0;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Part {@code i} of {@code total} split into {@code parts} as evenly as possible. */
    static int share(int total, int parts, int i) {
        return (int) ((long) total * (i + 1) / parts - (long) total * i / parts);
    }

    static String expect(ApiHttp.Answer a, String field, String value) {
        if (a.status() != 200) {
            return a.describe();
        }
        Map<String, Object> json = a.json();
        String v = json == null ? null : Json.string(json, field);
        return value.equals(v) ? null : "HTTP 200 without " + field + " " + value + ": " + a.describe();
    }

    static String hasKey(ApiHttp.Answer a, String key) {
        if (a.status() != 200) {
            return a.describe();
        }
        Map<String, Object> json = a.json();
        return json != null && json.containsKey(key) ? null : "HTTP 200 without " + key + ": " + a.describe();
    }

    /** Each kind's figures, the ratios to the first kind (the reference, (a)). */
    static List<Figures> figures(List<Kind> kinds) {
        List<Figures> out = new ArrayList<>();
        LatencyHistogram ref = kinds.get(0).latency;
        double refP50 = ref.percentileMs(50);
        double refP99 = ref.percentileMs(99);
        for (Kind k : kinds) {
            LatencyHistogram h = k.latency;
            double p50 = h.percentileMs(50);
            double p99 = h.percentileMs(99);
            double seconds = k.measuredNanos / 1e9;
            out.add(new Figures(k.key, k.name, h.count(), k.errors.get(), p50, h.percentileMs(90), p99, h.maxUs() / 1000.0,
                    h.meanUs() / 1000.0, seconds > 0 ? h.count() / seconds : 0, refP50 > 0 ? p50 / refP50 : Double.NaN,
                    refP99 > 0 ? p99 / refP99 : Double.NaN, h.count() > 0 ? k.serverCpuS * 1000 / h.count() : Double.NaN));
        }
        return out;
    }

    static String table(List<Figures> figures) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-44s %7s %6s %8s %8s %8s %8s %8s %7s %7s %8s%n", "kind", "n", "errors",
                "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s", "p50/a", "p99/a", "cpu ms"));
        for (Figures f : figures) {
            sb.append(String.format(Locale.ROOT, "%-44s %7d %6d %8.2f %8.2f %8.2f %8.2f %8.0f %7.2f %7.2f %8s%n",
                    "(" + f.key() + ") " + f.name(), f.count(), f.errors(), f.p50Ms(), f.p90Ms(), f.p99Ms(), f.maxMs(),
                    f.rate(), f.p50Ratio(), f.p99Ratio(), Double.isNaN(f.serverCpuMsPerRequest()) ? "-"
                            : String.format(Locale.ROOT, "%.2f", f.serverCpuMsPerRequest())));
        }
        return sb.toString();
    }

    /** The result as one JSON line; {@code extra} figures go between the kinds and the result. */
    static String json(Config cfg, List<Figures> figures, Map<String, Object> extra, List<String> failures) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", TOOL);
        root.put("requests", cfg.requests());
        root.put("warmup", cfg.warmup());
        root.put("rounds", cfg.rounds());
        root.put("concurrency", cfg.concurrency());
        List<Object> kinds = new ArrayList<>();
        for (Figures f : figures) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("key", f.key());
            k.put("name", f.name());
            k.put("count", f.count());
            k.put("errors", f.errors());
            k.put("p50Ms", f.p50Ms());
            k.put("p90Ms", f.p90Ms());
            k.put("p99Ms", f.p99Ms());
            k.put("maxMs", f.maxMs());
            k.put("meanMs", f.meanMs());
            k.put("rate", f.rate());
            k.put("p50Ratio", f.p50Ratio());
            k.put("p99Ratio", f.p99Ratio());
            k.put("serverCpuMsPerRequest", f.serverCpuMsPerRequest());
            kinds.add(k);
        }
        root.put("kinds", kinds);
        root.putAll(extra);
        root.put("result", failures.isEmpty() ? "OK" : "FAILED");
        root.put("failures", new ArrayList<Object>(failures));
        return Json.write(root);
    }

    private static void checkTarget(Config cfg) throws UsageException {
        InetAddress ip;
        try {
            ip = InetAddress.getByName(cfg.host());
        } catch (UnknownHostException e) {
            throw new UsageException("cannot resolve --host " + cfg.host());
        }
        if (!ip.isLoopbackAddress() && !cfg.allowNonLoopback()) {
            throw new UsageException("--host " + cfg.host() + " (" + ip.getHostAddress()
                    + ") is not a loopback address; pass --allow-non-loopback to target it anyway");
        }
    }
}
