package io.thingport.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes a devices CSV for {@link MqttLoad} (random 32-hex-char secrets) and, optionally, a Karaf
 * shell script that registers the same devices on the platform, one command per line.
 */
public final class MakeDevices {
    static final String DEFAULT_TEMPLATE = "iot:device-create --secret {secret} {productId} {deviceId}";

    static final String USAGE = String.join("\n",
            "usage: java -cp thingport-bench.jar io.thingport.bench.MakeDevices --count N --out FILE [options]",
            "",
            "  --count N          number of devices",
            "  --prefix P         deviceId prefix (default bench-); ids are P + zero-padded number",
            "  --start S          first number (default 1)",
            "  --out FILE         devices CSV to write ('deviceId,secret' with a header line)",
            "  --script FILE      also write a Karaf shell script, one line per device",
            "  --product ID       product id for {productId} in the template (required with --script",
            "                     when the template uses {productId})",
            "  --template T       script line template (default '" + DEFAULT_TEMPLATE + "')",
            "                     placeholders: {deviceId} {secret} {productId} {index}");

    private MakeDevices() {
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
            System.err.println("error: " + e);
            rc = 1;
        }
        System.exit(rc);
    }

    static int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("count", "prefix", "start", "out", "script", "product", "template"),
                Set.of("help"));
        if (a.flag("help")) {
            System.out.println(USAGE);
            return 0;
        }
        int count = a.integer("count", -1, 1, 10_000_000);
        if (count < 0) {
            throw new UsageException("--count is required");
        }
        String prefix = a.str("prefix", "bench-");
        int start = a.integer("start", 1, 0, Integer.MAX_VALUE - count);
        Path out = Path.of(a.required("out"));
        String template = a.str("template", DEFAULT_TEMPLATE);
        Path script = a.has("script") ? Path.of(a.required("script")) : null;
        String product = a.str("product", null);
        if (script != null && template.contains("{productId}") && (product == null || product.isBlank())) {
            throw new UsageException("--product is required with --script (the template uses {productId})");
        }

        List<Device> devices = generate(count, prefix, start, new SecureRandom());
        DeviceCsv.write(out, devices);
        System.out.println("wrote " + count + " devices to " + out);
        if (script != null) {
            try (BufferedWriter w = Files.newBufferedWriter(script, StandardCharsets.UTF_8)) {
                int index = start;
                for (Device d : devices) {
                    w.write(render(template, d, product, index++));
                    w.newLine();
                }
            }
            System.out.println("wrote " + count + " '" + template + "' lines to " + script);
        }
        return 0;
    }

    static List<Device> generate(int count, String prefix, int start, SecureRandom random) {
        int width = Integer.toString(start + count - 1).length();
        List<Device> devices = new ArrayList<>(count);
        byte[] secret = new byte[16];
        for (int i = 0; i < count; i++) {
            random.nextBytes(secret);
            String num = Integer.toString(start + i);
            String id = prefix + "0".repeat(width - num.length()) + num;
            devices.add(new Device(id, Auth.hex(secret)));
        }
        return devices;
    }

    static String render(String template, Device d, String product, int index) {
        return template.replace("{deviceId}", d.id())
                .replace("{secret}", d.secret())
                .replace("{productId}", product == null ? "" : product)
                .replace("{index}", Integer.toString(index));
    }
}
