package io.thingport.api.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An installed protocol package, as {@code iot:protocol-list} and {@code iot:protocol-info} show it.
 *
 * @param id          the protocol id gateways name ({@link ProtocolSupport#id()})
 * @param name        the operator's name for it (at most 64 characters; by default the protocol's name)
 * @param description the operator's note (at most 200 characters)
 * @param type        {@code builtin} (a platform feature), {@code jar} (a jar file or URL) or {@code local} (a folder
 *                    of compiled classes, reloaded when it changes)
 * @param source      the jar's file or URL, the folder, or for a built-in the bundle
 * @param version     the running version ({@link ProtocolSupport#version()})
 * @param state       {@code running}; {@code starting} while a stored package is installed again after a start;
 *                    {@code failed} when the stored package cannot start
 * @param detail      why it failed, what the last refused update or reload said, or why the last update was rolled
 *                    back; {@code ""} when all is well
 * @param sha256      the installed jar's SHA-256 (hex), {@code ""} for built-ins
 * @param revision    1 for the first install, one more for each accepted update (a rollback goes back to the number of
 *                    the revision it restores)
 * @param gateways    the gateways configured with this protocol
 */
public record ProtocolPackageInfo(String id, String name, String description, String type, String source, String version,
                                  Set<Transport> transports, String state, String detail, String sha256, int revision,
                                  Instant installedAt, Instant updatedAt, List<String> gateways, boolean thingModelCodec) {
}
