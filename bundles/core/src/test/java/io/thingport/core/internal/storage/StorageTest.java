package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage's schema migrations on H2. */
class StorageTest {
    private JdbcDataSource dataSource;
    private Storage storage;

    @BeforeEach
    void setUp() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        storage = new Storage(dataSource);
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    @Test
    void refusesADatabaseWrittenByANewerVersion() throws Exception {
        // Verifies that a schema newer than this build is refused instead of used.
        storage.close();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (99, 'future', 0)");
        }
        assertThatThrownBy(() -> new Storage(dataSource)).hasMessageContaining("schema is at version 99")
                .hasMessageContaining("written by a newer Thingport");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM schema_version WHERE version = 99");
        }
        storage = new Storage(dataSource);
        assertThat(storage.schemaVersion()).isEqualTo(10);
    }

    @Test
    void theValuesOfAVersion9DatabaseBecomeOneReportEachInTheirOrder() throws Exception {
        // Verifies migration V10: every property_history row becomes a report of its one value, ordered as before
        // (by timestamp, then by the order of storing) and below every new report's id.
        JdbcDataSource old = new JdbcDataSource();
        old.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
            Migrations.migrate(c, Migrations.load(Storage.class.getClassLoader()).subList(0, 9));
            st.execute("INSERT INTO property_history (device_id, property, ts, value_json) VALUES ('d1', 'temp', 100, '20.5'),"
                    + " ('d1', 'on', 100, 'true'), ('d1', 'name', 50, '\"kitchen\"'), ('d2', 'temp', 10, '1')");
        }
        Storage migrated = new Storage(old);
        try {
            assertThat(migrated.schemaVersion()).isEqualTo(10);
            assertThat(migrated.query("SELECT device_id, ts, properties FROM property_report ORDER BY device_id, ts, id",
                    rs -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3))).containsExactly("d1 50 {\"name\":\"kitchen\"}",
                    "d1 100 {\"temp\":20.5}", "d1 100 {\"on\":true}", "d2 10 {\"temp\":1}");
            assertThat(migrated.query("SELECT MAX(id) FROM property_report", rs -> rs.getLong(1)).get(0)).isNegative();
            assertThat(migrated.query("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'PROPERTY_HISTORY'",
                    rs -> rs.getInt(1)).get(0)).isZero();
        } finally {
            migrated.close();
        }
    }
}
