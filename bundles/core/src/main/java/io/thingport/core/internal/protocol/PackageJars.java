package io.thingport.core.internal.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageService;
import io.thingport.api.protocol.ProtocolSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads protocol package sources (a jar file, a URL, a folder of compiled classes) into bundle bytes: a bundle is kept
 * as it is, a plain jar or folder gets a generated manifest that imports the Thingport API.
 */
final class PackageJars {
    /** A package larger than this is refused (the platform keeps every package in its database). */
    static final int MAX_SIZE = 64 * 1024 * 1024;
    /** What a package's entries may expand to in all: a jar that inflates to more is refused (a zip bomb). */
    static final long MAX_EXPANDED = 256L * 1024 * 1024;
    static final int MAX_ENTRIES = 65_536;
    static final String SERVICES_ENTRY = "META-INF/services/" + ProtocolSupport.class.getName();
    static final String API_IMPORTS = "io.thingport.api;version=\"[1.0,2)\",io.thingport.api.device;version=\"[1.1,2)\","
            + "io.thingport.api.message;version=\"[1.0,2)\",io.thingport.api.model;version=\"[1.0,2)\","
            + "io.thingport.api.network;version=\"[1.0,2)\",io.thingport.api.protocol;version=\"[1.1,2)\"";
    private static final int TIMEOUT_MS = 30_000;

    private PackageJars() {
    }

    /** What a jar holds, as far as installing it is concerned. */
    record Inspection(byte[] bytes, String symbolicName, List<String> serviceClasses, boolean declaresComponent) {
        boolean isBundle() {
            return symbolicName != null;
        }
    }

    /** A package source read into the bytes of a bundle, with what its jar declares and the source's SHA-256. */
    record Prepared(byte[] bundleBytes, Inspection inspection, String sha256) {
    }

    /**
     * Reads a package source ({@code jar}: a file or URL, {@code local}: a folder) into bytes ready to install: a plain
     * jar is wrapped into a bundle, and every install gets its own version qualifier. The SHA-256 is the source's (a
     * folder's content hash), so that the same code offered again can be recognised; a jar whose SHA-256 is not the
     * {@code expectedSha256} (when given) is refused before anything else.
     */
    static Prepared prepare(String type, String source, String expectedSha256) {
        byte[] raw;
        String sha;
        String what;
        if (type.equals(ProtocolPackageService.TYPE_LOCAL)) {
            Path folder = Path.of(source);
            raw = packFolder(folder);
            sha = folderHash(folder);
            what = "folder " + source;
        } else {
            raw = readJar(source);
            sha = sha256(raw);
            what = source;
            if (expectedSha256 != null && !expectedSha256.equals(sha)) {
                throw ThingportException.invalidArgument("the SHA-256 of " + source + " is " + sha + ", not the expected "
                        + expectedSha256 + ": nothing installed");
            }
        }
        Inspection inspection = inspect(raw, what);
        byte[] bundle = inspection.isBundle() ? raw : wrap(raw, "thingport.protocol." + sha.substring(0, 12), "0.0.0");
        String tag = Long.toString(System.currentTimeMillis(), 36) + Long.toString(System.nanoTime() % 1_000_000, 36);
        return new Prepared(withInstallQualifier(bundle, tag), inspection, sha);
    }

