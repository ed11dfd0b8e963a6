package io.thingport.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throw-away Kafka broker, a real KRaft broker in a JVM of its own. */
class KafkaBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws IOException {
        long started = System.nanoTime();
        broker = KafkaBroker.start();
        System.out.println("Kafka test broker ready after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @AfterAll
    static void close() {
        // Verifies (for the class) that closing leaves nothing behind: no broker on its port, no folder.
        if (broker == null) {
            return;
        }
        Path dir = broker.directory();
        broker.close();
        broker.close();
        assertThat(isListening(broker.port())).isFalse();
        assertThat(dir).doesNotExist();
    }

    private static KafkaProducer<String, String> producer(String maxBlockMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return new KafkaProducer<>(props);
    }

    @Test
    void whatIsProducedIsConsumedFromTheBeginningOfEveryPartition() throws Exception {
        // Verifies the round trip: a topic created with two partitions, records produced by key, all read back with
        // their keys, values, partitions and offsets.
        // GIVEN a topic with two partitions
        broker.createTopic("round-trip", 2);
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
        // WHEN three records are produced
        try (KafkaProducer<String, String> producer = producer("30000")) {
            for (int i = 1; i <= 3; i++) {
                producer.send(new ProducerRecord<>("round-trip", "device-" + i, "{\"t\":" + i + "}")).get(30, TimeUnit.SECONDS);
            }
        }
        // THEN all three are read from the beginning, each partition's from offset 0
        List<KafkaBroker.Record> records = broker.consume("round-trip", 3, TIMEOUT);
        assertThat(records).extracting(KafkaBroker.Record::key).containsExactlyInAnyOrder("device-1", "device-2", "device-3");
        assertThat(records).filteredOn(r -> r.key().equals("device-2")).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo("{\"t\":2}"));
        assertThat(records).allSatisfy(r -> assertThat(r.partition()).isBetween(0, 1));
        assertThat(records).filteredOn(r -> r.offset() == 0).isNotEmpty();
        assertThatThrownBy(() -> broker.createTopic("round-trip", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("round-trip");
    }

    @Test
    void thePlatformsKafkaClientProducesToATopicTheBrokerCreatesOnFirstUse() throws Exception {
        // Verifies that the platform's client (kafka-clients 3.0.0, as camel-kafka's servicemix bundle) talks to the
        // broker, and that a topic nobody created is created on first use.
        // GIVEN kafka-clients 3.0.0 in a JVM of its own, and no topic "old-client"
        String oldClient = System.getProperty("thingport.test.oldKafkaClient");
        assertThat(Path.of(oldClient)).isDirectory();
        assertThat(broker.consume("old-client", 1, Duration.ofSeconds(2))).isEmpty();
        String classpath = Path.of(OldKafkaClientProducer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + File.pathSeparator + oldClient + File.separator + "*";
        // WHEN it produces one record
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                classpath, OldKafkaClientProducer.class.getName(), broker.bootstrapServers(), "old-client", "k", "from 3.0.0")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // THEN it succeeded, as version 3.0.0, and the record is in the topic
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("client 3.0.0 offset 0");
        assertThat(broker.consume("old-client", 1, TIMEOUT)).containsExactly(new KafkaBroker.Record("k", "from 3.0.0", 0, 0));
    }

    @Test
    void whileTheBrokerIsDownProducersWaitAndAfterTheRestartItHasEveryRecord() throws Exception {
        // Verifies the "Kafka is down" case: a stopped broker no longer listens, a producer's record waits in its buffer
        // and a new producer gives up; after the restart (same port, same data) the buffered record arrives beside the
        // record from before.
        // GIVEN a topic with one record, and a producer that knows the topic
        broker.createTopic("outage", 1);
        int port = broker.port();
        try (KafkaProducer<String, String> producer = producer("60000")) {
            producer.send(new ProducerRecord<>("outage", "a", "before")).get(30, TimeUnit.SECONDS);
            // WHEN the broker stops
            broker.stop();
            // THEN nothing listens, the record sent meanwhile is not acknowledged, and a new producer gives up
            assertThat(broker.isRunning()).isFalse();
            assertThat(isListening(port)).isFalse();
            // (kafka-clients 4 forgets the topic's metadata when it loses every broker: send() itself waits for it)
            CompletableFuture<RecordMetadata> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return producer.send(new ProducerRecord<>("outage", "b", "during")).get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new CompletionException(e);
                }
            });
            assertThatThrownBy(() -> waiting.get(3, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            try (KafkaProducer<String, String> newcomer = producer("1000")) {
                assertThatThrownBy(() -> newcomer.send(new ProducerRecord<>("outage", "c", "refused")).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(RetriableException.class).hasMessageContaining("after 1000 ms");
            }
            // WHEN it restarts
            long started = System.nanoTime();
            broker.restart();
            System.out.println("Kafka test broker restarted in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            // THEN it is on the same port, the waiting record is acknowledged, and both records are there
            assertThat(broker.port()).isEqualTo(port);
            assertThat(waiting.get(60, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
        assertThat(broker.consume("outage", 2, TIMEOUT)).extracting(KafkaBroker.Record::value).containsExactly("before", "during");
    }

    @Test
    void aClasspathWithAMissingJarIsRefusedWithWhatToDo(@TempDir Path dir) throws IOException {
        // Verifies the refusal of a broken broker classpath: the missing jar is named, and how to get it.
        Path present = Files.createFile(dir.resolve("present.jar"));
        String classpath = present + File.pathSeparator + dir.resolve("gone.jar");
        assertThat(KafkaBroker.classpath(null, new ByteArrayInputStream(present.toString().getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(present.toString());
        assertThatThrownBy(() -> KafkaBroker.classpath(null, new ByteArrayInputStream(classpath.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gone.jar")
                .hasMessageContaining("mvn install -pl test-support");
        assertThatThrownBy(() -> KafkaBroker.classpath(classpath, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gone.jar");
        assertThatThrownBy(() -> KafkaBroker.classpath(null, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(KafkaBroker.CLASSPATH_PROPERTY);
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
