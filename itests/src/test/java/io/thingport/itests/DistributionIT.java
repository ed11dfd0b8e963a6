package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The distribution as an operator runs it: unpacked, started with {@code bin/karaf server}, driven through
 * {@code bin/client}, and killed with SIGKILL in the middle of its work. What a device got a PUBACK for must be there
 * after the restart. (The pax-exam tests cannot do this: their container lives as long as the test class.)
 */
public class DistributionIT {
    private static final Duration BOOT = Distribution.BOOT;
    static Distribution dist;
    static Path home;
    private static int mqttPort;
    private static int sshPort;
    private static int compactPort;

    @BeforeClass
    public static void unpack() throws Exception {
        unpack("h2", Map.of());
    }

    /**
     * Unpacks the distribution into {@code target/distribution-it-<name>}, moves its ports to free ones, sets the keys
     * {@code database} gives in its DataSource configuration (none: the default, H2) and starts it.
     */
    static void unpack(String name, Map<String, String> database) throws Exception {
        compactSecret = null;
        dist = Distribution.unpack(name, database, 1);
        home = dist.home;
        mqttPort = dist.mqttPort;
        sshPort = dist.sshPort;
        compactPort = dist.spare[0];
        // A protocol jar waiting in deploy/ at the very first start, before the platform can take it.
        Files.copy(Path.of(System.getProperty("thingport.example.jar")), home.resolve("deploy/compact.jar"));
        dist.start();
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.stop();
    }

    private static void start() throws Exception {
        dist.start();
    }

    static String shell(String command) throws Exception {
        return dist.shell(command);
    }

    private static void run(Path dir, Duration timeout, String... command) throws Exception {
        Distribution.run(dir, timeout, command);
    }

