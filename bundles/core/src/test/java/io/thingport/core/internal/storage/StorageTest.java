package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The storage's schema migrations on H2 and PostgreSQL. */
@Tag("storage")
class StorageTest {
    private DataSource dataSource;
    private Storage storage;

    @BeforeEach
    void setUp() {
        dataSource = TestDatabase.create();
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
        assertThat(storage.schemaVersion()).isEqualTo(TestDatabase.latestSchemaVersion());
    }

    @Test
    void theValuesOfAVersion9DatabaseBecomeOneReportEachInTheirOrder() throws Exception {
        // Verifies migration V10: every property_history row becomes a report of its one value, ordered as before
        // (by timestamp, then by the order of storing) and below every new report's id.
        DataSource old = TestDatabase.create();
        try (Connection c = old.getConnection(); Statement st = c.createStatement()) {
            Migrations.migrate(c, Migrations.load(Storage.class.getClassLoader(), TestDatabase.dialect()).subList(0, 9));
            st.execute("INSERT INTO property_history (device_id, property, ts, value_json) VALUES ('d1', 'temp', 100, '20.5'),"
                    + " ('d1', 'on', 100, 'true'), ('d1', 'name', 50, '\"kitchen\"'), ('d2', 'temp', 10, '1')");
        }
        Storage migrated = new Storage(old);
        try {
            assertThat(migrated.schemaVersion()).isEqualTo(TestDatabase.latestSchemaVersion());
            assertThat(migrated.query("SELECT device_id, ts, properties FROM property_report ORDER BY device_id, ts, id",
                    rs -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3))).containsExactly("d1 50 {\"name\":\"kitchen\"}",
                    "d1 100 {\"temp\":20.5}", "d1 100 {\"on\":true}", "d2 10 {\"temp\":1}");
            assertThat(migrated.query("SELECT MAX(id) FROM property_report", rs -> rs.getLong(1)).get(0)).isNegative();
            assertThat(migrated.query("SELECT COUNT(*) FROM information_schema.tables WHERE UPPER(table_name) = 'PROPERTY_HISTORY'",
                    rs -> rs.getInt(1)).get(0)).isZero();
        } finally {
            migrated.close();
        }
    }

    @Test
    void knowsTheDatabaseItRunsOn() {
        // Verifies that the dialect comes from the database itself (its JDBC product name).
        assertThat(storage.dialect()).isEqualTo(TestDatabase.dialect());
    }

    @Test
    void refusesADatabaseItDoesNotRunOnBeforeChangingAnything() throws Exception {
        // Verifies that an unknown database is refused with its name, before any table is made in it.
        DataSource other = TestDatabase.create();
        DataSource derby = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (ds, method, dsArgs) -> method.getName().equals("getConnection") ? renamed(other.getConnection(), "Apache Derby")
                        : method.invoke(other, dsArgs));
        assertThatThrownBy(() -> new Storage(derby)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the thingport DataSource's database is Apache Derby: Thingport runs on H2 and PostgreSQL only");
        try (Connection c = other.getConnection()) {
            assertThat(Storage.query(c, "SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = 'schema_version'",
                    rs -> rs.getInt(1))).as("no table was made").containsExactly(0);
        }
    }

    /** The connection, claiming to be to a database of another product. */
    private static Connection renamed(Connection c, String productName) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        DatabaseMetaData renamed = (DatabaseMetaData) Proxy.newProxyInstance(StorageTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (p, m, args) -> m.getName().equals("getDatabaseProductName") ? productName
                        : m.invoke(meta, args));
        return (Connection) Proxy.newProxyInstance(StorageTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> m.getName().equals("getMetaData") ? renamed : m.invoke(c, args));
    }

    @Test
    void aMigrationMergedAfterLaterOnesRunsWhenItArrives() throws Exception {
        // Verifies that a version missing from the index (reserved by work merged later) does not block the later
        // ones, and runs once it is listed, also on a database that already ran the later ones.
        // GIVEN a database migrated by a build whose index lacks V13
        List<Migrations.Migration> all = Migrations.load(Storage.class.getClassLoader(), TestDatabase.dialect());
        DataSource db = TestDatabase.create();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            int latest = TestDatabase.latestSchemaVersion();
            assertThat(Migrations.migrate(c, all.stream().filter(m -> m.version() != 13).toList())).isEqualTo(latest);
            // WHEN a build that lists V13 migrates it
            assertThat(Migrations.migrate(c, all)).isEqualTo(TestDatabase.latestSchemaVersion());
            // THEN V13 ran, once, and every listed version is recorded once
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), SUM(CASE WHEN version = 13 THEN 1 ELSE 0 END)"
                    + " FROM schema_version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(all.size());
                assertThat(rs.getInt(2)).isEqualTo(all.size());
                assertThat(rs.getInt(3)).isEqualTo(1);
            }
            assertThat(st.executeQuery("SELECT COUNT(*) FROM device_alarm").next()).isTrue();
        }
    }

    @Test
    void productsWhoseDevicesHaveSubDevicesBecomeGatewayProducts() throws Exception {
        // Verifies V19 on a database with bindings made before products had a node type: the gateway's product becomes
        // a gateway product, the sub-device's and an unrelated one stay ordinary.
        // GIVEN a database at V18 with gw (product hub) the gateway of c (product p)
        List<Migrations.Migration> all = Migrations.load(Storage.class.getClassLoader(), TestDatabase.dialect());
        DataSource db = TestDatabase.create();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            Migrations.migrate(c, all.stream().filter(m -> m.version() <= 18).toList());
            for (String product : List.of("hub", "p", "other")) {
                st.executeUpdate("INSERT INTO product (id, name, description, secret, dynamic_registration, thing_model, created_at)"
                        + " VALUES ('" + product + "', '', '', 's', FALSE, '{}', 0)");
            }
            for (String[] device : new String[][] {{"gw", "hub"}, {"c", "p"}}) {
                st.executeUpdate("INSERT INTO device (id, product_id, name, secret, enabled, created_at, online, online_count)"
                        + " VALUES ('" + device[0] + "', '" + device[1] + "', '', 's', TRUE, 0, FALSE, 0)");
            }
            st.executeUpdate("INSERT INTO sub_device (device_id, gateway_id, bound_at) VALUES ('c', 'gw', 0)");
            // WHEN V19 runs
            Migrations.migrate(c, all);
            // THEN
            try (ResultSet rs = st.executeQuery("SELECT id, node_type FROM product ORDER BY id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + "=" + rs.getString(2));
                }
                assertThat(rows).containsExactly("hub=gateway", "other=device", "p=device");
            }
        }
    }

    @Test
    void aMigrationOfADatabaseFolderReplacesTheGenericOneThere() {
        // Verifies the per-database migrations: PostgreSQL gets its own V4 (BYTEA, it has no BLOB), H2 the generic one,
        // and both get the same contiguous list of versions and names.
        List<Migrations.Migration> h2 = Migrations.load(getClass().getClassLoader(), Dialect.H2);
        List<Migrations.Migration> postgresql = Migrations.load(getClass().getClassLoader(), Dialect.POSTGRESQL);
        assertThat(postgresql).extracting(Migrations.Migration::version, Migrations.Migration::name)
                .isEqualTo(h2.stream().map(m -> tuple(m.version(), m.name())).toList());
        assertThat(h2.get(3).sql()).contains("content      BLOB ").doesNotContain("BYTEA");
        assertThat(postgresql.get(3).sql()).contains("content      BYTEA ").doesNotContain("BLOB ");
        assertThat(postgresql.get(0).sql()).isEqualTo(h2.get(0).sql());
    }

    @Test
    void eachDialectKnowsItsProductNameAndWhetherACommitNeedsAStepToBeDurable() {
        // Verifies the per-database facts: H2 needs CHECKPOINT SYNC after a commit, PostgreSQL nothing.
        assertThat(Dialect.of("H2")).isEqualTo(Dialect.H2);
        assertThat(Dialect.of("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.H2.durableCommit()).isEqualTo("CHECKPOINT SYNC");
        assertThat(Dialect.POSTGRESQL.durableCommit()).isNull();
        assertThatThrownBy(() -> Dialect.of("MySQL")).hasMessageContaining("database is MySQL:");
    }

    @Test
    void aNulCharacterInTextIsStoredAsTheReplacementCharacterOnEveryDatabase() throws Exception {
        // Verifies that text holding NUL (a device's message id, say) is stored alike on H2 and PostgreSQL, whose text
        // cannot hold NUL, instead of failing its write there; a lookup by the same value finds the row.
        String withNul = "m\u00001";
        assertThat(storage.append("INSERT INTO login_timestamp (device_id, last_login) VALUES (?, ?)", withNul, 7L))
                .succeedsWithin(Duration.ofSeconds(10));
        assertThat(storage.query("SELECT device_id FROM login_timestamp", rs -> rs.getString(1))).containsExactly("m\uFFFD1");
        assertThat(storage.query("SELECT last_login FROM login_timestamp WHERE device_id = ?", rs -> rs.getLong(1), withNul))
                .containsExactly(7L);
    }
}
