package io.thingport.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.access.RecordingSystemLog;
import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.TestDatabase;
import io.thingport.core.internal.usage.UsageCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package service's add / update / delete / restore on H2 and PostgreSQL, with a fake in place of the OSGi bundles. */
@Tag("storage")
class ProtocolPackageServiceImplTest {
    private static final String ID = "demo";

    @TempDir
    Path dir;
    private DataSource dataSource;
    private Storage storage;
    private ProtocolRegistryImpl registry;
    private FakePackageBundles bundles;
    private ProtocolPackageServiceImpl service;
    /** Every map of live protocols the registry published, in order. */
    private final List<Map<String, ProtocolSupport>> published = new CopyOnWriteArrayList<>();
    /** What the service wrote to the system log. */
    private final RecordingSystemLog systemLog = new RecordingSystemLog();

    @BeforeEach
    void setUp() {
        dataSource = TestDatabase.create();
        storage = new Storage(dataSource);
        start();
    }

    /** A fresh registry, framework and service over the same database, as after a restart with a wiped cache. */
    private void start() {
        registry = new ProtocolRegistryImpl();
        registry.addProtocolListener(published::add);
        bundles = new FakePackageBundles(registry);
        service = new ProtocolPackageServiceImpl(new PackageStore(storage), registry, bundles, systemLog);
    }

    @AfterEach
    void tearDown() {
        service.deactivate();
        storage.close();
    }

    // ------------------------------------------------------------------ test material