    @Test
    public void acknowledgedReportsSurviveAKilledPlatform() throws Exception {
        // Verifies durability across a crash: every PUBACKed report is found after SIGKILL and a restart.
        shell("iot:product-create --model examples/thing-models/thermostat.json thermo");
        String created = shell("iot:device-create thermo crash-1");
        Matcher m = Pattern.compile("device secret: (\\S+)").matcher(created);
        assertThat(m.find()).as(created).isTrue();
        String secret = m.group(1);

        // A protocol package installed at run time is there again after the crash (from the framework cache).
        int compactPort = installCompactProtocol();

        int acknowledged = 200;
        long pid = Long.parseLong(Files.readString(home.resolve("karaf.pid")).trim());
        String login = "crash-1|" + System.currentTimeMillis();
        try (DeviceClient device = DeviceClient.connectRaw(mqttPort, "thermo", "crash-1", login, DeviceClient.hmac(secret, login))) {
            assertThat(shell("iot:device-info crash-1")).contains("State:        online");
            for (int i = 1; i <= acknowledged; i++) {
                device.publish("properties/report", "{\"messageId\":\"c" + i + "\",\"properties\":{\"humidity\":" + (i % 100) + "}}");
            }
            // Killed right after the last PUBACK: nothing may depend on a later background flush.
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
        dist.karaf.waitFor(30, TimeUnit.SECONDS);
        assertThat(isListening(mqttPort)).as("the platform is down").isFalse();

        start();
        // The login accepted before the crash is not accepted again: the replay guard is on disk, not in memory.
        assertThatThrownBy(() -> DeviceClient.connectRaw(mqttPort, "thermo", "crash-1", login, DeviceClient.hmac(secret, login)))
                .isInstanceOf(MqttException.class).extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        String history = shell("iot:device-props --history humidity --limit 1000 --no-format crash-1");
        assertThat(history.lines().filter(l -> l.startsWith("humidity\t")).count()).isEqualTo(acknowledged);
        assertThat(shell("iot:device-props --no-format crash-1")).contains("humidity\t0\t");
        assertThat(shell("iot:device-info crash-1")).as("a crash leaves no device marked online").contains("State:        offline");

        try (DeviceClient device = DeviceClient.connect(mqttPort, "thermo", "crash-1", secret)) {
            device.publish("properties/report", "{\"messageId\":\"after\",\"properties\":{\"humidity\":42}}");
        }
        assertThat(shell("iot:device-props --no-format crash-1")).contains("humidity\t42\t");
        assertCompactDeviceReports(compactPort, "after-crash", 7.0);
    }

    @Test
    public void theFirstStartGeneratesTheShellPasswordAndTheShellListensOnLoopbackOnly() throws Exception {
        // Verifies that no well-known password ships: the first start put a random one into etc/users.properties,
        // readable by the platform's user only, karaf/karaf is refused, and SSH is bound to the loopback interface.
        Path users = home.resolve("etc/users.properties");
        assertThat(Files.readString(users)).doesNotContain("@GENERATED_AT_FIRST_START@")
                .containsPattern("(?m)^karaf = [0-9a-f]{36},_g_:admingroup$");
        assertThat(Files.getPosixFilePermissions(users)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(home.resolve("etc/org.apache.karaf.shell.cfg"))).containsPattern("(?m)^sshHost = 127.0.0.1$");
        ProcessBuilder pb = new ProcessBuilder("bin/client", "-a", Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p",
                "karaf", "-r", "1", "-b").directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = pb.start();
        client.getOutputStream().close();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as("karaf/karaf is refused: " + out).isNotZero();
        assertThat(shell("iot:network-list --no-format")).contains("mqtt\tmqtt-server\trunning");
    }

    @Test
    public void protocolPackagesComeBackFromTheDatabaseWithAnEmptyFrameworkCache() throws Exception {
        // Verifies that an installed package survives a restart that wipes data/cache (the bundles Karaf installed):
        // the platform installs it again from its database.
        int port = installCompactProtocol();
        run(home, Duration.ofMinutes(1), "bin/stop");
        assertThat(dist.karaf.waitFor(60, TimeUnit.SECONDS)).as("karaf stopped").isTrue();
        run(home, Duration.ofMinutes(1), "rm", "-rf", "data/cache");
        start();
        await().atMost(BOOT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(shell("iot:protocol-list --no-format"))
                        .contains("compact\tCompact binary TCP protocol\tjar\t1.0.0\tTCP\trunning"));
        assertThat(shell("iot:protocol-info compact")).as("a restart is not an update").contains("Revision:          1");
        assertCompactDeviceReports(port, "after-clean-start", 8.0);
    }

    @Test
    public void aJarInDeployAtTheFirstStartBecomesAProtocolPackage() throws Exception {
        // Verifies that a protocol jar already in deploy/ when the distribution first starts (File Install sees it
        // before the platform is up) ends up as a managed package, and that restarts do not install it again.
        String info = shell("iot:protocol-info compact");
        assertThat(info).contains("Type:              jar").contains("Source:            " + home.resolve("deploy/compact.jar"))
                .contains("State:             running");
        assertThat(shell("bundle:list -t 0 -s --no-format")).as("only the platform's copy of the jar is installed")
                .containsOnlyOnce("io.thingport.examples.protocol.compact");
    }

    @Test
    public void longOutputThroughBinClientArrivesWholeOnEveryCall() throws Exception {
        // Verifies that 20,000 rows read through bin/client arrive complete on each of several calls. The SSH server
        // used to close the connection right after the command, while the client was still reading the tail: the
        // connection was reset and a different part of the output was lost on about half of the calls.
        shell("iot:product-create --model examples/thing-models/thermostat.json bulk");
        shell("iot:device-create --secret s3cr3t-bulk-1 bulk bulk-1");
        int reports = 10_000;
        List<String> payloads = new ArrayList<>();
        for (int i = 1; i <= reports; i++) {
            payloads.add("{\"messageId\":\"m" + i + "\",\"properties\":{\"label\":\"r" + i + "\"}}");
        }
        try (DeviceClient device = DeviceClient.connect(mqttPort, "bulk", "bulk-1", "s3cr3t-bulk-1")) {
            device.publishAll("properties/report", payloads);
        }
        // The device log holds online, the reports and offline: the newest 10,000 are the reports m2.. and offline.
        Set<String> logIds = new HashSet<>();
        Set<String> labels = new HashSet<>();
        for (int i = 1; i <= reports; i++) {
            labels.add("\"r" + i + "\"");
            if (i > 1) {
                logIds.add("m" + i);
            }
        }
        logIds.add("offline");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(shell("iot:device-log --limit 1 --no-format bulk-1")).contains("\toffline\t"));

        for (int call = 1; call <= 5; call++) {
            String out = shell("iot:device-log --limit 10000 --no-format bulk-1\n"
                    + "iot:device-props --history label --limit 10000 --no-format bulk-1");
            List<String> lines = out.lines().toList();
            List<String> log = lines.stream().filter(l -> l.contains("\tbulk-1\t")).toList();
            List<String> history = lines.stream().filter(l -> l.startsWith("label\t")).toList();
            String tail = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
            assertThat(lines.size()).as("call %d: lines, the last one: %s", call, tail).isEqualTo(2 * reports);
            // A log row: time, device, type, message type, message id, topic, detail; offline has no message id.
            assertThat(log.stream().map(l -> l.contains("\toffline\t") ? "offline" : l.split("\t")[4]).collect(Collectors.toSet()))
                    .as("call %d", call).hasSize(reports).isEqualTo(logIds);
            assertThat(history.stream().map(l -> l.split("\t")[1]).collect(Collectors.toSet())).as("call %d", call).hasSize(reports)
                    .isEqualTo(labels);
        }
    }

    private static String compactSecret;

    /** The example package (from deploy/) with a TCP component and a gateway for it (once); returns the TCP port. */
    private static synchronized int installCompactProtocol() throws Exception {
        await().atMost(BOOT).untilAsserted(() -> assertThat(shell("iot:protocol-list --no-format")).contains("compact\t"));
        if (compactSecret == null) {
            Path model = Path.of("..", "examples", "protocol-compact", "compact-sensor.json").toAbsolutePath().normalize();
            shell("iot:network-create compact-tcp tcp-server host=127.0.0.1 port=" + compactPort + " framing=length");
            shell("iot:gateway-create compact-gw custom compact-tcp compact");
            shell("iot:product-create --model " + model + " sensor");
            Matcher m = Pattern.compile("device secret: (\\S+)").matcher(shell("iot:device-create sensor compact-1"));
            assertThat(m.find()).isTrue();
            compactSecret = m.group(1);
        }
        return compactPort;
    }

    private static void assertCompactDeviceReports(int port, String why, double temp) throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            try (CompactDevice device = CompactDevice.connect(port, "compact-1", compactSecret)) {
                assertThat(device.loginStatus).as(why).isEqualTo(0);
                device.report(1, temp);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(shell("iot:device-props --no-format compact-1")).contains("temp\t" + temp));
            }
        });
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
