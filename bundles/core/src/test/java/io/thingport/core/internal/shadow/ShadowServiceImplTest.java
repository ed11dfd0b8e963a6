package io.thingport.core.internal.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.NewDevice;
import io.thingport.api.shadow.ShadowDocument;
import io.thingport.api.shadow.ShadowUpdate;
import io.thingport.core.internal.downlink.DeviceMessageSenderImpl;
import io.thingport.core.internal.registry.RegistryFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage")
/** The shadow service on the platform's database (H2 here; PostgreSQL where the tests run on it). */
class ShadowServiceImplTest {
    private final RegistryFixture registry = new RegistryFixture();
    private ShadowServiceImpl shadows;
    private DeviceMessageSenderImpl sender;

    @BeforeEach
    void setUp() {
        registry.product(false);
        registry.devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        start();
    }

    private void start() {
        sender = new DeviceMessageSenderImpl(registry.sessions, registry.devices, registry.products, registry.log, null, null);
        shadows = new ShadowServiceImpl(registry.storage, registry.devices, registry.products, registry.sessions, sender, registry.log);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private static ShadowUpdate desired(Map<String, Object> keys, Long version) {
        return new ShadowUpdate(keys, false, Map.of(), false, "t", version);
    }

    @Test
    void aDeviceHasAnEmptyShadowUntilItsFirstUpdateWhichIsDurable() {
        // Verifies the empty shadow (version 0), an update and its survival of a restart.
        // GIVEN / WHEN
        assertThat(shadows.get("dev-1").version()).isZero();
        ShadowDocument updated = shadows.update("dev-1", desired(Map.of("led", true), 0L));
        // THEN
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.delta()).isEqualTo(Map.of("led", true));
        registry.restart();
        start();
        ShadowDocument read = shadows.get("dev-1");
        assertThat(read.desired()).isEqualTo(Map.of("led", true));
        assertThat(read.version()).isEqualTo(1);
    }

    @Test
    void refusalsChangeNothing() {
        // Verifies that a conflict, a thing-model refusal and an unknown device leave the stored shadow as it was.
        shadows.update("dev-1", desired(Map.of("led", true), null));
        assertThatThrownBy(() -> shadows.update("dev-1", desired(Map.of("led", false), 0L)))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> shadows.update("dev-1", desired(Map.of("temp", 20), null)))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE);
        assertThatThrownBy(() -> shadows.get("nobody")).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> shadows.update("nobody", desired(Map.of("led", false), null)))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        ShadowDocument after = shadows.get("dev-1");
        assertThat(after.version()).isEqualTo(1);
        assertThat(after.desired()).isEqualTo(Map.of("led", true));
    }

    @Test
    void concurrentUpdatesWithoutAVersionAllLandOneVersionEach() throws Exception {
        // Verifies the compare-and-set: updates racing each other are applied one after the other, none lost.
        // GIVEN 8 writers toggling led
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Long>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                boolean value = i % 2 == 0;
                writers.add(() -> shadows.update("dev-1", desired(Map.of("led", value), null)).version());
            }
            // WHEN
            List<Long> versions = new ArrayList<>();
            for (Future<Long> f : pool.invokeAll(writers)) {
                versions.add(f.get());
            }
            // THEN every update got its own version
            assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(shadows.get("dev-1").version()).isEqualTo(8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeleteEmptiesTheShadowAndDeletingTheDeviceRemovesIt() {
        // Verifies delete (the version goes on) and that the shadow goes with its device.
        shadows.update("dev-1", desired(Map.of("led", true), null));
        ShadowDocument emptied = shadows.delete("dev-1");
        assertThat(emptied.desired()).isEmpty();
        assertThat(emptied.version()).isEqualTo(2);
        registry.devices.deleteDevice("dev-1");
        registry.devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        assertThat(shadows.get("dev-1").version()).as("a new device of the same id starts afresh").isZero();
    }
}
