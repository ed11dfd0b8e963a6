package io.thingport.core.internal.access;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.Role;
import io.thingport.core.internal.storage.Storage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Applications in the table {@code api_application} (migration V12): their products and allowed sources as
 * comma-separated lists (neither a product id nor an address holds a comma), times in epoch milliseconds, the secret
 * sealed ({@link SecretSeal}).
 */
final class ApplicationStore {
    /** An application as stored, with its sealed secret. */
    record Stored(ApplicationInfo info, String sealedSecret) {
        @Override
        public String toString() {
            return "Stored[" + info + "]";
        }
    }

    private static final String COLUMNS = "id, name, role, products, allowed_sources, expires_at, created_at, rotated_at, revoked,"
            + " sealed_secret";

    private final Storage storage;

    ApplicationStore(Storage storage) {
        this.storage = storage;
    }

    List<Stored> all() {
        return storage.query("SELECT " + COLUMNS + " FROM api_application ORDER BY created_at, id", ApplicationStore::row);
    }

    Optional<Stored> get(String id) {
        return storage.queryOne("SELECT " + COLUMNS + " FROM api_application WHERE id = ?", ApplicationStore::row, id);
    }

    /** Stores a new application, unless {@code max} are stored already or the id is taken ({@code CONFLICT}). */
    void insert(Stored s, int max) {
        ApplicationInfo a = s.info();
        storage.transaction(c -> {
            long count = Storage.query(c, "SELECT COUNT(*) FROM api_application", rs -> rs.getLong(1)).get(0);
            if (count >= max) {
                throw new ThingportException(ErrorCode.CONFLICT, "the platform holds " + max + " applications, its maximum:"
                        + " delete one first");
            }
            if (!Storage.query(c, "SELECT id FROM api_application WHERE id = ?", rs -> rs.getString(1), a.id()).isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "application " + a.id() + " already exists");
            }
            return Storage.update(c, "INSERT INTO api_application (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(),
                    a.name(), a.role().wireName(), String.join(",", new TreeSet<>(a.products())), String.join(",", a.allowedSources()),
                    a.expiresAt() == null ? null : a.expiresAt().toEpochMilli(), a.createdAt().toEpochMilli(),
                    a.rotatedAt().toEpochMilli(), a.revoked(), s.sealedSecret());
        });
    }

    /** Replaces the sealed secret of an application that is not revoked; {@code false} when there is none. */
    boolean updateSecret(String id, String sealedSecret, Instant rotatedAt) {
        return storage.transaction(c -> Storage.update(c, "UPDATE api_application SET sealed_secret = ?, rotated_at = ? WHERE id = ?"
                + " AND revoked = ?", sealedSecret, rotatedAt.toEpochMilli(), id, false)) == 1;
    }

    boolean revoke(String id) {
        return storage.transaction(c -> Storage.update(c, "UPDATE api_application SET revoked = ? WHERE id = ?", true, id)) == 1;
    }

    boolean delete(String id) {
        return storage.transaction(c -> Storage.update(c, "DELETE FROM api_application WHERE id = ?", id)) == 1;
    }

    private static Stored row(ResultSet rs) throws SQLException {
        long expires = rs.getLong(6);
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        Role role = Role.fromName(rs.getString(3));
        ApplicationInfo info = new ApplicationInfo(rs.getString(1), rs.getString(2), role == null ? Role.VIEWER : role,
                new TreeSet<>(list(rs.getString(4))), list(rs.getString(5)), expiresAt, Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8)), rs.getBoolean(9));
        return new Stored(info, rs.getString(10));
    }

    private static List<String> list(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }
}
