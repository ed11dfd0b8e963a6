package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Bounded memory under a flood (issue 11.8): with the platform-wide bound on uplinks in flight set far below what the
 * devices offer, MQTT devices flooding QoS 1 reports are slowed down (back-pressure), not refused or dropped: every
 * acknowledged message is stored exactly once, and the platform's heap does not grow.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackPressureIT extends ThingportTestSupport {
    private static final String PRODUCT = "flood";
    private static final int DEVICES = 24;
    private static final int MESSAGES = 150;
    /**
     * Reports each device has in flight at once (below Paho's default window of 10, whose count trails the tokens'
     * completion): the devices together offer 120 uplinks at once, 20 times the bound.
     */
    private static final int WINDOW = 5;
    private static final int MAX_INFLIGHT = 6;

    @Configuration
    @Override
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(super.config()));
        options.add(editConfigurationFilePut("etc/io.thingport.storage.cfg", "uplinks.maxInflight", Integer.toString(MAX_INFLIGHT)));
        options.add(editConfigurationFilePut("etc/io.thingport.storage.cfg", "uplinks.maxInflightBytes", "65536"));
        return options.toArray(new Option[0]);
    }

    @Test
    public void aFloodBeyondTheBoundIsSlowedDownAndEveryAcknowledgedMessageIsStoredOnce() throws Exception {
        // GIVEN a product, devices, and the heap after a GC
        Path model = Files.createTempFile("flood", ".json");
        Files.writeString(model, "{\"properties\":[{\"id\":\"n\",\"type\":\"int\"},{\"id\":\"pad\",\"type\":{\"type\":\"string\","
                + "\"maxLength\":4096}}]}", StandardCharsets.UTF_8);
        assertThat(executeCommand("iot:product-create --model " + model + " " + PRODUCT)).contains("Product flood created");
        List<String> secrets = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            secrets.add(createDevice(PRODUCT, "f-" + d));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        AtomicLong peak = new AtomicLong();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                sleep(20);
            }
        });
        sampler.start();

        // WHEN every device publishes its reports as fast as its in-flight window lets it, ~2 KiB each
        String pad = "x".repeat(2000);
        ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
        List<Future<Integer>> acked = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            String id = "f-" + d;
            String secret = secrets.get(d);
            acked.add(pool.submit(() -> flood(id, secret, pad)));
        }
        int total = 0;
        for (Future<Integer> f : acked) {
            total += f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        flooding.set(false);
        sampler.join();
        long after = usedAfterGc(memory);

        // THEN every message was acknowledged (none refused or dropped), and each is stored exactly once
        assertThat(total).isEqualTo(DEVICES * MESSAGES);
        DeviceLogService log = waitForService(DeviceLogService.class, null);
        for (int d = 0; d < DEVICES; d++) {
            List<DeviceLogEntry> uplinks = log.recent("f-" + d, 10_000).stream().filter(e -> e.type() == LogType.UPLINK).toList();
            Set<String> ids = uplinks.stream().map(DeviceLogEntry::messageId).collect(Collectors.toSet());
            assertThat(uplinks).as("uplinks stored for f-" + d).hasSize(MESSAGES);
            assertThat(ids).as("distinct message ids of f-" + d).hasSize(MESSAGES);
        }
        // AND the bound was reached (back-pressure happened), and the heap came back to where it was
        Path karafLog = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        assertThat(Files.readString(karafLog)).contains("Uplinks are being refused for back-pressure")
                .contains("uplinks.maxInflight = " + MAX_INFLIGHT);
        assertThat(after - before).as("heap growth after the flood (bytes), peak during it " + peak.get()).isLessThan(32L << 20);
    }

    /** Publishes MESSAGES reports in windows of WINDOW and returns how many were acknowledged. */
    private int flood(String deviceId, String secret, String pad) throws Exception {
        int ok = 0;
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, deviceId, secret)) {
            for (int start = 0; start < MESSAGES; start += WINDOW) {
                List<IMqttDeliveryToken> tokens = new ArrayList<>();
                for (int i = start; i < Math.min(start + WINDOW, MESSAGES); i++) {
                    String json = "{\"messageId\":\"m-" + i + "\",\"timestamp\":" + (1_000_000 + i) + ",\"properties\":{\"n\":"
                            + i + ",\"pad\":\"" + pad + "\"}}";
                    MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
                    m.setQos(1);
                    tokens.add(device.client.getTopic(device.topic("properties/report")).publish(m));
                }
                for (IMqttDeliveryToken t : tokens) {
                    t.waitForCompletion(60_000);
                    ok++;
                }
            }
        }
        return ok;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
