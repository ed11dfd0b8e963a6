package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.gateway.ComponentListener;
import io.thingport.core.internal.gateway.DeviceGateway;
import io.thingport.core.internal.gateway.DeviceSessions;
import io.thingport.core.internal.gateway.UplinkBudget;
import io.thingport.core.internal.protocol.RevisionFallbacks;
import io.thingport.core.internal.protocol.TestProtocol;
import io.thingport.core.internal.registry.DeviceServiceImpl;
import io.thingport.core.internal.registry.ProductServiceImpl;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Refused logins in the device log on H2 and PostgreSQL, through the gateway and the component listener that refuse them. */
@Tag("storage")
class RefusedLoginsTest {
    private static final Pattern COUNT = Pattern.compile("^(\\d+) more refused logins? ");

    private final DataSource dataSource = TestDatabase.create();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private Storage storage;
    private DeviceLogServiceImpl log;
    private RefusedLogins refusals;

    private void start(Map<String, Object> configuration) {
        StorageConfiguration config = new StorageConfiguration(configuration);
        storage = new Storage(dataSource);
        log = new DeviceLogServiceImpl(storage, config);
        refusals = new RefusedLogins(log, config, clock::get);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    @Test
    void tenThousandRefusedLoginsFromOneSourceLeaveTwoRowsThatCountThemAll() throws Exception {
        // Verifies the fix for a peer looping on logins: through the gateway that refuses them, 10,000 bad signatures
        // from one address (a new port each time) within a minute are two device-log rows, the first refusal and
        // the count of the others, written when the minute ends.
        // GIVEN a gateway whose protocol refuses every login, on a component
        start(Map.of());
        ProductServiceImpl products = new ProductServiceImpl(storage);
        DeviceSessions sessions = new DeviceSessions();
        DeviceServiceImpl devices = new DeviceServiceImpl(storage, products, sessions, log);
        DeviceGateway gateway = new DeviceGateway("mqtt-gw", new RefusingProtocol(), Transport.MQTT,
                new DeviceGateway.Services(products, devices, sessions, log, refusals, null, null, null, Runnable::run,
                        new UplinkBudget(() -> 10, () -> 1000), RevisionFallbacks.NONE, null, null));
        ComponentListener listener = new ComponentListener("mqtt", refusals);
        listener.gateways(List.of(gateway));
        // WHEN
        for (int i = 0; i < 10_000; i++) {
            AuthRequest login = new AuthRequest(Transport.MQTT, "dev-1", "dev-1|" + i, "00".getBytes(StandardCharsets.UTF_8),
                    new InetSocketAddress("192.0.2.7", 1024 + i));
            assertThat(listener.authenticate(login).toCompletableFuture().get(10, TimeUnit.SECONDS).accepted()).isFalse();
            clock.addAndGet(5);
        }
        clock.addAndGet(60_000);
        refusals.flush();
        // THEN
        List<DeviceLogEntry> rows = committedRefusals();
        assertThat(rows).hasSizeLessThanOrEqualTo(3).allSatisfy(e -> assertThat(e.deviceId()).isEqualTo("dev-1"));
        assertThat(rows.get(0).detail()).isEqualTo("bad_signature: bad signature (from /192.0.2.7:1024 via mqtt-gw)");
        assertThat(rows.get(rows.size() - 1).detail()).isEqualTo("9999 more refused logins from 192.0.2.7 in the last 110 s: bad_signature:"
                + " bad signature (via mqtt-gw)");
        assertThat(total(rows)).isEqualTo(10_000);
    }

    @Test
    void peersClaimingEverNewAddressesAndIdsCannotGrowTheCountingPastItsBound() throws Exception {
        // Verifies the memory bound where no gateway reads the login (the component listener refuses it): 5,000
        // refusals, each from another address and client id, with refusedLogins.maxTracked = 500.
        start(Map.of("refusedLogins.maxTracked", "500"));
        ComponentListener listener = new ComponentListener("tcp1", refusals);
        for (int i = 0; i < 5_000; i++) {
            AuthRequest login = new AuthRequest(Transport.TCP, "spoof-" + i, "", null,
                    new InetSocketAddress("10.1." + (i / 200) + "." + (i % 200), 5000));
            listener.authenticate(login).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(refusals.counting()).isLessThanOrEqualTo(501);
        }
        clock.addAndGet(60_000);
        refusals.flush();
        List<DeviceLogEntry> rows = committedRefusals();
        assertThat(rows).hasSize(502);
        assertThat(rows.get(0).detail()).isEqualTo("not_authorized: no enabled device access gateway uses network component tcp1"
                + " (from /10.1.0.0:5000 via tcp1)");
        assertThat(total(rows)).isEqualTo(5_000);
        assertThat(refusals.counting()).isOne(); // the overflow count, forgotten after a quiet minute
    }

    /** The refused-login rows, once every write queued so far is committed (the writer is first in, first out). */
    private List<DeviceLogEntry> committedRefusals() {
        storage.transaction(c -> null);
        return log.recent(null, 10_000).stream().filter(e -> e.type() == LogType.AUTH_REFUSED).toList();
    }

    /** The refusals the rows stand for: one each, or the count they give. */
    private static long total(List<DeviceLogEntry> rows) {
        return rows.stream().mapToLong(e -> {
            Matcher m = COUNT.matcher(e.detail());
            return m.find() ? Long.parseLong(m.group(1)) : 1;
        }).sum();
    }

    /** A protocol whose authenticator refuses every login with a bad signature. */
    private static final class RefusingProtocol implements ProtocolSupport {
        private final TestProtocol codecs = new TestProtocol("refusing", "1", Set.of(Transport.MQTT));

        @Override
        public String id() {
            return "refusing";
        }

        @Override
        public String name() {
            return "refusing";
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public String description() {
            return "refuses every login";
        }

        @Override
        public Set<Transport> transports() {
            return Set.of(Transport.MQTT);
        }

        @Override
        public DeviceCodec codec(Transport transport) {
            return codecs.codec(transport);
        }

        @Override
        public Authenticator authenticator(Transport transport) {
            return (request, context) -> AuthResult.refuse(AuthFailure.BAD_SIGNATURE, request.clientId(), "bad signature");
        }
    }
}
