package io.thingport.testsupport;

import io.thingport.network.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A throw-away Apache Kafka broker for tests: one KRaft node that is broker and controller at once, started from the
 * Maven artifacts of {@code org.apache.kafka:kafka_2.13} ({@code kafka.version} of the root POM) in a JVM of its own
 * ({@code <java.home>/bin/java -Xmx256m ... kafka.Kafka server.properties}, after {@code kafka.tools.StorageTool format}),
 * listening on {@code 127.0.0.1} only, on free ports, with its logs and data in a new temporary folder. Topics are created
 * automatically on first use (or by {@link #createTopic}); every internal topic has replication factor 1.
 *
 * <p>{@link #stop()} takes the broker down and keeps its data (the platform's "Kafka is down" case); {@link #restart()}
 * brings it back on the same port with the same data. {@link #close()} stops it and deletes the folder; a shutdown hook
 * does the same when the JVM exits first. A broker left running by a JVM that was killed is stopped and its folder deleted
 * by the next {@link #start()} (each folder records the JVM that owns it and the broker's process).
 *
 * <p><b>Classpaths.</b> The broker's classpath never reaches the classpath of a module that uses test-support:
 * test-support declares {@code kafka_2.13} with scope {@code provided} (not passed on), and its build writes the resolved
 * runtime classpath of that dependency (absolute paths of jars in the build's local Maven repository) into the resource
 * {@code io/thingport/testsupport/kafka-broker.classpath}, which this class reads. The system property
 * {@value #CLASSPATH_PROPERTY}, when set, replaces that resource (a classpath in the platform's format). The test JVM
 * talks to the broker ({@link #start()} waits for an answer, {@link #createTopic}, {@link #consume}) with
 * {@code org.apache.kafka:kafka-clients}, which a module that uses this class declares itself, with scope {@code test}:
 * <pre>{@code
 * <dependency>
 *   <groupId>org.apache.kafka</groupId>
 *   <artifactId>kafka-clients</artifactId>
 *   <version>${kafka-clients.version}</version>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * Nothing else: no plugin, no system property.
 */
public final class KafkaBroker implements AutoCloseable {
    /** A system property that, when set, is the broker JVM's classpath instead of the one test-support was built with. */
    public static final String CLASSPATH_PROPERTY = "thingport.kafka.classpath";
    static final String PREFIX = "thingport-kafka-";
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final String OWNER_FILE = "owner.pid";
    private static final String BROKER_PID_FILE = "broker.pid";
    private static final String LOG_FILE = "kafka.log";
    private static final String CONFIG_FILE = "server.properties";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 60;

    /**
     * One record read by {@link #consume}.
     *
     * @param key       its key, as UTF-8 text (null when it has none)
     * @param value     its value, as UTF-8 text (null for a tombstone)
     * @param partition the partition it is in
     * @param offset    its offset in that partition
     */
    public record Record(String key, String value, int partition, long offset) {}

    private final Path dir;
    private final String classpath;
    private final Thread shutdownHook;
    private int port;
    private int controllerPort;
    private Process process;
    private boolean closed;

    private KafkaBroker(Path dir, String classpath) {
        this.dir = dir;
        this.classpath = classpath;
        this.shutdownHook = new Thread(this::stopAndDelete, "thingport-kafka-stop");
    }

    /**
     * Starts a new broker (formats its storage, starts its JVM) and returns once a client has talked to it; on this kind
     * of machine that takes 10 to 20 s.
     *
     * @throws IllegalStateException when the broker is not ready within 90 s or its JVM ends, with the end of its log
     */
    public static KafkaBroker start() throws IOException {
        requireClients();
        String classpath = classpath(System.getProperty(CLASSPATH_PROPERTY), KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeOrphans(tmp);
        Path dir = Files.createTempDirectory(tmp, PREFIX);
        Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        KafkaBroker broker = new KafkaBroker(dir, classpath);
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.format();
            for (int attempt = 1; ; attempt++) {
                int[] ports = FreePorts.take(2);
                broker.port = ports[0];
                broker.controllerPort = ports[1];
                broker.writeConfig();
                try {
                    broker.launch();
                    return broker;
                } catch (IllegalStateException e) {
                    // Another process may have taken a free port between the check and the start: try other ones.
                    if (attempt == START_ATTEMPTS || !broker.log().contains("Address already in use")) {
                        throw e;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The address a client connects to: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The folder holding the broker: {@code server.properties}, {@code kafka.log} (its output) and {@code data/}. */
    public Path directory() {
        return dir;
    }

    /** Whether the broker's JVM runs (it may still be starting). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Takes the broker down (a clean shutdown, forced after 30 s) and keeps its data; nothing listens on its port
     * afterwards. Does nothing when it is down already.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        stopProcess(p.toHandle());
        try {
            Files.deleteIfExists(dir.resolve(BROKER_PID_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker again on the same port with the same data (stopping it first if it runs) and waits until ready. */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IllegalStateException("the Kafka test broker in " + dir + " is closed");
        }
        stop();
        launch();
    }

    /**
     * Creates a topic with the given number of partitions (replication factor 1) and waits for the broker's answer.
     *
     * @throws IllegalStateException when the broker refuses (the topic exists, ...) or does not answer within 30 s
     */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Kafka test broker " + bootstrapServers() + " did not create " + topic + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Kafka test broker " + bootstrapServers() + " did not create " + topic
                    + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Reads a topic from the beginning of every partition (no consumer group, nothing committed) until it has read
     * {@code atLeast} records or {@code timeout} has passed: fewer than {@code atLeast} only when the timeout passed (none
     * when the topic does not exist; reading never creates it). Keys and values are read as UTF-8 text. The records of a
     * partition come in their order.
     */
    public List<Record> consume(String topic, int atLeast, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Properties props = clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Record> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
                partitions = partitions(consumer, topic, deadline);
            }
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < atLeast && Instant.now().isBefore(deadline)) {
                Duration left = Duration.between(Instant.now(), deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(left.compareTo(Duration.ofMillis(200)) < 0 ? left
                        : Duration.ofMillis(200))) {
                    records.add(new Record(r.key(), r.value(), r.partition(), r.offset()));
                }
            }
        }
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, left.compareTo(Duration.ofSeconds(1)) < 0 ? left
                    : Duration.ofSeconds(1));
            return infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        } catch (RetriableException e) {
            // no answer within the second (a time-out): ask again
            return List.of();
        }
    }

    /** Stops the broker and deletes its folder; a second call does nothing. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) anyway
        }
    }

    private synchronized void stopAndDelete() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        TempServers.delete(dir, "Kafka test broker");
    }

    private Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "thingport-test-support");
        return props;
    }

    private void format() throws IOException {
        // the configuration's ports do not matter to the storage: static voters, no voter set is written
        port = 1;
        controllerPort = 2;
        writeConfig();
        byte[] id = new byte[16];
        String clusterId;
        do {
            new SecureRandom().nextBytes(id);
            clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } while (clusterId.startsWith("-"));
        List<String> command = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", dir.resolve(CONFIG_FILE).toString());
        appendToLog("--- " + Instant.now() + " " + String.join(" ", command));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw failure("formatting its storage took longer than " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure("interrupted while formatting its storage");
        }
        if (p.exitValue() != 0) {
            throw failure("formatting its storage failed (exit " + p.exitValue() + ")");
        }
    }

    private void writeConfig() throws IOException {
        String config = String.join("\n", "# the Thingport test broker: one KRaft node, broker and controller",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=2",
                "num.recovery.threads.per.data.dir=1",
                "log.segment.bytes=16777216",
                "");
        Files.writeString(dir.resolve(CONFIG_FILE), config);
    }

    /** Starts the broker's JVM and waits until a client has talked to it. */
    private synchronized void launch() throws IOException {
        List<String> command = java("kafka.Kafka", dir.resolve(CONFIG_FILE).toString());
        appendToLog("--- " + Instant.now() + " " + String.join(" ", command));
        Instant started = Instant.now();
        // Output to a file, not a pipe: nothing has to read it, and it survives for the failure message.
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Files.writeString(dir.resolve(BROKER_PID_FILE), Long.toString(process.pid()));
        try {
            awaitReady(started.plus(START_TIMEOUT));
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
        appendToLog("--- " + Instant.now() + " ready after " + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    private void awaitReady(Instant deadline) {
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw failure("its JVM ended (exit " + process.exitValue() + ") before it was ready");
                }
                if (!Instant.now().isBefore(deadline)) {
                    throw failure("not ready within " + START_TIMEOUT.toSeconds() + " s");
                }
                try {
                    List<Node> nodes = List.copyOf(admin.describeCluster().nodes().get(2, TimeUnit.SECONDS));
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not answering yet: ask again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while waiting for it");
                }
            }
        }
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private void appendToLog(String line) throws IOException {
        Files.writeString(dir.resolve(LOG_FILE), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve(LOG_FILE));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private IllegalStateException failure(String what) {
        List<String> lines = log().lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        return new IllegalStateException("Kafka test broker in " + dir + " (port " + port + "): " + what + "\n--- the last "
                + LOG_TAIL_LINES + " lines of " + dir.resolve(LOG_FILE) + ":\n" + tail);
    }

    /**
     * The broker JVM's classpath: {@code override} when set, else the file the build wrote; every entry must exist.
     *
     * @throws IllegalStateException naming what is missing and how to get it
     */
    static String classpath(String override, InputStream builtFile) throws IOException {
        String classpath;
        if (override != null && !override.isBlank()) {
            classpath = override.strip();
        } else if (builtFile == null) {
            throw new IllegalStateException("no " + CLASSPATH_RESOURCE + " beside " + KafkaBroker.class.getName()
                    + ": build test-support with Maven (mvn install -pl test-support) or set -D" + CLASSPATH_PROPERTY);
        } else {
            try (builtFile) {
                classpath = new String(builtFile.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
        }
        List<String> missing = Stream.of(classpath.split(File.pathSeparator)).filter(e -> !Files.exists(Path.of(e))).toList();
        if (classpath.isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("the Kafka broker's classpath " + (classpath.isEmpty() ? "is empty" : "lacks " + missing)
                    + ": build test-support again (mvn install -pl test-support) so that Maven fetches org.apache.kafka:kafka_2.13"
                    + " and writes the classpath anew, or set -D" + CLASSPATH_PROPERTY);
        }
        return classpath;
    }

    /** KafkaBroker talks to the broker with kafka-clients, which the module using it declares: say so plainly. */
    private static void requireClients() {
        try {
            Class.forName("org.apache.kafka.clients.admin.Admin", false, KafkaBroker.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("KafkaBroker needs org.apache.kafka:kafka-clients on the test classpath: declare it in"
                    + " the module's POM with scope test (see KafkaBroker's Javadoc)", e);
        }
    }

    /** Stops the brokers and deletes the folders of every JVM that is gone (they were killed: no shutdown hook ran). */
    static void removeOrphans(Path tmp) {
        TempServers.removeOrphans(tmp, PREFIX, OWNER_FILE, BROKER_PID_FILE, KafkaBroker::stopProcess, "Kafka test broker");
    }

    private static void stopProcess(ProcessHandle p) {
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            p.onExit().join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

}
