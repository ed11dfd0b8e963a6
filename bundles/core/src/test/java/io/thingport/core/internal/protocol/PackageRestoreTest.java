package io.thingport.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.core.internal.access.SystemEvents;
import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The restore of the stored packages at start, on H2 and PostgreSQL, with a fake in place of the OSGi bundles and of the
 * framework start.
 */
@Tag("storage")
class PackageRestoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Storage storage;
    private PackageStore store;
    private ProtocolRegistryImpl registry;
    private FakePackageBundles bundles;
    private Framework framework;
    private KnownPackages known;
    private final ReentrantLock ops = new ReentrantLock();
    private PackageRestore restore;

    /** The fake bundles, but the framework starts only when the test says so, and removing strays may fail. */
    private final class Framework implements PackageBundles {
        private final AtomicReference<Runnable> whenStarted = new AtomicReference<>();
        volatile RuntimeException strayFailure;

        void started() {
            whenStarted.getAndSet(null).run();
        }

        @Override
        public Revision install(String sha256, byte[] bundleBytes, List<String> serviceClasses) {
            return bundles.install(sha256, bundleBytes, serviceClasses);
        }

        @Override
        public Revision restore(String location, Supplier<byte[]> content) {
            return bundles.restore(location, content);
        }

        @Override
        public void discard(long bundleId) {
            bundles.discard(bundleId);
        }

        @Override
        public void removeStrays(Set<String> keep) {
            if (strayFailure != null) {
                throw strayFailure;
            }
            bundles.removeStrays(keep);
        }

        @Override
        public void whenStarted(Runnable action) {
            whenStarted.set(action);
        }

        @Override
        public void close() {
            bundles.close();
        }
    }

    @BeforeEach
    void setUp() {
        DataSource dataSource = TestDatabase.create();
        storage = new Storage(dataSource);
        store = new PackageStore(storage);
        registry = new ProtocolRegistryImpl();
        bundles = new FakePackageBundles(registry);
        framework = new Framework();
        known = new KnownPackages(registry);
        LocalFolders folders = new LocalFolders(known::localFolders, (id, folder, fingerprint) -> {
        });
        restore = new PackageRestore(store, registry, framework, known, folders, ops, SystemEvents.NONE);
        // a stored package's bundle "content" is its id; the fake framework's bundle registers what the test maps it to
        bundles.onInstall = bytes -> new TestProtocol(new String(bytes, StandardCharsets.UTF_8), "1.0");
    }

    @AfterEach
    void tearDown() {
        restore.close();
        storage.close();
    }

    /** Stores package {@code id}, revision 1, whose bundle is at {@code location}. */
    private Row stored(String id, String location) {
        Instant now = Instant.now();
        Row row = new Row(id, "Package " + id, "", ProtocolPackageService.TYPE_JAR, "/jars/" + id + ".jar", "1.0",
                "0123456789abcdef0123456789abcdef", 1, location, now, now);
        store.insert(row, id.getBytes(StandardCharsets.UTF_8));
        return row;
    }

    private static String location(String id) {
        return PackageBundles.LOCATION_PREFIX + "0123456789abcdef/" + id;
    }

    /** Waits, at most {@link #WAIT}, for the management operations to be let through. */
    private void awaitRestored() throws Exception {
        CompletableFuture.runAsync(restore::awaitRestored).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void nothingIsRestoredBeforeTheFrameworkHasStartedAndWhatFollowsRunsAfterTheRestore() throws Exception {
        // Verifies that start claims the stored ids at once, restores only once the framework has started, and runs
        // what comes after the restore (the deploy/ installer) only when the packages serve again.
        // GIVEN package alpha stored, and a built-in protocol of the same id
        stored("alpha", location("alpha"));
        TestProtocol builtin = new TestProtocol("alpha", "0.1");
        registry.track("builtin", new Tracked(builtin, "alpha", 7, "mvn:io.thingport/alpha", "io.thingport.alpha", 0, 1));
        AtomicReference<String> seenAfterRestore = new AtomicReference<>();
        // WHEN the restore starts while the framework is still starting
        restore.start(() -> seenAfterRestore.set(registry.find("alpha").map(ProtocolSupport::version).orElse("none")
                + " / " + known.seen("alpha").problem()));
        // THEN the package is known and starting, the built-in is not live, and nothing was installed
        assertThat(known.seen("alpha").problem()).isEqualTo(PackageInfos.STARTING);
        assertThat(registry.find("alpha")).isEmpty();
        assertThat(bundles.installed).isEmpty();
        assertThat(CompletableFuture.runAsync(restore::awaitRestored)).failsWithin(Duration.ofMillis(300))
                .withThrowableOfType(TimeoutException.class);
        // WHEN the framework has started
        framework.started();
        // THEN alpha serves, and what follows the restore saw it serving with no problem left
        awaitRestored();
        await().atMost(WAIT).untilAsserted(() -> assertThat(seenAfterRestore.get()).isEqualTo("1.0 / "));
        assertThat(registry.find("alpha").orElseThrow()).isNotSameAs(builtin);
        assertThat(ops.isLocked()).isFalse();
    }

    @Test
    void aPackageThatCannotStartIsAProblemItsBundleIsDiscardedAndStraysGo() throws Exception {
        // Verifies that a stored package failing its check is noted as not running and uninstalled, that the others
        // come back, and that package bundles no stored package names are uninstalled.
        // GIVEN packages good (its bundle still in the framework cache) and bad (whose protocol names no transport),
        // and a stray package bundle
        stored("good", location("good"));
        stored("bad", location("bad"));
        TestProtocol good = new TestProtocol("good", "1.0");
        bundles.installed.put(1L, location("good"));
        registry.track(1L, new Tracked(good, "good", 1, location("good"), "test.package", 0, 1));
        bundles.installed.put(2L, location("stray"));
        bundles.onInstall = bytes -> new TestProtocol("bad", "1.0", Set.of());
        // WHEN the stored packages are restored
        restore.start();
        framework.started();
        awaitRestored();
        // THEN good serves from its cached bundle, bad is failed with the reason, and only good's bundle is left
        assertThat(registry.find("good")).containsSame(good);
        assertThat(registry.find("bad")).isEmpty();
        assertThat(known.seen("good").problem()).isEmpty();
        assertThat(known.seen("bad").problem()).isEqualTo("cannot start the stored package: protocol bad failed its check:"
                + " transports() names no transport (iot:protocol-update bad <jar> installs a working one)");
        assertThat(bundles.installed).containsExactly(Map.entry(1L, location("good")));
        assertThat(bundles.discarded).hasSize(2).contains(2L);
    }

    @Test
    void theOperationsAreLetThroughEvenWhenTheRestoreFails() throws Exception {
        // Verifies that a restore that throws (a linkage error in one package, then a failure removing strays) still
        // releases the ops lock and the latch the management operations wait for, and that what follows still runs.
        // GIVEN package broken, whose bundle lacks a class, and a framework that fails to list its bundles
        stored("broken", location("broken"));
        bundles.onInstall = bytes -> {
            throw new NoClassDefFoundError("com/example/Gone");
        };
        framework.strayFailure = new IllegalStateException("the framework is stopping");
        CountDownLatch after = new CountDownLatch(1);
        // WHEN the stored packages are restored
        restore.start(after::countDown);
        framework.started();
        // THEN the operations are let through, broken's problem names the error, and what follows ran
        awaitRestored();
        assertThat(ops.isLocked()).isFalse();
        assertThat(known.seen("broken").problem()).startsWith("cannot start the stored package: java.lang.NoClassDefFoundError");
        assertThat(after.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingLetsARestoreUnderWayFinishAndStartsNoOther() throws Exception {
        // Verifies that close waits for the package being restored and then stops: the next package is not restored,
        // and the operations are still let through.
        // GIVEN packages alpha, whose bundle takes a while to come, and beta
        stored("alpha", location("alpha"));
        stored("beta", location("beta"));
        CountDownLatch restoring = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        bundles.onInstall = bytes -> {
            restoring.countDown();
            await().atMost(WAIT).until(() -> proceed.await(10, TimeUnit.MILLISECONDS));
            return new TestProtocol(new String(bytes, StandardCharsets.UTF_8), "1.0");
        };
        restore.start();
        framework.started();
        assertThat(restoring.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // WHEN the restore is closed while alpha is being restored
        CompletableFuture<Void> closing = CompletableFuture.runAsync(restore::close);
        // THEN close waits for alpha, which then serves, and beta stays starting
        assertThat(closing).failsWithin(Duration.ofMillis(300)).withThrowableOfType(TimeoutException.class);
        proceed.countDown();
        closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(registry.find("alpha")).isPresent();
        assertThat(known.seen("alpha").problem()).isEmpty();
        assertThat(registry.find("beta")).isEmpty();
        assertThat(known.seen("beta").problem()).isEqualTo(PackageInfos.STARTING);
        awaitRestored();
    }
}
