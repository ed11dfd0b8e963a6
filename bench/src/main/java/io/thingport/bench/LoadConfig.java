package io.thingport.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Options of {@link MqttLoad}. */
final class LoadConfig {
    /** How the simulated devices reach the platform (all speak the official protocol). */
    enum Transport {
        /** One MQTT 3.1.1 connection per device, QoS 1 reports, PUBACK latency. */
        MQTT(1883),
        /** One TCP connection per device (tcp-server, newline framing), reports counted when written. */
        TCP(-1),
        /** One UDP socket per device (coap-server), confirmable POSTs, 2.04 latency. */
        COAP(5683);

        /** Default --port, -1 = none (required). */
        final int defaultPort;

        Transport(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Transport parse(String s) throws UsageException {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "mqtt":
                    return MQTT;
                case "tcp":
                    return TCP;
                case "coap":
                    return COAP;
                default:
                    throw new UsageException("--transport must be mqtt, tcp or coap, got: " + s);
            }
        }
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar thingport-bench.jar --devices FILE --product ID [--transport mqtt|tcp|coap] [options]",
            "",
            "  --transport T         mqtt (default), tcp (a tcp-server component, newline framing) or coap (a coap-server",
            "                        component); every device speaks the official protocol",
            "  --host H              platform host (default 127.0.0.1; loopback only unless --allow-non-loopback)",
            "  --port P              port (default 1883 for mqtt, 5683 for coap; required for tcp)",
            "  --devices FILE        CSV 'deviceId,secret' (optional header line 'deviceId,secret')",
            "  --product ID          product id; reports go to /{product}/{deviceId}/properties/report",
            "  --limit N             use only the first N devices of the file (default: all)",
            "  --rate R              total reports/s over all devices, round-robin (default 0 = idle, keep-alive only)",
            "  --duration S          measured seconds (default 60)",
            "  --warmup S            seconds of traffic before measuring, excluded from the summary (default 10)",
            "  --connect-rate C      new connections per second during ramp-up (default 500)",
            "  --keepalive S         keep-alive seconds (default 60; 0 = off): mqtt PINGREQ, tcp empty frame, coap GET",
            "                        poll, each after 3/4 of S without other traffic",
            "  --max-inflight K      per device: unacknowledged PUBLISHes (mqtt), writes not yet taken by the kernel",
            "                        (tcp), requests without response (coap); above it a report is throttled (default 16)",
            "  --threads T           Netty event-loop threads (default 2)",
            "  --payload-props SPEC  report properties (default " + PayloadSpec.DEFAULT + ")",
            "                        items name:int:MIN:MAX | name:double:MIN:MAX | name:bool | name:string:VALUE | name:seq",
            "  --connack-timeout S   seconds to wait for the connect and, separately, for the login answer (CONNACK,",
            "                        /auth/reply, CoAP login response) (default 10)",
            "  --drain S             seconds to wait after the window for outstanding PUBACKs / CoAP responses /",
            "                        TCP writes (default 10)",
            "  --samples N           print the last confirmed report of N devices spread over the file (default 5)",
            "  --report-interval S   progress line period (default 5)",
            "  --json                also print the final result as one JSON line",
            "  --allow-non-loopback  permit a --host that is not a loopback address",
            "",
            "exit code: 0 = all devices connected (and still connected at the end), no report lost or refused and",
            "           no /error received (tcp frame, coap downlink);",
            "           1 = otherwise; 2 = bad arguments");

    private static final Set<String> VALUE_OPTIONS = Set.of("host", "port", "devices", "product", "limit", "rate",
            "duration", "warmup", "connect-rate", "keepalive", "max-inflight", "threads", "payload-props",
            "connack-timeout", "drain", "report-interval", "transport", "samples");
    private static final Set<String> FLAG_OPTIONS = Set.of("json", "allow-non-loopback", "help");

    boolean help;
    Transport transport;
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
    int samples;
    boolean json;
    boolean allowNonLoopback;

    static LoadConfig parse(String[] argv) throws UsageException {
        Args a = Args.parse(argv, VALUE_OPTIONS, FLAG_OPTIONS);
        LoadConfig c = new LoadConfig();
        c.help = a.flag("help");
        if (c.help) {
            return c;
        }
        c.transport = Transport.parse(a.str("transport", "mqtt"));
        c.host = a.str("host", "127.0.0.1");
        if (c.transport.defaultPort < 0 && !a.has("port")) {
            throw new UsageException("--port is required with --transport " + c.transport.label()
                    + " (the port of the platform's " + c.transport.label() + "-server component)");
        }
        c.port = a.integer("port", c.transport.defaultPort, 1, 65535);
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
        c.samples = a.integer("samples", 5, 0, 1000);
        c.json = a.flag("json");
        c.allowNonLoopback = a.flag("allow-non-loopback");
        if (c.product.contains("/") || c.product.contains("+") || c.product.contains("#")) {
            throw new UsageException("--product must not contain '/', '+' or '#'");
        }
        return c;
    }
}