    /** A plain protocol jar whose bytes differ by {@code content}. */
    private Path jar(String name, String content) throws IOException {
        Path file = dir.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry(PackageJars.SERVICES_ENTRY));
            jar.write("test.Demo\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("test/content.txt"));
            jar.write(content.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }

    /** Installs version 1.0 of {@code demo}; returns the live protocol. */
    private ProtocolSupport installVersion1() throws IOException {
        TestProtocol v1 = new TestProtocol(ID, "1.0");
        bundles.onInstall = bytes -> v1;
        ProtocolPackageInfo info = service.add(ProtocolPackageService.TYPE_JAR, jar("demo-1", "one").toString(), null, null);
        assertThat(info.revision()).isEqualTo(1);
        assertThat(registry.find(ID)).containsSame(v1);
        return v1;
    }

    /** {@code protocol}, except that its version() throws after the first call (the one {@link ProtocolCheck} makes). */
    private static ProtocolSupport versionFailsAfterTheCheck(TestProtocol protocol) {
        AtomicInteger calls = new AtomicInteger();
        return new ProtocolSupport() {
            @Override
            public String id() {
                return protocol.id();
            }

            @Override
            public String name() {
                return protocol.name();
            }

            @Override
            public String version() {
                if (calls.incrementAndGet() > 1) {
                    throw new IllegalStateException("version gone");
                }
                return protocol.version();
            }

            @Override
            public String description() {
                return protocol.description();
            }

            @Override
            public Set<Transport> transports() {
                return protocol.transports();
            }

            @Override
            public DeviceCodec codec(Transport transport) {
                return protocol.codec(transport);
            }

            @Override
            public Authenticator authenticator(Transport transport) {
                return protocol.authenticator(transport);
            }
        };
    }

    private Row stored() {
        return new PackageStore(storage).all().stream().filter(r -> r.id().equals(ID)).findFirst().orElseThrow();
    }

    private static ErrorCode code(Throwable e) {
        return ((ThingportException) e).code();
    }

    /** A refused update: version 1.0 serves on, the database still holds revision 1, the refusal is shown. */
    private void assertVersion1KeepsServing(ProtocolSupport v1, Row before, int publishedBefore, String problem) {
        assertThat(registry.find(ID)).containsSame(v1);
        assertThat(stored()).isEqualTo(before);
        assertThat(published).hasSize(publishedBefore);
        ProtocolPackageInfo info = service.info(ID).orElseThrow();
        assertThat(info.state()).isEqualTo("running");
        assertThat(info.revision()).isEqualTo(1);
        assertThat(info.version()).isEqualTo("1.0");
        assertThat(info.detail()).startsWith("update refused at ").contains(problem).endsWith("(version 1.0 keeps running)");
        assertThat(bundles.installed).hasSize(1);
    }

    // ------------------------------------------------------------------ update

    @Test
    void anUpdateWhoseProtocolFailsTheCheckIsRefusedAndTheOldRevisionServesOn() throws IOException {
        // Verifies that a new revision failing ProtocolCheck is discarded, nothing is stored and the detail names why.
        // GIVEN version 1.0 of demo serves
        ProtocolSupport v1 = installVersion1();
        Row before = stored();
        int publishedBefore = published.size();
        bundles.onInstall = bytes -> new TestProtocol(ID, "2.0", Set.of());
        // WHEN an update brings a protocol that names no transport
        String source = jar("demo-2", "two").toString();
        // THEN it is refused, naming the failed check
        assertThatThrownBy(() -> service.update(ID, source, null, null)).isInstanceOf(ThingportException.class)
                .hasMessageContaining("update of protocol demo refused, version 1.0 keeps running")
                .hasMessageContaining("transports() names no transport");
        assertVersion1KeepsServing(v1, before, publishedBefore, "transports() names no transport");
        assertThat(bundles.discarded).hasSize(1);
    }

    @Test
    void anUpdateWhoseBundleCannotBeInstalledIsRefusedAndTheOldRevisionServesOn() throws IOException {
        // Verifies that an install that throws leaves revision 1 live and stored, and the detail names the problem.
        // GIVEN version 1.0 of demo serves
        ProtocolSupport v1 = installVersion1();
        Row before = stored();
        int publishedBefore = published.size();
        bundles.onInstall = bytes -> {
            throw ThingportException.invalidArgument("the package cannot start: missing import com.example.gone");
        };
        // WHEN an update's bundle cannot start
        String source = jar("demo-2", "two").toString();
        // THEN it is refused with the framework's reason
        assertThatThrownBy(() -> service.update(ID, source, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("keeps running: the package cannot start: missing import com.example.gone");
        assertVersion1KeepsServing(v1, before, publishedBefore, "missing import com.example.gone");
    }

    @Test
    void anUpdateWhoseProtocolNeverAppearsIsRefusedAndTheOldRevisionServesOn() throws IOException {
        // Verifies that a bundle that registers no protocol is given up after the wait and uninstalled.
        // GIVEN version 1.0 of demo serves
        ProtocolSupport v1 = installVersion1();
        Row before = stored();
        int publishedBefore = published.size();
        bundles.onInstall = bytes -> null;
        // WHEN an update's bundle starts but registers no protocol
        String source = jar("demo-2", "two").toString();
        // THEN it is refused once the wait is over, and the bundle is gone
        assertThatThrownBy(() -> service.update(ID, source, null, null))
                .hasMessageContaining("the package registered no " + ProtocolSupport.class.getName());
        assertVersion1KeepsServing(v1, before, publishedBefore, "registered no");
        assertThat(bundles.discarded).hasSize(1);
    }

    @Test
    void anUpdateThatProvidesAnotherProtocolIsRefusedAndTheDetailSaysSo() throws IOException {
        // Verifies that an update whose jar provides another protocol id is discarded and the package's detail names why.
        // GIVEN version 1.0 of demo serves
        ProtocolSupport v1 = installVersion1();
        Row before = stored();
        int publishedBefore = published.size();
        bundles.onInstall = bytes -> new TestProtocol("other", "2.0");
        // WHEN an update brings a jar that provides protocol other
        String source = jar("other", "other").toString();
        // THEN it is refused, and the package shows the refusal
        assertThatThrownBy(() -> service.update(ID, source, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("update of protocol demo refused, version 1.0 keeps running: the new package provides protocol other,"
                        + " not demo");
        assertVersion1KeepsServing(v1, before, publishedBefore, "the new package provides protocol other, not demo");
        assertThat(bundles.discarded).hasSize(1);
    }

    @Test
    void anUpdateWhoseProtocolFailsAfterTheCheckIsRefusedAndItsBundleDiscarded() throws IOException {
        // Verifies that a protocol whose version() throws once it has passed the check is uninstalled, not left behind.
        // GIVEN version 1.0 of demo serves
        ProtocolSupport v1 = installVersion1();
        Row before = stored();
        int publishedBefore = published.size();
        bundles.onInstall = bytes -> versionFailsAfterTheCheck(new TestProtocol(ID, "2.0"));
        // WHEN an update brings a protocol whose version() answers the check and then throws
        String source = jar("demo-2", "two").toString();
        // THEN it is refused, its bundle is uninstalled and the package shows the refusal
        assertThatThrownBy(() -> service.update(ID, source, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("update of protocol demo refused, version 1.0 keeps running: the package fails:")
                .hasMessageContaining("version gone");
        assertVersion1KeepsServing(v1, before, publishedBefore, "version gone");
        assertThat(bundles.discarded).hasSize(1);
    }

    @Test
    void anAddWhoseProtocolFailsAfterTheCheckLeavesNothingInstalled() throws IOException {
        // Verifies that add uninstalls a protocol whose version() throws once it has passed the check, and stores nothing.
        // GIVEN a protocol whose version() answers the check and then throws
        bundles.onInstall = bytes -> versionFailsAfterTheCheck(new TestProtocol(ID, "1.0"));
        String source = jar("demo-1", "one").toString();
        // WHEN it is added
        // THEN it is refused and nothing is left of it
        assertThatThrownBy(() -> service.add(ProtocolPackageService.TYPE_JAR, source, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("the package fails:").hasMessageContaining("version gone");
        assertThat(bundles.installed).isEmpty();
        assertThat(bundles.discarded).hasSize(1);
        assertThat(new PackageStore(storage).all()).isEmpty();
        assertThat(service.info(ID)).isEmpty();
    }

    @Test
    void anUpdateThatCannotBeStoredIsRefusedAndTheDetailSaysSo() throws IOException {
        // Verifies that a new revision the database refuses is discarded, and the package's detail names the failure.
        // GIVEN version 1.0 of demo serves, and a database that refuses a second revision
        ProtocolSupport v1 = installVersion1();
        Row before = stored();
        int publishedBefore = published.size();
        storage.transaction(c -> Storage.update(c, "ALTER TABLE protocol_package ADD CONSTRAINT only_one_revision"
                + " CHECK (revision < 2)"));
        bundles.onInstall = bytes -> new TestProtocol(ID, "2.0");
        // WHEN version 2.0 comes
        String source = jar("demo-2", "two").toString();
        // THEN the storage failure is thrown, the new bundle is gone and the package shows the refusal
        assertThatThrownBy(() -> service.update(ID, source, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.INTERNAL))
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("only_one_revision"));
        assertVersion1KeepsServing(v1, before, publishedBefore, "cannot store revision 2: storage failure:");
        assertThat(service.info(ID).orElseThrow().detail()).containsIgnoringCase("only_one_revision");
        assertThat(bundles.discarded).hasSize(1);
    }

    @Test
    void anAcceptedUpdateGoesLiveTellsTheListenersAndKeepsTheOldRevisionAsItsFallback() throws IOException {
        // Verifies the swap: revision 2 is stored and live, listeners see it, and revision 1 stays installed behind it.
        // GIVEN version 1.0 of demo serves, and its refused update left a detail
        installVersion1();
        long oldBundle = bundles.installed.keySet().iterator().next();
        bundles.onInstall = bytes -> null;
        assertThatThrownBy(() -> service.update(ID, jar("broken", "broken").toString(), null, null));
        ProtocolSupport v1 = registry.find(ID).orElseThrow();
        TestProtocol v2 = new TestProtocol(ID, "2.0");
        bundles.onInstall = bytes -> v2;
        // WHEN version 2.0 comes with a new name
        ProtocolPackageInfo info = service.update(ID, jar("demo-2", "two").toString(), "Demo two", null);
        // THEN it serves, is stored as revision 2, and the listeners were told
        assertThat(info.revision()).isEqualTo(2);
        assertThat(info.version()).isEqualTo("2.0");
        assertThat(info.name()).isEqualTo("Demo two");
        assertThat(info.state()).isEqualTo("running");
        assertThat(info.detail()).isEmpty();
        assertThat(registry.find(ID)).containsSame(v2);
        assertThat(published.get(published.size() - 1)).containsExactly(Map.entry(ID, v2));
        Row row = stored();
        assertThat(row.revision()).isEqualTo(2);
        assertThat(row.version()).isEqualTo("2.0");
        long newBundle = bundles.installed.keySet().stream().filter(b -> b != oldBundle).findFirst().orElseThrow();
        assertThat(row.location()).isEqualTo(bundles.installed.get(newBundle));
        assertThat(bundles.installed).hasSize(2).containsKey(oldBundle);
        assertThat(service.previous(v2)).containsSame(v1);
    }

    @Test
    void theNextUpdateUninstallsTheRevisionBeforeThePreviousOneAndADeleteUninstallsBoth() throws IOException {
        // Verifies that only one revision is kept behind the current one, and that nothing is left after a delete.
        // GIVEN demo 1.0, updated to 2.0
        ProtocolSupport v1 = installVersion1();
        long bundle1 = bundles.installed.keySet().iterator().next();
        TestProtocol v2 = new TestProtocol(ID, "2.0");
        bundles.onInstall = bytes -> v2;
        service.update(ID, jar("demo-2", "two").toString(), null, null);
        // WHEN 3.0 comes
        TestProtocol v3 = new TestProtocol(ID, "3.0");
        bundles.onInstall = bytes -> v3;
        service.update(ID, jar("demo-3", "three").toString(), null, null);
        // THEN 1.0 is uninstalled, 2.0 is the fallback of 3.0, and 2.0 is no longer on probation itself
        assertThat(bundles.discarded).containsExactly(bundle1);
        assertThat(bundles.installed).hasSize(2);
        assertThat(service.previous(v3)).containsSame(v2);
        assertThat(service.previous(v2)).isEmpty();
        assertThat(service.previous(v1)).isEmpty();
        // WHEN it is deleted
        service.delete(ID);
        // THEN both bundles are gone
        assertThat(bundles.installed).isEmpty();
        assertThat(service.previous(v3)).isEmpty();
    }

    @Test
    void everyChangeOfAPackageAndEveryRefusedUpdateIsWrittenToTheSystemLog() throws IOException {
        // Verifies the protocol package events: added, update refused (WARN, with the reason), updated to a new
        // revision, texts changed, deleted; one line each.
        // GIVEN / WHEN
        installVersion1();
        bundles.onInstall = bytes -> null;
        String broken = jar("broken", "broken").toString();
        assertThatThrownBy(() -> service.update(ID, broken, null, null));
        bundles.onInstall = bytes -> new TestProtocol(ID, "2.0");
        String two = jar("demo-2", "two").toString();
        service.update(ID, two, null, null);
        service.update(ID, null, null, "Demo", null);
        service.delete(ID);
        // THEN
        List<String> lines = systemLog.lines();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("INFO protocol demo: protocol package added: Demo 1.0 (jar), version 1.0 from "
                + dir.resolve("demo-1.jar"));
        assertThat(lines.get(1)).startsWith("WARN protocol demo: protocol package update refused: ")
                .endsWith("(version 1.0 keeps running)");
        assertThat(lines.get(2)).isEqualTo("INFO protocol demo: protocol package updated to revision 2 (version 2.0, was 1.0) from "
                + two);
        assertThat(lines.get(3)).isEqualTo("INFO protocol demo: protocol package updated: name Demo, description changed");
        assertThat(lines.get(4)).isEqualTo("INFO protocol demo: protocol package deleted: Demo");
    }

    // ------------------------------------------------------------------ rollback

    @Test
    void aRevisionThatFailsOnLiveTrafficIsRolledBackOnceHoweverManyMessagesAskForIt() throws Exception {
        // Verifies the automatic rollback: 16 gateway threads asking 100 times each give one rollback: the gateways are
        // told once, the database holds revision 1 and its bytes again, revision 2's bundle is uninstalled once, and
        // the package's detail says why; a restart brings revision 1 back.
        // GIVEN demo 1.0, updated to 2.0
        ProtocolSupport v1 = installVersion1();
        long bundle1 = bundles.installed.keySet().iterator().next();
        byte[] content1 = new PackageStore(storage).content(ID);
        TestProtocol v2 = new TestProtocol(ID, "2.0");
        bundles.onInstall = bytes -> v2;
        service.update(ID, jar("demo-2", "two").toString(), null, null);
        long bundle2 = bundles.installed.keySet().stream().filter(b -> b != bundle1).findFirst().orElseThrow();
        int publishedBefore = published.size();
        // WHEN revision 2.0 fails with NoClassDefFoundError on messages that 1.0 decodes, on 16 threads at once
        NoClassDefFoundError error = new NoClassDefFoundError("com/example/demo/LongValues");
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> asked = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                asked.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 100; i++) {
                        service.rollBack(v2, error);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : asked) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        // THEN 1.0 serves again, as revision 1, and the detail says why
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bundles.discarded).contains(bundle2));
        assertThat(registry.find(ID)).containsSame(v1);
        assertThat(published).hasSize(publishedBefore + 1);
        assertThat(published.get(published.size() - 1)).containsExactly(Map.entry(ID, v1));
        assertThat(bundles.discarded).containsExactly(bundle2);
        assertThat(bundles.installed).containsOnlyKeys(bundle1);
        Row row = stored();
        assertThat(row.revision()).isEqualTo(1);
        assertThat(row.version()).isEqualTo("1.0");
        assertThat(row.location()).isEqualTo(bundles.installed.get(bundle1));
        assertThat(new PackageStore(storage).content(ID)).isEqualTo(content1);
        ProtocolPackageInfo info = service.info(ID).orElseThrow();
        assertThat(info.state()).isEqualTo("running");
        assertThat(info.version()).isEqualTo("1.0");
        assertThat(info.revision()).isEqualTo(1);
        assertThat(info.detail()).startsWith("revision 2 (version 2.0) rolled back at ")
                .contains(": java.lang.NoClassDefFoundError: com/example/demo/LongValues, on a message that revision 1 (version 1.0)"
                        + " decoded");
        // AND nothing is on probation any more: another failure of 2.0 changes nothing
        assertThat(service.previous(v2)).isEmpty();
        service.rollBack(v2, error);
        assertThat(registry.find(ID)).containsSame(v1);
        // WHEN the platform restarts with an empty framework
        service.deactivate();
        TestProtocol restored = new TestProtocol(ID, "1.0");
        registry = new ProtocolRegistryImpl();
        bundles = new FakePackageBundles(registry);
        bundles.onInstall = bytes -> {
            assertThat(bytes).isEqualTo(content1);
            return restored;
        };
        service = new ProtocolPackageServiceImpl(new PackageStore(storage), registry, bundles);
        // THEN revision 1 is what comes back
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.find(ID)).containsSame(restored));
        assertThat(service.info(ID).orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    void aFailureOfARevisionNotOnProbationRollsNothingBack() throws IOException {
        // Verifies that only the current revision with a previous one behind it is rolled back: a first install, or a
        // revision an update has replaced, is not.
        // GIVEN demo 1.0 as a first install
        ProtocolSupport v1 = installVersion1();
        // WHEN it fails on a message
        service.rollBack(v1, new IllegalStateException("bug"));
        // THEN nothing changes
        assertThat(service.previous(v1)).isEmpty();
        // GIVEN 2.0 then 3.0
        TestProtocol v2 = new TestProtocol(ID, "2.0");
        bundles.onInstall = bytes -> v2;
        service.update(ID, jar("demo-2", "two").toString(), null, null);
        TestProtocol v3 = new TestProtocol(ID, "3.0");
        bundles.onInstall = bytes -> v3;
        service.update(ID, jar("demo-3", "three").toString(), null, null);
        int publishedBefore = published.size();
        // WHEN the replaced 2.0 fails on a message still in flight
        service.rollBack(v2, new IllegalStateException("bug"));
        // THEN 3.0 stays, as revision 3
        assertThat(registry.find(ID)).containsSame(v3);
        assertThat(stored().revision()).isEqualTo(3);
        assertThat(published).hasSize(publishedBefore);
        assertThat(service.info(ID).orElseThrow().detail()).isEmpty();
    }

    @Test
    void theSameBytesAgainAreNoNewRevision() throws IOException {
        // Verifies that offering the running code again installs nothing and changes nothing but the texts given.
        // GIVEN version 1.0 of demo serves
        installVersion1();
        int installs = bundles.installs.get();
        int publishedBefore = published.size();
        // WHEN the same jar is offered again, first alone, then with a description
        ProtocolPackageInfo same = service.update(ID, dir.resolve("demo-1.jar").toString(), null, null);
        ProtocolPackageInfo described = service.update(ID, dir.resolve("demo-1.jar").toString(), null, "the same code");
        // THEN no bundle was installed, the revision stays 1, and only the description changed
        assertThat(bundles.installs.get()).isEqualTo(installs);
        assertThat(same.revision()).isEqualTo(1);
        assertThat(described.revision()).isEqualTo(1);
        assertThat(described.description()).isEqualTo("the same code");
        assertThat(stored().revision()).isEqualTo(1);
        assertThat(stored().description()).isEqualTo("the same code");
        assertThat(published).hasSize(publishedBefore);
    }

    // ------------------------------------------------------------------ add and delete

    @Test
    void aSecondPackageOfAnInstalledIdIsRefused() throws IOException {
        // Verifies that add refuses a protocol id that a package or a built-in already has, and uninstalls the newcomer.
        // GIVEN demo 1.0 as a package and a built-in protocol official
        ProtocolSupport v1 = installVersion1();
        TestProtocol builtin = new TestProtocol("official", "1.0");
        registry.track("builtin", new Tracked(builtin, "official", 7, "mvn:io.thingport/official", "io.thingport.official", 0, 1));
        // WHEN other jars providing demo and official are added
        bundles.onInstall = bytes -> new TestProtocol(ID, "9.0");
        String demoAgain = jar("demo-9", "nine").toString();
        // THEN both are refused as conflicts that say what holds the id
        assertThatThrownBy(() -> service.add(ProtocolPackageService.TYPE_JAR, demoAgain, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("protocol demo is already installed (package Demo 1.0, type jar, version 1.0");
        bundles.onInstall = bytes -> new TestProtocol("official", "9.0");
        String official = jar("official", "mine").toString();
        assertThatThrownBy(() -> service.add(ProtocolPackageService.TYPE_JAR, official, null, null))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("built into the platform by bundle io.thingport.official");
        assertThat(bundles.discarded).hasSize(2);
        assertThat(registry.find(ID)).containsSame(v1);
        assertThat(registry.find("official")).containsSame(builtin);
        assertThat(new PackageStore(storage).all()).extracting(Row::id).containsExactly(ID);
    }

    @Test
    void aPackageUsedByAGatewayIsNotDeleted() throws IOException {
        // Verifies that delete is refused, naming the gateways, while a UsageCheck reports users; then it goes through.
        // GIVEN demo 1.0, used by gateway gw-1
        ProtocolSupport v1 = installVersion1();
        List<String> users = new CopyOnWriteArrayList<>(List.of("gw-1"));
        service.usages().add((kind, name) -> kind == UsageCheck.Kind.PROTOCOL && name.equals(ID) ? List.copyOf(users) : List.of());
        // WHEN it is deleted
        // THEN that is refused and the package stays
        assertThatThrownBy(() -> service.delete(ID)).satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("protocol demo is used by gateway gw-1");
        assertThat(registry.find(ID)).containsSame(v1);
        assertThat(stored().id()).isEqualTo(ID);
        assertThat(service.info(ID).orElseThrow().gateways()).containsExactly("gw-1");
        // WHEN the gateway is gone
        users.clear();
        service.delete(ID);
        // THEN the package, its bundle and its live protocol are gone
        assertThat(service.info(ID)).isEmpty();
        assertThat(registry.find(ID)).isEmpty();
        assertThat(new PackageStore(storage).all()).isEmpty();
        assertThat(bundles.installed).isEmpty();
    }

    // ------------------------------------------------------------------ restart

    @Test
    void storedPackagesComeBackAfterARestartAndStrayBundlesGo() throws IOException {
        // Verifies the restore at start: a package whose bundle is gone is installed again from the database on the
        // background thread, and a package bundle that no stored package names is uninstalled.
        // GIVEN demo 1.0 stored, then a restart with an empty framework that holds only a stray package bundle
        installVersion1();
        service.deactivate();
        TestProtocol restored = new TestProtocol(ID, "1.0");
        registry = new ProtocolRegistryImpl();
        bundles = new FakePackageBundles(registry);
        bundles.installed.put(1L, PackageBundles.LOCATION_PREFIX + "0123456789abcdef/1");
        bundles.onInstall = bytes -> restored;
        // WHEN the service starts
        service = new ProtocolPackageServiceImpl(new PackageStore(storage), registry, bundles);
        // THEN demo serves again as revision 1 and the stray is gone
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.find(ID)).containsSame(restored));
        ProtocolPackageInfo info = service.info(ID).orElseThrow();
        assertThat(info.state()).isEqualTo("running");
        assertThat(info.revision()).isEqualTo(1);
        assertThat(info.detail()).isEmpty();
        assertThat(bundles.installed).hasSize(1).doesNotContainKey(1L);
    }
}
