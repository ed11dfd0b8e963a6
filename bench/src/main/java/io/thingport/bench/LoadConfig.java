package io.thingport.bench;

import java.nio.file.Path;
import java.util.Set;

/** Options of {@link MqttLoad}. */
final class LoadConfig {
    static final String USAGE = String.join("\n",
            "usage: java -jar thingport-bench.jar --devices FILE --product ID [options]",
            "",
            "  --host H              broker host (default 127.0.0.1; loopback only unless --allow-non-loopback)",
            "  --port P              broker port (default 1883)",
            "  --devices FILE        CSV 'deviceId,secret' (optional header line 'deviceId,secret')",
            "  --product ID          product id; reports go to /{product}/{deviceId}/properties/report",
            "  --limit N             use only the first N devices of the file (default: all)",
            "  --rate R              total reports/s over all devices, round-robin (default 0 = idle, keep-alive only)",
            "  --duration S          measured seconds (default 60)",
            "  --warmup S            seconds of traffic before measuring, excluded from the summary (default 10)",
            "  --connect-rate C      new connections per second during ramp-up (default 500)",
            "  --keepalive S         MQTT keep-alive seconds (default 60; 0 = off)",
            "  --max-inflight K      unacknowledged PUBLISHes per connection before throttling (default 16)",
            "  --threads T           Netty event-loop threads (default 2)",
            "  --payload-props SPEC  report properties (default " + PayloadSpec.DEFAULT + ")",
            "                        items name:int:MIN:MAX | name:double:MIN:MAX | name:bool | name:string:VALUE",
            "  --connack-timeout S   seconds to wait for TCP connect and for CONNACK (default 10)",
            "  --drain S             seconds to wait for outstanding PUBACKs after the window (default 10)",
            "  --report-interval S   progress line period (default 5)",
            "  --json                also print the final result as one JSON line",
            "  --allow-non-loopback  permit a --host that is not a loopback address",
            "",
            "exit code: 0 = all devices connected (and still connected at the end) and no report lost;",
            "           1 = otherwise; 2 = bad arguments");

    private static final Set<String> VALUE_OPTIONS = Set.of("host", "port", "devices", "product", "limit", "rate",
            "duration", "warmup", "connect-rate", "keepalive", "max-inflight", "threads", "payload-props",
            "connack-timeout", "drain", "report-interval");
    private static final Set<String> FLAG_OPTIONS = Set.of("json", "allow-non-loopback", "help");

    boolean help;
    String host;
    int port;
    Path devicesFile;
    String product;
    int limit;
    double rate;
    double durationS;
    double warmupS;
    double connectRate;
    int keepaliveS;
    int maxInflight;
    int threads;
    String payloadProps;
    double connackTimeoutS;
    double drainS;
    double reportIntervalS;
    boolean json;
    boolean allowNonLoopback;

    static LoadConfig parse(String[] argv) throws UsageException {
        Args a = Args.parse(argv, VALUE_OPTIONS, FLAG_OPTIONS);
        LoadConfig c = new LoadConfig();
        c.help = a.flag("help");
        if (c.help) {
            return c;
        }
        c.host = a.str("host", "127.0.0.1");
        c.port = a.integer("port", 1883, 1, 65535);
        c.devicesFile = Path.of(a.required("devices"));
        c.product = a.required("product");
        c.limit = a.integer("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        c.rate = a.number("rate", 0, 0, 10_000_000);
        c.durationS = a.number("duration", 60, 0, 7 * 24 * 3600);
        c.warmupS = a.number("warmup", 10, 0, 24 * 3600);
        c.connectRate = a.number("connect-rate", 500, 0.01, 1_000_000);
        c.keepaliveS = a.integer("keepalive", 60, 0, 65535);
        c.maxInflight = a.integer("max-inflight", 16, 1, 65535);
        c.threads = a.integer("threads", 2, 1, 256);
        c.payloadProps = a.str("payload-props", PayloadSpec.DEFAULT);
        c.connackTimeoutS = a.number("connack-timeout", 10, 0.1, 3600);
        c.drainS = a.number("drain", 10, 0, 3600);
        c.reportIntervalS = a.number("report-interval", 5, 0.1, 3600);
        c.json = a.flag("json");
        c.allowNonLoopback = a.flag("allow-non-loopback");
        if (c.product.contains("/") || c.product.contains("+") || c.product.contains("#")) {
            throw new UsageException("--product must not contain '/', '+' or '#'");
        }
        return c;
    }
}
