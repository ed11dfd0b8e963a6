package io.thingport.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.Authenticator;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.ProtocolSample;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageJarsTest {
    @TempDir
    Path dir;

    private static byte[] jar(Manifest manifest, Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void inspectFindsTheServiceClassesAndTheBundleName() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "com.example.p;singleton:=true");
        byte[] bytes = jar(m, Map.of(PackageJars.SERVICES_ENTRY, "# the protocol\ncom.example.P\n\n"));
        PackageJars.Inspection i = PackageJars.inspect(bytes, "p.jar");
        assertThat(i.symbolicName()).isEqualTo("com.example.p");
        assertThat(i.serviceClasses()).containsExactly("com.example.P");
        assertThat(i.isBundle()).isTrue();
    }

    @Test
    void inspectRefusesWhatIsNotAProtocolJar() throws IOException {
        assertThatThrownBy(() -> PackageJars.inspect("hello".getBytes(StandardCharsets.UTF_8), "x.jar"))
                .hasMessageContaining("x.jar is not a jar");
        byte[] noProtocol = jar(null, Map.of("a.txt", "a"));
        assertThatThrownBy(() -> PackageJars.inspect(noProtocol, "y.jar")).hasMessageContaining("y.jar declares no protocol")
                .hasMessageContaining(PackageJars.SERVICES_ENTRY);
        byte[] component = jar(null, Map.of("OSGI-INF/c.xml", "<provide interface=\"io.thingport.api.protocol.ProtocolSupport\"/>"));
        assertThat(PackageJars.inspect(component, "z.jar").declaresComponent()).isTrue();
    }

    @Test
    void aJarThatExpandsTooMuchIsRefusedWhateverItsEntriesClaim() throws IOException {
        // Verifies the zip-bomb guard: 2 MiB of zeros compress to a few KiB; with a 1 MiB budget the jar is refused.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry(PackageJars.SERVICES_ENTRY));
            jar.write("com.example.P\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("zeros.bin"));
            jar.write(new byte[2 * 1024 * 1024]);
            jar.closeEntry();
        }
        byte[] bomb = out.toByteArray();
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> PackageJars.inspect(bomb, "bomb.jar", 1024 * 1024))
                .hasMessage("bomb.jar expands to more than 1 MiB (a zip bomb?): refused");
        assertThat(PackageJars.inspect(bomb, "bomb.jar", 4 * 1024 * 1024).serviceClasses()).containsExactly("com.example.P");
    }

    @Test
    void anExpectedChecksumIsCheckedAndAPlainHttpDownloadNeedsOne() throws IOException {
        // Verifies --sha256: required for http:, refused for a folder, malformed refused, a mismatch refused by name.
        assertThatThrownBy(() -> PackageInputs.expectedSha256("jar", "http://repo.example/p.jar", null))
                .hasMessageContaining("a download over plain http: needs --sha256");
        assertThatThrownBy(() -> PackageInputs.expectedSha256("jar", "/tmp/p.jar", "abc"))
                .hasMessageContaining("--sha256 must be the 64 hexadecimal digits of a SHA-256, not 'abc'");
        assertThatThrownBy(() -> PackageInputs.expectedSha256("local", "/tmp/classes", "a".repeat(64)))
                .hasMessageContaining("a local folder has none");
        assertThat(PackageInputs.expectedSha256("jar", "https://repo.example/p.jar", null)).isNull();
        assertThat(PackageInputs.expectedSha256("jar", "HTTP://repo.example/p.jar", "AB".repeat(32))).isEqualTo("ab".repeat(32));

        byte[] bytes = jar(null, Map.of(PackageJars.SERVICES_ENTRY, "com.example.P\n"));
        Path file = Files.write(dir.resolve("p.jar"), bytes);
        String sha = PackageJars.sha256(bytes);
        assertThat(PackageJars.prepare("jar", file.toString(), sha).sha256()).isEqualTo(sha);
        assertThatThrownBy(() -> PackageJars.prepare("jar", file.toString(), "0".repeat(64)))
                .hasMessage("the SHA-256 of " + file + " is " + sha + ", not the expected " + "0".repeat(64) + ": nothing installed");
    }

    @Test
    void wrapGivesAPlainJarAManifestAndDropsSignatures() throws IOException {
        byte[] plain = jar(null, Map.of(PackageJars.SERVICES_ENTRY, "com.example.P", "com/example/P.class", "x",
                "META-INF/SIGNER.SF", "sig"));
        byte[] wrapped = PackageJars.wrap(plain, "thingport.protocol.abc", "0.0.0.abc");
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(wrapped))) {
            Attributes a = in.getManifest().getMainAttributes();
            assertThat(a.getValue("Bundle-SymbolicName")).isEqualTo("thingport.protocol.abc");
            assertThat(a.getValue("Bundle-ManifestVersion")).isEqualTo("2");
            assertThat(a.getValue("Import-Package")).contains("io.thingport.api.protocol;version=\"[1.1,2)\"");
            assertThat(a.getValue("DynamicImport-Package")).isEqualTo("*");
            List<String> names = new ArrayList<>();
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                names.add(e.getName());
            }
            assertThat(names).containsExactlyInAnyOrder(PackageJars.SERVICES_ENTRY, "com/example/P.class");
        }
    }

    @Test
    void everyInstallGetsItsOwnBundleVersion() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "com.example.p");
        m.getMainAttributes().putValue("Bundle-Version", "1.2.3.beta");
        byte[] bytes = jar(m, Map.of(PackageJars.SERVICES_ENTRY, "com.example.P"));
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(PackageJars.withInstallQualifier(bytes, "x1")))) {
            assertThat(in.getManifest().getMainAttributes().getValue("Bundle-Version")).isEqualTo("1.2.3.beta-tpx1");
            assertThat(in.getNextJarEntry().getName()).isEqualTo(PackageJars.SERVICES_ENTRY);
        }
        m.getMainAttributes().putValue("Bundle-Version", "2");
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(PackageJars.withInstallQualifier(jar(m, Map.of()), "y")))) {
            assertThat(in.getManifest().getMainAttributes().getValue("Bundle-Version")).isEqualTo("2.0.0.tpy");
        }
    }

    @Test
    void aFolderIsPackedAndHashedByContentWhileItsFingerprintFollowsTimestamps() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes/com/example"));
        Files.writeString(classes.resolve("P.class"), "code");
        Path services = Files.createDirectories(dir.resolve("classes/META-INF/services"))
                .resolve("io.thingport.api.protocol.ProtocolSupport");
        Files.writeString(services, "com.example.P\n");
        Path root = dir.resolve("classes");
        PackageJars.Inspection i = PackageJars.inspect(PackageJars.packFolder(root), "folder");
        assertThat(i.serviceClasses()).containsExactly("com.example.P");
        assertThat(i.isBundle()).isFalse();

        String hash = PackageJars.folderHash(root);
        String fingerprint = PackageJars.fingerprint(root);
        Files.setLastModifiedTime(classes.resolve("P.class"), FileTime.fromMillis(1_000_000));
        assertThat(PackageJars.folderHash(root)).isEqualTo(hash);
        assertThat(PackageJars.fingerprint(root)).isNotEqualTo(fingerprint);
        Files.writeString(classes.resolve("P.class"), "code v2");
        assertThat(PackageJars.folderHash(root)).isNotEqualTo(hash);

        assertThatThrownBy(() -> PackageJars.packFolder(Path.of("relative/classes"))).hasMessageContaining("absolute folder");
        assertThatThrownBy(() -> PackageJars.packFolder(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }

    @Test
    void jarSourcesAreCheckedBeforeTheyAreRead() throws IOException {
        assertThatThrownBy(() -> PackageJars.readJar(dir.resolve("p.txt").toString())).hasMessageContaining("must be a .jar or .zip");
        assertThatThrownBy(() -> PackageJars.readJar(dir.resolve("p.jar").toString())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> PackageJars.readJar("http://127.0.0.1:1/p.jar")).hasMessageContaining("cannot download");
        Path p = Files.write(dir.resolve("p.jar"), new byte[] {1, 2});
        assertThat(PackageJars.readJar(p.toString())).containsExactly(1, 2);
        assertThat(PackageJars.readJar(p.toUri().toString())).containsExactly(1, 2);
    }

    @Test
    void aJarIsDownloadedOverHttpAndAnHttpErrorIsNamed() throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/p.jar", exchange -> {
            exchange.sendResponseHeaders(200, 3);
            exchange.getResponseBody().write(new byte[] {7, 8, 9});
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(PackageJars.readJar(base + "/p.jar")).containsExactly(7, 8, 9);
            assertThatThrownBy(() -> PackageJars.readJar(base + "/missing.jar")).hasMessageContaining("HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    // ------------------------------------------------------------------ ProtocolCheck

    /** A protocol whose decode is given by the test. */
    private static ProtocolSupport protocol(String id, Function<EncodedMessage, List<DeviceMessage>> decode, Set<Transport> transports) {
        DeviceCodec codec = new DeviceCodec() {
            @Override
            public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
                return decode.apply(message);
            }

            @Override
            public EncodedMessage encode(DeviceMessage message, CodecSession session) {
                throw new CodecException(ErrorCode.UNSUPPORTED, "no downlinks");
            }

            @Override
            public boolean maySubscribe(String topicFilter, CodecSession session) {
                return false;
            }
        };
        return new ProtocolSupport() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String name() {
                return "Test";
            }

            @Override
            public String version() {
                return "1";
            }

            @Override
            public String description() {
                return "test";
            }

            @Override
            public Set<Transport> transports() {
                return transports;
            }

            @Override
            public DeviceCodec codec(Transport transport) {
                return codec;
            }

            @Override
            public Authenticator authenticator(Transport transport) {
                return (r, c) -> AuthResult.refuse(AuthFailure.NOT_AUTHORIZED, null, "no");
            }

            @Override
            public List<ProtocolSample> samples() {
                return List.of(new ProtocolSample(Transport.TCP, "p", "d", new EncodedMessage("", new byte[] {1}, null)));
            }
        };
    }

    @Test
    void aProtocolMustDecodeItsOwnSamples() {
        ReportProperties report = new ReportProperties(MessageHeader.of("1", "p", "d", 0), Map.of("t", 1));
        assertThat(ProtocolCheck.check(protocol("good", m -> List.of(report), Set.of(Transport.TCP)))).isEqualTo("good");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("boom", m -> {
            throw new ArrayIndexOutOfBoundsException("3");
        }, Set.of(Transport.TCP)))).hasMessageContaining("protocol boom failed its check: its codec failed on its own sample 1")
                .hasMessageContaining("ArrayIndexOutOfBounds");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("missing", m -> {
            throw new NoClassDefFoundError("com/example/Frames");
        }, Set.of(Transport.TCP)))).hasMessageContaining("NoClassDefFoundError: com/example/Frames");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("refuses", m -> {
            throw new CodecException(ErrorCode.MALFORMED, "bad byte 0");
        }, Set.of(Transport.TCP)))).hasMessageContaining("refuses its own sample 1: bad byte 0");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("empty", m -> List.of(), Set.of(Transport.TCP))))
                .hasMessageContaining("to no message");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("udp", m -> List.of(report), Set.of(Transport.UDP))))
                .hasMessageContaining("sample 1 is for TCP, which the protocol does not support");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("none", m -> List.of(report), Set.of())))
                .hasMessageContaining("transports() names no transport");
        assertThatThrownBy(() -> ProtocolCheck.check(protocol("bad id!", m -> List.of(report), Set.of(Transport.TCP))))
                .hasMessageContaining("protocol id");
    }
}
