package io.thingport.core.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.api.device.NewDevice;
import io.thingport.api.device.NewProduct;
import io.thingport.api.model.ThingModel;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.events.DeviceEventBusImpl;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.protocol.RevisionFallbacks;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The gateway's answer to an uplink no revision can decode, on H2 and PostgreSQL with the real device log and registry. */
@Tag("storage")
class DeviceGatewayTest {
    private final DataSource dataSource = TestDatabase.create();
    private Storage storage;
    private DeviceLogServiceImpl log;
    private DeviceEventBusImpl events;
    private DeviceGateway.Services services;

    @BeforeEach
    void setUp() {
        StorageConfiguration config = new StorageConfiguration(Map.of());
        storage = new Storage(dataSource);
        log = new DeviceLogServiceImpl(storage, config);
        ProductServiceImpl products = new ProductServiceImpl(storage);
        DeviceSessions sessions = new DeviceSessions();
        DeviceServiceImpl devices = new DeviceServiceImpl(storage, products, sessions, log);
        events = new DeviceEventBusImpl();
        products.createProduct(new NewProduct("p1", "Meter", null, null, false, ThingModel.EMPTY, null, null));
        devices.createDevice(new NewDevice("dev-1", "p1", null, null));
        services = new DeviceGateway.Services(products, devices, sessions, log, null, null, null, events, Runnable::run,
                new UplinkBudget(() -> 10_000, () -> Long.MAX_VALUE), RevisionFallbacks.NONE, null, null);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    @Test
    void aMessageNoRevisionCanDecodeIsNotAcknowledgedAndNotedOncePerInterval() throws Exception {
        // Verifies the fix for reports acknowledged unstored: a NoClassDefFoundError at decode with no previous revision
        // to fall back to fails the transport's future (no PUBACK, 5xx, closed connection), and 500 such messages
        // are one device-log entry, not 500.
        // GIVEN a connected device on a gateway whose protocol misses a class on the path of its reports
        ProtocolSupport broken = new CodecProtocol("2.0", (raw, s) -> {
            throw new NoClassDefFoundError("com/example/demo/LongValues");
        });
        DeviceGateway gateway = new DeviceGateway("gw", broken, Transport.TCP, services);
        TransportConnection connection = new Connection();
        gateway.connected(connection, AuthResult.accept("dev-1", "p1"));
        // WHEN the device sends 500 reports
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            EncodedMessage raw = new EncodedMessage("", (i + " 20.5").getBytes(StandardCharsets.UTF_8), Map.of());
            answers.add(gateway.received(connection, raw).toCompletableFuture());
        }
        // THEN every answer fails with an internal error that tells the device to send it again
        for (CompletableFuture<Void> answer : answers) {
            assertThat(answer).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(Exception.class)
                    .havingRootCause().isInstanceOfSatisfying(ThingportException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                        assertThat(e.getMessage()).contains("protocol demo could not decode the message").contains("send it again");
                    });
        }
        // AND the device log holds one entry for them, naming the revision and the error
        log.write(LogType.OFFLINE, "dev-1", "p1", "marker", "", "", "", "", "after the reports").get(5, TimeUnit.SECONDS);
        List<DeviceLogEntry> rejected = log.recent("dev-1", 1_000).stream().filter(e -> e.type() == LogType.REJECTED).toList();
        assertThat(rejected).singleElement().satisfies(e -> assertThat(e.detail())
                .isEqualTo("not stored, to be sent again: protocol demo version 2.0 failed to decode a message:"
                        + " java.lang.NoClassDefFoundError: com/example/demo/LongValues"));
    }

    /** A connection that drops what it is sent. */
    private static final class Connection implements TransportConnection {
        @Override
        public String id() {
            return "c-1";
        }

        @Override
        public Transport transport() {
            return Transport.TCP;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("device", 4000);
        }

        @Override
        public CompletionStage<Void> send(EncodedMessage message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
