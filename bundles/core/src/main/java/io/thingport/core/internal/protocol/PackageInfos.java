package io.thingport.core.internal.protocol;

import static io.thingport.api.protocol.ProtocolPackageService.TYPE_BUILTIN;

import io.thingport.api.protocol.ProtocolPackageInfo;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.Transport;
import io.thingport.core.internal.protocol.PackageStore.Row;
import io.thingport.core.internal.protocol.ProtocolRegistryImpl.Tracked;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@code iot:protocol-list} and {@code iot:protocol-info} show of a protocol: its stored package (if any) and the
 * protocol that serves it now. A package's own code may throw when asked; then the stored value, or a neutral one, shows.
 */
final class PackageInfos {
    /** The detail of a stored package while it is installed again after a start (its state is {@code starting}). */
    static final String STARTING = "the stored package is being started";

    private PackageInfos() {
    }

    /**
     * @param row     the stored package, or {@code null} for a built-in
     * @param live    the service whose protocol serves the id, or {@code null} when none does
     * @param problem why the package is not running or what its last refused update said, or {@code ""}
     */
    static Optional<ProtocolPackageInfo> of(String id, Row row, Tracked live, String problem, List<String> gateways) {
        ProtocolSupport protocol = live == null ? null : live.protocol();
        if (row == null && protocol == null) {
            return Optional.empty();
        }
        Set<Transport> transports = protocol == null ? Set.of() : safe(protocol::transports, Set.<Transport>of());
        boolean tmc = protocol != null && safe(() -> protocol.thingModelCodec().isPresent(), false);
        if (row == null) {
            return Optional.of(new ProtocolPackageInfo(id, safe(protocol::name, id), safe(protocol::description, ""), TYPE_BUILTIN,
                    "bundle " + live.bundleName(), safe(protocol::version, "?"), transports, "running", "", "", 0, null, null,
                    gateways, tmc));
        }
        String state = protocol != null ? "running" : STARTING.equals(problem) ? "starting" : "failed";
        return Optional.of(new ProtocolPackageInfo(id, row.name(), row.description(), row.type(), row.source(),
                protocol != null ? safe(protocol::version, row.version()) : row.version(), transports, state, problem, row.sha256(),
                row.revision(), row.installedAt(), row.updatedAt(), gateways, tmc));
    }

    /** What a package's own code answers, or {@code fallback} when it throws. */
    private static <T> T safe(Supplier<T> call, T fallback) {
        try {
            T value = call.get();
            return value == null ? fallback : value;
        } catch (RuntimeException | LinkageError e) {
            return fallback;
        }
    }
}
