package io.thingport.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Thingport load generator: simulates N devices speaking the official protocol over MQTT (one MQTT 3.1.1
 * connection each, QoS 1 reports, PUBACK latency), TCP (one connection each, newline frames, reports counted when
 * written) or CoAP (one UDP socket each, confirmable POSTs, 2.04 latency), all on a few Netty event-loop threads;
 * logs them in with the platform's HMAC scheme and sends property reports at a fixed total rate.
 */
public final class MqttLoad {
    private MqttLoad() {
    }

    public static void main(String[] args) {
        // Californium (CoAP) logs through slf4j-simple: warnings and errors only (it logs every endpoint start at info)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int rc;
        try {
            rc = run(args);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(LoadConfig.USAGE);
            rc = 2;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            rc = 1;
        }
        System.out.flush();
        System.exit(rc);
    }

    static int run(String[] args) throws Exception {
        LoadConfig cfg = LoadConfig.parse(args);
        if (cfg.help) {
            System.out.println(LoadConfig.USAGE);
            return 0;
        }
        PayloadSpec payload = PayloadSpec.parse(cfg.payloadProps);
        checkTarget(cfg);
        List<Device> devices = DeviceCsv.read(cfg.devicesFile);
        if (devices.size() > cfg.limit) {
            devices = devices.subList(0, cfg.limit);
        }
        if (devices.isEmpty()) {
            throw new UsageException("no devices in " + cfg.devicesFile);
        }
        return new LoadRun(cfg, payload, devices).execute();
    }

    private static void checkTarget(LoadConfig cfg) throws UsageException {
        InetAddress ip;
        try {
            ip = InetAddress.getByName(cfg.host);
        } catch (UnknownHostException e) {
            throw new UsageException("cannot resolve --host " + cfg.host);
        }
        if (!ip.isLoopbackAddress() && !cfg.allowNonLoopback) {
            throw new UsageException("--host " + cfg.host + " (" + ip.getHostAddress()
                    + ") is not a loopback address; pass --allow-non-loopback to target it anyway");
        }
    }
}
