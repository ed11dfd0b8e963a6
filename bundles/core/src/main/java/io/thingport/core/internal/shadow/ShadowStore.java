package io.thingport.core.internal.shadow;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.core.internal.storage.Storage;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The {@code device_shadow} table. A change is a compare-and-set on the version the caller read, in the device's
 * storage partition (so it queues behind the device's own writes): {@link #save} answers {@code false} when another
 * writer, on this node or another, changed the shadow in between.
 */
final class ShadowStore {
    private final Storage storage;

    ShadowStore(Storage storage) {
        this.storage = storage;
    }

    Optional<StoredShadow> load(String deviceId) {
        return storage.queryOne("SELECT version, document FROM device_shadow WHERE device_id = ?",
                rs -> StoredShadow.fromJson(rs.getString(2), rs.getLong(1)), deviceId);
    }

    /**
     * Replaces the shadow read as {@code read} (its version; 0 for no row yet) by {@code next}; {@code false} when the row
     * is no longer at that version.
     *
     * @throws ThingportException {@code NOT_FOUND} when the device is gone
     */
    boolean save(String deviceId, StoredShadow read, StoredShadow next) {
        try {
            return write(deviceId, read, next);
        } catch (Lost e) {
            return false;
        }
    }

    private boolean write(String deviceId, StoredShadow read, StoredShadow next) {
        return storage.transaction(deviceId, c -> {
            if (Storage.query(c, "SELECT 1 FROM device WHERE id = ?", rs -> 1, deviceId).isEmpty()) {
                throw ThingportException.notFound("device", deviceId);
            }
            if (read.version() == 0) {
                if (!Storage.query(c, "SELECT 1 FROM device_shadow WHERE device_id = ?", rs -> 1, deviceId).isEmpty()) {
                    return false;
                }
                try {
                    Storage.update(c, "INSERT INTO device_shadow (device_id, version, document, updated_at) VALUES (?, ?, ?, ?)",
                            deviceId, next.version(), next.toJson(), next.updatedAt());
                    return true;
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        throw new Lost(); // another node inserted it first: roll back (PostgreSQL's transaction is void now)
                    }
                    throw e;
                }
            }
            return Storage.update(c, "UPDATE device_shadow SET version = ?, document = ?, updated_at = ? WHERE device_id = ?"
                    + " AND version = ?", next.version(), next.toJson(), next.updatedAt(), deviceId, read.version()) == 1;
        });
    }

    /** The row appeared between the check and the insert. */
    private static final class Lost extends ThingportException {
        Lost() {
            super(ErrorCode.CONFLICT, "the shadow was created concurrently");
        }
    }

    static ThingportException busy(String deviceId) {
        return new ThingportException(ErrorCode.UNAVAILABLE, "the shadow of device " + deviceId
                + " changed under every attempt to update it: try again");
    }
}
