package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.network.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The assembled distribution as an operator runs it: unpacked into {@code target/distribution-it-<name>}, its ports moved
 * to free loopback ones, started with {@code bin/karaf server} and driven through {@code bin/client} batch mode. The tests
 * that need the platform as a process (a SIGKILL, real peers on the machine) use it.
 */
final class Distribution {
    static final Duration BOOT = Duration.ofSeconds(120);

    final Path home;
    final int mqttPort;
    final int sshPort;
    /** Karaf's web server: the Open API is at {@code http://127.0.0.1:<httpPort>/api/v1}. */
    final int httpPort;
    /** Free ports the test may use for its own components. */
    final int[] spare;
    Process karaf;

    private Distribution(Path home, int[] ports) {
        this.home = home;
        this.mqttPort = ports[0];
        this.sshPort = ports[1];
        this.httpPort = ports[2];
        this.spare = Arrays.copyOfRange(ports, 4, ports.length);
    }

    /** Unpacks a fresh distribution and moves its ports; {@code database} keys replace those of the DataSource configuration. */
    static Distribution unpack(String name, Map<String, String> database, int sparePorts) throws Exception {
        File archive = new File(System.getProperty("thingport.assembly"));
        Path work = Files.createDirectories(Path.of("target", "distribution-it-" + name));
        run(work, Duration.ofMinutes(2), "rm", "-rf", "thingport");
        Files.createDirectories(work.resolve("thingport"));
        run(work, Duration.ofMinutes(2), "tar", "xzf", archive.getAbsolutePath(), "-C", "thingport", "--strip-components=1");
        Distribution d = new Distribution(work.resolve("thingport").toAbsolutePath(), FreePorts.take(4 + sparePorts));
        int[] ports = FreePorts.take(2);
        d.setKey("etc/io.thingport.network-mqtt.cfg", "port", Integer.toString(d.mqttPort));
        d.setKey("etc/io.thingport.network-mqtt.cfg", "host", "127.0.0.1");
        d.setKey("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(d.sshPort));
        d.setKey("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(d.httpPort));
        d.setKey("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1");
        d.setKey("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(ports[0]));
        d.setKey("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(ports[1]));
        d.setKey("etc/org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1");
        d.setKey("etc/org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1");
        // Offline: everything the features need is in system/.
        d.setKey("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", "");
        d.replaceKeys("etc/org.ops4j.datasource-thingport.cfg", database);
        return d;
    }

    /** Starts the platform and waits until its MQTT server runs. */
    void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bin/karaf", "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        karaf = pb.start();
        await().atMost(BOOT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                shell("iot:network-list --no-format").contains("mqtt\tmqtt-server\trunning\t"));
    }

    void stop() throws Exception {
        if (karaf != null && karaf.isAlive()) {
            run(home, Duration.ofMinutes(1), "bin/stop");
            if (!karaf.waitFor(30, TimeUnit.SECONDS)) {
                karaf.descendants().forEach(ProcessHandle::destroyForcibly);
                karaf.destroyForcibly();
            }
        }
    }

    /** Runs one command through bin/client batch mode, as a script would, and returns its output; an error fails the test. */
    /** The password of the shell user {@code karaf}, which the first start generated into etc/users.properties. */
    String password() throws IOException {
        for (String line : Files.readAllLines(home.resolve("etc/users.properties"), StandardCharsets.UTF_8)) {
            if (line.startsWith("karaf")) {
                return line.substring(line.indexOf('=') + 1).split(",")[0].trim();
            }
        }
        throw new IllegalStateException("etc/users.properties has no user karaf");
    }

    String shell(String command) throws Exception {
        String out = shellAllowingErrors(command);
        if (out.contains("Error executing command")) {
            throw new AssertionError(command + " failed: " + out);
        }
        return out;
    }

    /** As {@link #shell}, returning the output of a command that fails too (to check its message). */
    String shellAllowingErrors(String command) throws Exception {
        // No -u/-p: the client reads the password the first start generated into etc/users.properties.
        ProcessBuilder pb = new ProcessBuilder("bin/client", "-a", Integer.toString(sshPort), "-h", "127.0.0.1", "-r", "3", "-b")
                .directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = pb.start();
        try (OutputStream in = client.getOutputStream()) {
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("bin/client did not finish: " + command);
        }
        return out;
    }

    /** Replaces (or adds) {@code key = value} in a configuration file of the distribution. */
    void setKey(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : new ArrayList<>();
        Pattern p = Pattern.compile("^\\s*#?\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).matches()) {
                lines.set(i, key + " = " + value);
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(path, lines, StandardCharsets.UTF_8);
    }

    /** Replaces the lines that set these keys (not the comments that mention them), as the file's comment says to. */
    void replaceKeys(String file, Map<String, String> values) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
        Set<String> missing = new HashSet<>(values.keySet());
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = Pattern.compile("^\\s*([\\w.]+)\\s*=.*$").matcher(lines.get(i));
            if (m.matches() && values.containsKey(m.group(1))) {
                lines.set(i, m.group(1) + " = " + values.get(m.group(1)));
                missing.remove(m.group(1));
            }
        }
        assertThat(missing).as("keys set in " + file).isEmpty();
        Files.write(path, lines, StandardCharsets.UTF_8);
    }

    static void run(Path dir, Duration timeout, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }
}
