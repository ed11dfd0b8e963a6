package io.thingport.core.internal.registry;

import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@code login_timestamp} table: each device's newest accepted login timestamp, so that a signed login is accepted
 * once (see {@code AuthContext.recordLogin}). The check and the record run as one piece of work in the transaction of
 * the device's storage writer: on one node, that writer's single thread orders them; across nodes, the conditional
 * update lets only one of two equal timestamps through.
 */
final class LoginTimestamps {
    private final Storage storage;

    LoginTimestamps(Storage storage) {
        this.storage = storage;
    }

    /** Records {@code timestamp} for the device if it is newer than the recorded one; whether it was. */
    boolean record(String deviceId, long timestamp) {
        return storage.transaction(deviceId, c -> record(c, deviceId, timestamp));
    }

    private static boolean record(Connection c, String deviceId, long timestamp) throws SQLException {
        if (Storage.update(c, "UPDATE login_timestamp SET last_login = ? WHERE device_id = ? AND last_login < ?", timestamp, deviceId,
                timestamp) == 1) {
            return true;
        }
        boolean known = !Storage.query(c, "SELECT 1 FROM login_timestamp WHERE device_id = ?", rs -> 1, deviceId).isEmpty();
        if (known) {
            return false;
        }
        Storage.update(c, "INSERT INTO login_timestamp (device_id, last_login) VALUES (?, ?)", deviceId, timestamp);
        return true;
    }
}