    /** The bytes of a {@code jar} source: a file path (.jar or .zip) or a file:, http: or https: URL. */
    static byte[] readJar(String source) {
        String s = source.trim();
        if (s.startsWith("http://") || s.startsWith("https://") || s.startsWith("file:")) {
            return readUrl(s);
        }
        Path path = Path.of(s);
        String lower = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".jar") && !lower.endsWith(".zip")) {
            throw ThingportException.invalidArgument("a jar package must be a .jar or .zip file, not " + s);
        }
        if (!Files.isRegularFile(path)) {
            throw ThingportException.invalidArgument("jar file " + path.toAbsolutePath() + " does not exist");
        }
        try {
            if (Files.size(path) > MAX_SIZE) {
                throw ThingportException.invalidArgument("jar file " + path + " is larger than " + MAX_SIZE / 1024 / 1024 + " MiB");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw ThingportException.invalidArgument("cannot read jar file " + path + ": " + e.getMessage());
        }
    }

    private static byte[] readUrl(String url) {
        try {
            URL u = URI.create(url).toURL();
            URLConnection c = u.openConnection();
            c.setConnectTimeout(TIMEOUT_MS);
            c.setReadTimeout(TIMEOUT_MS);
            if (c instanceof HttpURLConnection http && http.getResponseCode() != 200) {
                throw ThingportException.invalidArgument("downloading " + url + " failed: HTTP " + http.getResponseCode() + " "
                        + http.getResponseMessage());
            }
            try (InputStream in = c.getInputStream()) {
                byte[] bytes = in.readNBytes(MAX_SIZE + 1);
                if (bytes.length > MAX_SIZE) {
                    throw ThingportException.invalidArgument(url + " is larger than " + MAX_SIZE / 1024 / 1024 + " MiB");
                }
                return bytes;
            }
        } catch (IllegalArgumentException | IOException e) {
            throw ThingportException.invalidArgument("cannot download " + url + ": " + e.getMessage());
        }
    }

    /** Packs a folder of compiled classes (and resources) into a jar, its own META-INF/MANIFEST.MF included if any. */
    static byte[] packFolder(Path folder) {
        if (!folder.isAbsolute()) {
            throw ThingportException.invalidArgument("a local package is an absolute folder path (e.g. /src/protocol/target/classes),"
                    + " not " + folder);
        }
        if (!Files.isDirectory(folder)) {
            throw ThingportException.invalidArgument("folder " + folder + " does not exist");
        }
        Manifest manifest = null;
        Path mf = folder.resolve("META-INF/MANIFEST.MF");
        try {
            if (Files.isRegularFile(mf)) {
                try (InputStream in = Files.newInputStream(mf)) {
                    manifest = new Manifest(in);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest);
                 Stream<Path> files = Files.walk(folder)) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    String name = folder.relativize(p).toString().replace('\\', '/');
                    if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF")) {
                        continue;
                    }
                    if (Files.isDirectory(p)) {
                        jar.putNextEntry(new JarEntry(name + "/"));
                    } else {
                        jar.putNextEntry(new JarEntry(name));
                        Files.copy(p, jar);
                    }
                    jar.closeEntry();
                    if (out.size() > MAX_SIZE) {
                        throw ThingportException.invalidArgument("folder " + folder + " holds more than " + MAX_SIZE / 1024 / 1024
                                + " MiB");
                    }
                }
            }
            return out.toByteArray();
        } catch (IOException | UncheckedIOException e) {
            throw ThingportException.invalidArgument("cannot read folder " + folder + ": " + e.getMessage());
        }
    }

    /** The class names of a META-INF/services file (comments and blank lines dropped). */
    static List<String> serviceLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String cls = line.replaceAll("#.*", "").trim();
            if (!cls.isEmpty()) {
                out.add(cls);
            }
        }
        return out;
    }

    /** The SHA-256 of a folder's content (file names and bytes, in name order), independent of timestamps. */
    static String folderHash(Path folder) {
        MessageDigest digest = sha256();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                digest.update(folder.relativize(p).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(p));
            }
        } catch (IOException | UncheckedIOException e) {
            throw ThingportException.invalidArgument("cannot read folder " + folder + ": " + e.getMessage());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A fingerprint of a folder's files (names, sizes, modification times), to notice a rebuild. */
    static String fingerprint(Path folder) {
        MessageDigest digest = sha256();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                digest.update((folder.relativize(p) + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            return "unreadable: " + e.getMessage();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Reads a jar's manifest and protocol declarations; refuses bytes that are not a jar, or that expand too much. */
    static Inspection inspect(byte[] bytes, String what) {
        return inspect(bytes, what, MAX_EXPANDED);
    }

    static Inspection inspect(byte[] bytes, String what, long maxExpanded) {
        String symbolicName = null;
        long[] expanded = {0};
        List<String> services = new ArrayList<>();
        boolean component = false;
        int entries = 0;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(bytes))) {
            Manifest manifest = jar.getManifest();
            if (manifest != null) {
                String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
                symbolicName = bsn == null || bsn.isBlank() ? null : bsn.split(";")[0].trim();
            }
            for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                if (++entries > MAX_ENTRIES) {
                    throw ThingportException.invalidArgument(what + " has more than " + MAX_ENTRIES + " entries");
                }
                // Every entry is read whole, whatever its header claims, so that what it inflates to is counted.
                byte[] content = readEntry(jar, expanded, maxExpanded, what);
                if (e.getName().equals(SERVICES_ENTRY)) {
                    services.addAll(serviceLines(new String(content, StandardCharsets.UTF_8)));
                } else if (e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                    component |= new String(content, StandardCharsets.UTF_8).contains(ProtocolSupport.class.getName());
                }
            }
        } catch (ZipException e) {
            throw ThingportException.invalidArgument(what + " is not a jar: " + e.getMessage());
        } catch (IOException | SecurityException e) {
            throw ThingportException.invalidArgument("cannot read " + what + ": " + e.getMessage());
        }
        if (entries == 0) {
            throw ThingportException.invalidArgument(what + " is not a jar (no entries)");
        }
        if (services.isEmpty() && !component) {
            throw ThingportException.invalidArgument(what + " declares no protocol: list the ProtocolSupport class in "
                    + SERVICES_ENTRY + " (or register it with Declarative Services)");
        }
        return new Inspection(bytes, symbolicName, List.copyOf(services), component);
    }

    /** The current entry's bytes (kept only for small entries), adding what it inflates to to {@code expanded}. */
    private static byte[] readEntry(JarInputStream jar, long[] expanded, long max, String what) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n = jar.read(buffer); n >= 0; n = jar.read(buffer)) {
            expanded[0] += n;
            if (expanded[0] > max) {
                throw ThingportException.invalidArgument(what + " expands to more than " + max / 1024 / 1024 + " MiB (a zip bomb?):"
                        + " refused");
            }
            if (kept.size() < 1024 * 1024) {
                kept.write(buffer, 0, n);
            }
        }
        return kept.toByteArray();
    }

    /**
     * A plain jar as a bundle: the same entries under a generated manifest that imports the Thingport API (and,
     * dynamically, whatever else the platform exports).
     */
    static byte[] wrap(byte[] plain, String symbolicName, String version) {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Name", "Thingport protocol package " + symbolicName + " (wrapped by Thingport)");
        a.putValue("Import-Package", API_IMPORTS);
        a.putValue("DynamicImport-Package", "*");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(plain));
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName();
                if (name.equalsIgnoreCase("META-INF/MANIFEST.MF") || name.equalsIgnoreCase("META-INF/")
                        || name.matches("(?i)META-INF/[^/]+\\.(SF|RSA|DSA|EC)")) {
                    continue; // the generated manifest replaces it, and signatures would no longer match
                }
                jar.putNextEntry(new JarEntry(name));
                in.transferTo(jar);
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw ThingportException.invalidArgument("cannot wrap the jar: " + e.getMessage());
        }
        return out.toByteArray();
    }

    /**
     * The bundle with a Bundle-Version qualifier unique to this install ({@code 1.0.0} becomes
     * {@code 1.0.0.tp<tag>}, {@code 1.0.0.beta} becomes {@code 1.0.0.beta-tp<tag>}): the framework refuses two bundles
     * with the same symbolic name and version, and an update runs the new revision beside the old one for a moment.
     */
    static byte[] withInstallQualifier(byte[] bundle, String tag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bundle))) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes a = manifest.getMainAttributes();
            String[] v = (a.getValue("Bundle-Version") == null ? "0.0.0" : a.getValue("Bundle-Version").trim()).split("\\.", 4);
            String major = v.length > 0 && !v[0].isEmpty() ? v[0] : "0";
            String minor = v.length > 1 ? v[1] : "0";
            String micro = v.length > 2 ? v[2] : "0";
            String qualifier = v.length > 3 ? v[3] + "-tp" + tag : "tp" + tag;
            a.putValue("Bundle-Version", major + "." + minor + "." + micro + "." + qualifier);
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    String name = e.getName();
                    if (name.matches("(?i)META-INF/[^/]+\\.(SF|RSA|DSA|EC)")) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(name));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ThingportException.invalidArgument("cannot read the bundle's manifest: " + e.getMessage());
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
