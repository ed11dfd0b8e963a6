package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.resources.ProtocolResource.UrlBody;
import io.thingport.rest.internal.resources.ProtocolSources.Part;
import io.thingport.rest.internal.resources.ProtocolSources.Upload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.cxf.jaxrs.ext.multipart.Attachment;
import org.apache.cxf.jaxrs.ext.multipart.ContentDisposition;
import org.apache.cxf.jaxrs.ext.multipart.MultipartBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolResourceTest {
    private static final byte[] JAR = { 'P', 'K', 3, 4, 1, 2, 3 };

    @TempDir
    Path tmp;

    /** A package service that records each call, and what the staged file held while it ran. */
    static final class RecordingPackages implements ProtocolPackageService {
        final List<String> calls = new ArrayList<>();
        Path source;
        byte[] read;
        String permissions;
        RuntimeException failWith;

        @Override
        public ProtocolPackageInfo add(String type, String source, String sha256, String name, String description) {
            calls.add("add " + type + " " + sha256 + " " + name + " " + description);
            return read(source);
        }

        @Override
        public ProtocolPackageInfo update(String id, String source, String sha256, String name, String description) {
            calls.add("update " + id + " " + (source == null ? "keep" : "new") + " " + sha256 + " " + name + " " + description);
            return source == null ? pkg("compact") : read(source);
        }

        private ProtocolPackageInfo read(String s) {
            if (!s.startsWith("/")) {
                source = null;
                calls.add("url " + s);
                return pkg("compact");
            }
            source = Path.of(s);
            try {
                read = Files.readAllBytes(source);
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(source.getParent()));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (failWith != null) {
                throw failWith;
            }
            return pkg("compact");
        }

        @Override
        public void delete(String id) {
            calls.add("delete " + id);
        }

        @Override
        public List<ProtocolPackageInfo> list() {
            return List.of(pkg("compact"));
        }

        @Override
        public Optional<ProtocolPackageInfo> info(String id) {
            return Optional.of(pkg(id)).filter(p -> p.id().equals("compact"));
        }

        private static ProtocolPackageInfo pkg(String id) {
            return new ProtocolPackageInfo(id, "Compact", "", TYPE_JAR, "x", "1.0", Set.of(), "running", "", "ab", 1,
                    Instant.EPOCH, Instant.EPOCH, List.of(), false);
        }
    }

    private final RecordingPackages packages = new RecordingPackages();

    private ProtocolResource resource() {
        return Callers.as(Callers.ADMIN, new ProtocolResource(packages, tmp.toString()));
    }

    private static Attachment part(String field, String fileName, byte[] bytes) {
        String disposition = "form-data; name=\"" + field + "\"" + (fileName == null ? "" : "; filename=\"" + fileName + "\"");
        return new Attachment(field, new ByteArrayInputStream(bytes), new ContentDisposition(disposition));
    }

    private long leftInTmp() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.count();
        }
    }

    // Verifies that a multipart form becomes the jar, its file name and the texts, read from CXF's attachments.
    @Test
    void readsAMultipartForm() {
        // GIVEN a form with the jar, a name and a checksum
        MultipartBody form = new MultipartBody(List.of(part("file", "C:\\build\\compact 1.0.jar", JAR),
                part("name", null, "Compact".getBytes(StandardCharsets.UTF_8)),
                part("sha256", null, "ab".repeat(32).getBytes(StandardCharsets.UTF_8))));

        // WHEN it is read
        Upload u = ProtocolSources.fromParts(ProtocolResource.parts(form));

        // THEN
        assertThat(u.jar()).isEqualTo(JAR);
        assertThat(u.fileName()).isEqualTo("compact_1.0.jar");
        assertThat(u.name()).isEqualTo("Compact");
        assertThat(u.description()).isNull();
        assertThat(u.sha256()).isEqualTo("ab".repeat(32));
    }

    // Verifies that a form with an unknown field, a field twice or an empty file is refused naming the field.
    @Test
    void refusesAFormThatIsNotAPackage() {
        // GIVEN / WHEN / THEN
        assertThatThrownBy(() -> ProtocolSources.fromParts(List.of(new Part("url", null, new byte[1]))))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("url");
        assertThatThrownBy(() -> ProtocolSources.fromParts(List.of(new Part("name", null, new byte[1]),
                new Part("name", null, new byte[1])))).extracting(e -> ((FieldException) e).field()).isEqualTo("name");
        assertThatThrownBy(() -> ProtocolSources.fromParts(List.of(new Part("file", "a.jar", new byte[0]))))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("file");
        assertThatThrownBy(() -> ProtocolSources.fromParts(List.of(new Part("name", null, new byte[] { (byte) 0xC3 }))))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("name");
    }

    // Verifies that an uploaded file name can name nothing but a jar in the staging directory.
    @Test
    void stagesUnderASafeJarName() {
        // GIVEN / WHEN / THEN
        assertThat(ProtocolSources.fileName("../../etc/passwd")).isEqualTo("passwd.jar");
        assertThat(ProtocolSources.fileName("..")).isEqualTo(ProtocolSources.DEFAULT_FILE_NAME);
        assertThat(ProtocolSources.fileName(null)).isEqualTo(ProtocolSources.DEFAULT_FILE_NAME);
        assertThat(ProtocolSources.fileName("proto.ZIP")).isEqualTo("proto.ZIP");
        assertThat(ProtocolSources.fileName("x".repeat(300) + ".jar")).hasSize(ProtocolSources.MAX_FILE_NAME).endsWith(".jar");
    }

    // Verifies that only https: and http: URLs without credentials are taken; a path or file: URL is for the shell.
    @Test
    void takesOnlyDownloadUrls() {
        // GIVEN / WHEN / THEN
        assertThat(ProtocolSources.url(" https://repo.example/p.jar ")).isEqualTo("https://repo.example/p.jar");
        assertThat(ProtocolSources.url("http://repo.example/p.jar")).isEqualTo("http://repo.example/p.jar");
        for (String refused : List.of("/opt/p.jar", "file:/opt/p.jar", "ftp://repo.example/p.jar", "jar:file:/x!/",
                "https://user:pw@repo.example/p.jar", "https:///p.jar", "")) {
            assertThatThrownBy(() -> ProtocolSources.url(refused)).as(refused).isInstanceOf(FieldException.class)
                    .extracting(e -> ((FieldException) e).field()).isEqualTo("url");
        }
    }

    // Verifies that an upload is handed to the service as a jar file in a private directory, deleted once it answered.
    @Test
    void stagesAnUploadForTheServiceAndDeletesIt() throws IOException {
        // GIVEN an uploaded jar with a description
        Upload upload = new Upload(JAR, "compact.jar", null, "d", null);

        // WHEN it is installed
        resource().add(upload);

        // THEN the service read the bytes from a .jar file only the platform's user may enter, and nothing is left
        assertThat(packages.calls).containsExactly("add jar null null d");
        assertThat(packages.read).isEqualTo(JAR);
        assertThat(packages.source.getFileName().toString()).isEqualTo("compact.jar");
        assertThat(packages.source.getParent().getParent()).isEqualTo(tmp);
        if (packages.permissions != null) {
            assertThat(packages.permissions).isEqualTo("rwx------");
        }
        assertThat(packages.source).doesNotExist();
        assertThat(leftInTmp()).isZero();
    }

    // Verifies that the staged upload is deleted when the service refuses the package too.
    @Test
    void deletesTheUploadWhenRefused() throws IOException {
        // GIVEN a service that refuses the jar
        packages.failWith = ThingportException.invalidArgument("the package fails");

        // WHEN / THEN the refusal is the answer and nothing is left behind
        assertThatThrownBy(() -> resource().add(new Upload(JAR, "p.jar", null, null, null)))
                .hasMessage("the package fails");
        assertThat(leftInTmp()).isZero();
    }

    // Verifies that an update without a jar changes only the texts, and a raw body without bytes is refused.
    @Test
    void updatesTextsWithoutAJar() {
        // GIVEN / WHEN
        resource().update("compact", new Upload(null, "upload.jar", "New name", null, null));

        // THEN
        assertThat(packages.calls).containsExactly("update compact keep null New name null");
        assertThatThrownBy(() -> resource().update("compact", new Upload(null, "upload.jar", null, null, null)))
                .isInstanceOf(FieldException.class);
        assertThatThrownBy(() -> ProtocolSources.fromBody(new byte[0], null, null, null)).isInstanceOf(FieldException.class);
    }

    // Verifies that a URL body is handed to the service as the jar's source with its checksum.
    @Test
    void installsFromAUrl() {
        // GIVEN / WHEN
        resource().addUrl(new UrlBody("http://repo.example/p.jar", "cd".repeat(32), "P", null));

        // THEN
        assertThat(packages.calls).containsExactly("add jar " + "cd".repeat(32) + " P null", "url http://repo.example/p.jar");
        assertThatThrownBy(() -> resource().addUrl(new UrlBody("/etc/p.jar", null, null, null)))
                .isInstanceOf(FieldException.class);
    }

    // Verifies that an admin limited to some products may not manage protocol packages.
    @Test
    void refusesACallerLimitedToSomeProducts() {
        // GIVEN / WHEN / THEN
        ProtocolResource limited = Callers.as(Callers.LIMITED_ADMIN, new ProtocolResource(packages, tmp.toString()));
        assertThatThrownBy(() -> limited.delete("compact")).extracting(e -> ((ThingportException) e).code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(packages.calls).isEmpty();
    }
}
