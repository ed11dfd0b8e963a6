package io.thingport.core.internal.rules;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleVersion;
import io.thingport.core.internal.json.Json;
import io.thingport.core.internal.storage.Storage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rule definitions, their versions and the data sources, in the platform's database (migration V11). */
final class RuleStore {
    record Stored(RuleDefinition definition, int version, long updatedAt) {
    }

    private final Storage storage;

    RuleStore(Storage storage) {
        this.storage = storage;
    }

    List<Stored> all() {
        return storage.query("SELECT definition, version, updated_at FROM rule_definition ORDER BY id",
                rs -> new Stored(RuleJson.read(rs.getString(1), "stored rule"), rs.getInt(2), rs.getLong(3)));
    }

    Optional<Stored> get(String id) {
        return storage.queryOne("SELECT definition, version, updated_at FROM rule_definition WHERE id = ?",
                rs -> new Stored(RuleJson.read(rs.getString(1), "stored rule"), rs.getInt(2), rs.getLong(3)), id);
    }

    /**
     * Stores a new version of a rule and its history entry in one transaction: version 1 when {@code expected} is 0 (the
     * id must be free), else {@code expected + 1} (the stored version must still be {@code expected}).
     */
    Stored save(RuleDefinition rule, int expected, String change, long now) {
        String json = RuleJson.write(rule);
        int version = expected + 1;
        storage.transaction(c -> {
            if (expected == 0) {
                if (!Storage.query(c, "SELECT id FROM rule_definition WHERE id = ?", rs -> rs.getString(1), rule.id()).isEmpty()) {
                    throw new ThingportException(ErrorCode.CONFLICT, "a rule with id " + rule.id() + " already exists");
                }
                Storage.update(c, "DELETE FROM rule_version WHERE rule_id = ?", rule.id());
                Storage.update(c, "INSERT INTO rule_definition (id, version, enabled, definition, updated_at) VALUES (?, ?, ?, ?, ?)",
                        rule.id(), version, rule.enabled(), json, now);
            } else if (Storage.update(c, "UPDATE rule_definition SET version = ?, enabled = ?, definition = ?, updated_at = ?"
                    + " WHERE id = ? AND version = ?", version, rule.enabled(), json, now, rule.id(), expected) != 1) {
                throw new ThingportException(ErrorCode.CONFLICT, "rule " + rule.id() + " changed meanwhile (it is no longer at version "
                        + expected + "); read it again");
            }
            Storage.update(c, "INSERT INTO rule_version (rule_id, version, change_kind, definition, changed_at) VALUES (?, ?, ?, ?, ?)",
                    rule.id(), version, change, json, now);
            return null;
        });
        return new Stored(rule, version, now);
    }

    /** Deletes a rule with its history and its failed messages. */
    boolean delete(String id) {
        return storage.transaction(c -> {
            Storage.update(c, "DELETE FROM rule_version WHERE rule_id = ?", id);
            Storage.update(c, "DELETE FROM rule_failed WHERE rule_id = ?", id);
            return Storage.update(c, "DELETE FROM rule_definition WHERE id = ?", id) == 1;
        });
    }

    List<RuleVersion> history(String id) {
        return storage.query("SELECT version, changed_at, change_kind, definition FROM rule_version WHERE rule_id = ? ORDER BY version",
                rs -> new RuleVersion(id, rs.getInt(1), rs.getLong(2), rs.getString(3), RuleJson.read(rs.getString(4), "stored rule")), id);
    }

    List<DataSourceSpec> dataSources() {
        return storage.query("SELECT name, type, settings, created_at FROM rule_datasource ORDER BY name",
                rs -> new DataSourceSpec(rs.getString(1), rs.getString(2), settings(rs.getString(3)), rs.getLong(4)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> settings(String json) {
        return (Map<String, String>) Json.toJava(json);
    }

    void addDataSource(DataSourceSpec ds) {
        storage.transaction(c -> {
            if (!Storage.query(c, "SELECT name FROM rule_datasource WHERE name = ?", rs -> rs.getString(1), ds.name()).isEmpty()) {
                throw new ThingportException(ErrorCode.CONFLICT, "a data source named " + ds.name() + " already exists");
            }
            return Storage.update(c, "INSERT INTO rule_datasource (name, type, settings, created_at) VALUES (?, ?, ?, ?)",
                    ds.name(), ds.type(), Json.write(ds.settings()), ds.createdAt());
        });
    }

    boolean deleteDataSource(String name) {
        return storage.transaction(c -> Storage.update(c, "DELETE FROM rule_datasource WHERE name = ?", name) == 1);
    }
}
