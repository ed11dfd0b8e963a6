package io.thingport.rest.internal.resources;

import io.thingport.rest.internal.http.FieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a protocol package may come from through the API, read the one way: an upload (the jar's bytes, as a
 * {@code multipart/form-data} part or the whole body) or an {@code https:}/{@code http:} URL the platform downloads. The
 * shell may also name a file or folder on the platform's host; a caller of the API is somewhere else and may not, so a
 * path, a {@code file:} URL and a local folder are refused here. A plain {@code http:} download needs the jar's SHA-256:
 * the protocol package service refuses one without, as it does for the shell.
 */
final class ProtocolSources {
    static final String FILE = "file";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String SHA256 = "sha256";
    static final Set<String> FIELDS = Set.of(FILE, NAME, DESCRIPTION, SHA256);
    static final String DEFAULT_FILE_NAME = "upload.jar";
    static final int MAX_FILE_NAME = 100;

    private ProtocolSources() {
    }

    /** One part of a {@code multipart/form-data} body: the form field it is, its file name if any, and its bytes. */
    record Part(String field, String fileName, byte[] bytes) {
    }

    /**
     * A package sent as an upload, and what goes with it; each text is {@code null} when not sent.
     *
     * @param jar      the jar's bytes, or {@code null} when none was sent (an update of the name or description only)
     * @param fileName the name to stage the jar under (always a {@code .jar} or {@code .zip} name)
     */
    record Upload(byte[] jar, String fileName, String name, String description, String sha256) {
    }

    /**
     * The upload a multipart form holds: field {@code file} (the jar), and optionally {@code name}, {@code description}
     * and {@code sha256} as text. Another field, a field sent twice, or a text that is not UTF-8 is refused, naming it.
     */
    static Upload fromParts(List<Part> parts) {
        Map<String, Part> byField = new HashMap<>();
        for (Part p : parts) {
            String field = p.field() == null ? "" : p.field();
            if (!FIELDS.contains(field)) {
                throw new FieldException(field.isEmpty() ? "body" : field, "unknown form field '" + field + "' (known: file,"
                        + " name, description, sha256)");
            }
            if (byField.put(field, p) != null) {
                throw new FieldException(field, "form field " + field + " is sent more than once");
            }
        }
        Part file = byField.get(FILE);
        if (file != null && file.bytes().length == 0) {
            throw new FieldException(FILE, "the file is empty");
        }
        return new Upload(file == null ? null : file.bytes(), fileName(file == null ? null : file.fileName()),
                text(byField.get(NAME)), text(byField.get(DESCRIPTION)), text(byField.get(SHA256)));
    }

    /** The upload a whole body is: the jar's bytes, with the texts from the query. */
    static Upload fromBody(byte[] body, String name, String description, String sha256) {
        if (body == null || body.length == 0) {
            throw new FieldException("body", "the request has no body: send the jar's bytes");
        }
        return new Upload(body, DEFAULT_FILE_NAME, name, description, sha256);
    }

    /**
     * A URL the platform may download a package from: absolute, {@code https:} or {@code http:}, with a host and without
     * user credentials (they would be stored and shown as the package's source).
     */
    static String url(String url) {
        if (url == null || url.isBlank()) {
            throw new FieldException("url", "url is required: the https: (or http: with sha256) address of the jar");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new FieldException("url", "url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new FieldException("url", "url must be an https: or http: address of the jar, not '" + url.trim() + "': a file"
                    + " or folder on the platform's host can be installed from the shell only (or upload the jar)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new FieldException("url", "url has no host: " + url.trim());
        }
        if (uri.getRawUserInfo() != null) {
            throw new FieldException("url", "url must not hold a user name or password (it is kept and shown as the"
                    + " package's source)");
        }
        return uri.toString();
    }

    /**
     * The name an uploaded jar is staged under: the last part of the name sent, with only letters, digits and {@code . _ -}
     * kept, ending in {@code .jar} or {@code .zip} (the package service installs those only).
     */
    static String fileName(String given) {
        String base = given == null ? "" : given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1);
        String safe = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
        if (safe.isEmpty()) {
            return DEFAULT_FILE_NAME;
        }
        String lower = safe.toLowerCase(Locale.ROOT);
        String named = lower.endsWith(".jar") || lower.endsWith(".zip") ? safe : safe + ".jar";
        return named.length() <= MAX_FILE_NAME ? named : named.substring(named.length() - MAX_FILE_NAME);
    }

    private static String text(Part p) {
        if (p == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(p.bytes())).toString();
        } catch (CharacterCodingException e) {
            throw new FieldException(p.field(), "form field " + p.field() + " is not UTF-8 text");
        }
    }
}
