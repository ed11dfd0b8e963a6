package io.thingport.core.internal.protocol;

import io.thingport.api.ThingportException;
import io.thingport.core.internal.storage.RowMapper;
import io.thingport.core.internal.storage.Storage;
import java.time.Instant;
import java.util.List;

/**
 * The stored protocol packages, in the {@code protocol_package} table: one row per package with the bundle bytes of
 * its current revision, so that a package survives a restart with a clean framework cache. All of the table's SQL is
 * here; the rows are kept in memory by the package service, which reads them once at start.
 */
final class PackageStore {
    private static final String COLUMNS = "id, name, description, type, source, version, sha256, revision, location, installed_at,"
            + " updated_at";
    private static final RowMapper<Row> ROW = rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), Instant.ofEpochMilli(rs.getLong(10)),
            Instant.ofEpochMilli(rs.getLong(11)));

    private final Storage storage;

    /** A stored package (without its content). */
    record Row(String id, String name, String description, String type, String source, String version, String sha256,
               int revision, String location, Instant installedAt, Instant updatedAt) {
    }

    PackageStore(Storage storage) {
        this.storage = storage;
    }

    /** Every stored package, by id. */
    List<Row> all() {
        return storage.query("SELECT " + COLUMNS + " FROM protocol_package ORDER BY id", ROW);
    }

    /** The bundle bytes of a package's current revision. */
    byte[] content(String id) {
        return storage.queryOne("SELECT content FROM protocol_package WHERE id = ?", rs -> rs.getBytes(1), id)
                .orElseThrow(() -> ThingportException.notFound("protocol package content", id));
    }

    void insert(Row row, byte[] content) {
        storage.transaction(c -> Storage.update(c, "INSERT INTO protocol_package (" + COLUMNS + ", content)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.id(), row.name(), row.description(), row.type(), row.source(),
                row.version(), row.sha256(), row.revision(), row.location(), row.installedAt().toEpochMilli(),
                row.updatedAt().toEpochMilli(), content));
    }

    /** Stores a new revision: its code and what describes it. */
    void updateRevision(Row row, byte[] content) {
        storage.transaction(c -> Storage.update(c, "UPDATE protocol_package SET name = ?, description = ?, source = ?, version = ?,"
                + " sha256 = ?, revision = ?, location = ?, content = ?, updated_at = ? WHERE id = ?", row.name(), row.description(),
                row.source(), row.version(), row.sha256(), row.revision(), row.location(), content, row.updatedAt().toEpochMilli(),
                row.id()));
    }

    /** Stores a new name and description; the code stays. */
    void updateTexts(Row row) {
        storage.transaction(c -> Storage.update(c, "UPDATE protocol_package SET name = ?, description = ?, updated_at = ? WHERE id = ?",
                row.name(), row.description(), row.updatedAt().toEpochMilli(), row.id()));
    }

    void delete(String id) {
        storage.transaction(c -> Storage.update(c, "DELETE FROM protocol_package WHERE id = ?", id));
    }
}
