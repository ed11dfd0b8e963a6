package io.thingport.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads/writes the devices file: lines {@code deviceId,secret}, optional header {@code deviceId,secret}. */
final class DeviceCsv {
    static final String HEADER = "deviceId,secret";

    private DeviceCsv() {
    }

    static List<Device> read(Path file) throws IOException, UsageException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("devices file not found: " + file);
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    static List<Device> parse(List<String> lines, String source) throws UsageException {
        List<Device> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean first = true;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (first) {
                first = false;
                if (line.replace(" ", "").equalsIgnoreCase(HEADER)) {
                    continue;
                }
            }
            int comma = line.indexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw new UsageException(source + ":" + (n + 1) + ": expected 'deviceId,secret', got: " + line);
            }
            String id = line.substring(0, comma).strip();
            String secret = line.substring(comma + 1).strip();
            if (id.isEmpty() || secret.isEmpty()) {
                throw new UsageException(source + ":" + (n + 1) + ": empty deviceId or secret");
            }
            if (!seen.add(id)) {
                throw new UsageException(source + ":" + (n + 1) + ": duplicate deviceId " + id
                        + " (two connections with one clientId would kick each other off)");
            }
            out.add(new Device(id, secret));
        }
        return out;
    }

    static void write(Path file, List<Device> devices) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (Device d : devices) {
                w.write(d.id());
                w.write(',');
                w.write(d.secret());
                w.newLine();
            }
        }
    }
}
