package io.thingport.core.internal.protocol;

import static io.thingport.api.protocol.ProtocolPackageService.MAX_DESCRIPTION;
import static io.thingport.api.protocol.ProtocolPackageService.MAX_NAME;
import static io.thingport.api.protocol.ProtocolPackageService.TYPE_JAR;
import static io.thingport.api.protocol.ProtocolPackageService.TYPE_LOCAL;

import io.thingport.api.ThingportException;
import java.util.Locale;

/** The rules for what an operator gives {@code iot:protocol-add} and {@code iot:protocol-update}, with the messages. */
final class PackageInputs {
    private PackageInputs() {
    }

    /** @return the package type, {@code jar} or {@code local} */
    static String type(String type) {
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        if (!t.equals(TYPE_JAR) && !t.equals(TYPE_LOCAL)) {
            throw ThingportException.invalidArgument("type must be jar (a .jar/.zip file or URL) or local (a folder of compiled"
                    + " classes), not '" + type + "'");
        }
        return t;
    }

    /** @return the source, trimmed */
    static String source(String source) {
        if (source == null || source.isBlank()) {
            throw ThingportException.invalidArgument("the package source is required: a jar file or URL (type jar) or a folder"
                    + " (type local)");
        }
        return source.trim();
    }

    /**
     * The expected SHA-256 of a package's jar in lower case, or {@code null} when none is given. A plain {@code http:}
     * download needs one (anyone on the way could swap the jar); a folder cannot have one.
     */
    static String expectedSha256(String type, String source, String sha256) {
        String sha = sha256 == null || sha256.isBlank() ? null : sha256.trim().toLowerCase(Locale.ROOT);
        if (sha != null && !sha.matches("[0-9a-f]{64}")) {
            throw ThingportException.invalidArgument("--sha256 must be the 64 hexadecimal digits of a SHA-256, not '" + sha256 + "'");
        }
        if (sha != null && type.equals(TYPE_LOCAL)) {
            throw ThingportException.invalidArgument("--sha256 checks a jar; a local folder has none (its content is hashed after"
                    + " reading)");
        }
        if (sha == null && source != null && source.trim().toLowerCase(Locale.ROOT).startsWith("http:")) {
            throw ThingportException.invalidArgument("a download over plain http: needs --sha256 <the jar's SHA-256>: anyone on the"
                    + " way could change the jar (or use https:)");
        }
        return sha;
    }

    /** Refuses a name or description that is too long, and a blank (but not empty) name. */
    static void checkTexts(String name, String description) {
        if (name != null && name.trim().length() > MAX_NAME) {
            throw ThingportException.invalidArgument("name is longer than " + MAX_NAME + " characters (" + name.trim().length() + ")");
        }
        if (name != null && name.isBlank() && !name.isEmpty()) {
            throw ThingportException.invalidArgument("name must not be blank");
        }
        if (description != null && description.trim().length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("description is longer than " + MAX_DESCRIPTION + " characters ("
                    + description.trim().length() + ")");
        }
    }

    /** The name to store: the one given, or else {@code fallback} (the protocol's own), cut to the maximum length. */
    static String nameOr(String name, String fallback) {
        String n = name == null || name.isBlank() ? fallback : name.trim();
        return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) : n;
    }

    /** The description to store: the one given, trimmed, or else {@code fallback}. */
    static String descriptionOr(String description, String fallback) {
        return description == null ? fallback : description.trim();
    }
}
