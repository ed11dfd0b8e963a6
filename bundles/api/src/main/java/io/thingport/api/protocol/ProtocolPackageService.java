package io.thingport.api.protocol;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, updates and removes protocol packages while the platform runs (seed 002, 协议管理). Every method returns
 * once the change is live or refused; a refused change leaves the previous package running and nothing behind.
 */
@ProviderType
public interface ProtocolPackageService {
    String TYPE_JAR = "jar";
    String TYPE_LOCAL = "local";
    String TYPE_BUILTIN = "builtin";
    int MAX_NAME = 64;
    int MAX_DESCRIPTION = 200;

    /**
     * Installs a package.
     *
     * @param type        {@link #TYPE_JAR} (source: a .jar/.zip file path or a URL) or {@link #TYPE_LOCAL} (source: an
     *                    absolute folder of compiled classes, e.g. {@code /src/protocol/target/classes})
     * @param name        at most 64 characters, or {@code null} for the protocol's own name
     * @param description at most 200 characters, or {@code null}
     * @param sha256      the expected SHA-256 of the jar (64 hex digits), checked before anything is installed; required
     *                    for a plain {@code http:} URL, refused for a folder; or {@code null}
     * @throws io.thingport.api.ThingportException naming what is wrong: the source, the checksum, the jar, the protocol it
     *                                              registers (or fails to), or a protocol id already installed
     */
    ProtocolPackageInfo add(String type, String source, String sha256, String name, String description);

    /** {@link #add(String, String, String, String, String)} without an expected checksum. */
    default ProtocolPackageInfo add(String type, String source, String name, String description) {
        return add(type, source, null, name, description);
    }

    /**
     * Replaces a package's code with a new jar (or re-reads its folder) and/or edits its name and description. The type
     * cannot change. New messages use the new codecs; connected devices stay connected.
     *
     * @param source a new jar/URL (type jar) or folder (type local), or {@code null} to keep the code
     * @param sha256 the expected SHA-256 of the new jar, as for {@link #add(String, String, String, String, String)}
     */
    ProtocolPackageInfo update(String id, String source, String sha256, String name, String description);

    /** {@link #update(String, String, String, String, String)} without an expected checksum. */
    default ProtocolPackageInfo update(String id, String source, String name, String description) {
        return update(id, source, null, name, description);
    }

    /** Removes a package; refused while a gateway is configured with its protocol. */
    void delete(String id);

    List<ProtocolPackageInfo> list();

    /** A package by its protocol id (built-ins included). */
    Optional<ProtocolPackageInfo> info(String id);
}
