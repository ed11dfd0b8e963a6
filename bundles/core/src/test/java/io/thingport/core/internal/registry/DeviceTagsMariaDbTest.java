package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceStatus;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.testsupport.MariaDbServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * V17__device_tags.sql and the device list's statements on MariaDB 10.11. The platform's storage runs on H2 and
 * PostgreSQL only (V1 declares VARCHAR columns longer than MariaDB allows), so the test starts from the device and product
 * tables of V1 with those columns as TEXT; what V17 adds, and every statement DeviceQueries builds, is MariaDB's as written.
 */
class DeviceTagsMariaDbTest {
    @Test
    void theMigrationAndTheListsStatementsRunOnMariaDb() throws Exception {
        // Verifies that V17 applies on MariaDB and that a page with every filter, and the counts, return what they do on
        // H2 and PostgreSQL (a disabled device counted apart, tags ANDed, the prefix's _ taken literally, a page after an id
        // the rest of the order).
        // GIVEN V1's product and device tables, then V17
        try (Connection c = MariaDbServer.shared().createDatabase().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE product (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, description VARCHAR(1000) NOT NULL,"
                    + " secret VARCHAR(128) NOT NULL, dynamic_registration BOOLEAN NOT NULL, thing_model TEXT NOT NULL,"
                    + " created_at BIGINT NOT NULL)");
            st.execute("CREATE TABLE device (id VARCHAR(64) PRIMARY KEY, product_id VARCHAR(64) NOT NULL REFERENCES product (id),"
                    + " name VARCHAR(200) NOT NULL, secret VARCHAR(128) NOT NULL, enabled BOOLEAN NOT NULL, created_at BIGINT NOT NULL,"
                    + " online BOOLEAN NOT NULL, first_online BIGINT, online_count BIGINT NOT NULL, last_online BIGINT,"
                    + " last_offline BIGINT, node VARCHAR(64))");
            st.execute("CREATE INDEX device_product ON device (product_id)");
            for (String statement : migration("db/migration/V17__device_tags.sql").split(";")) {
                st.execute(statement);
            }
            st.execute("INSERT INTO product (id, name, description, secret, dynamic_registration, thing_model, created_at)"
                    + " VALUES ('p', 'p', '', 's', FALSE, '{}', 0)");
            Storage.updateBatch(c, "INSERT INTO device (id, product_id, name, secret, enabled, created_at, online, first_online,"
                    + " online_count, mac) VALUES (?, 'p', 'n', 's', ?, 0, ?, ?, 0, ?)", List.of(
                            new Object[] {"d_1", true, true, 1L, "aa:bb:cc:dd:ee:ff"}, new Object[] {"d_2", true, false, null, null},
                            new Object[] {"dx3", false, false, 1L, null}));
            Storage.updateBatch(c, "INSERT INTO device_tag (device_id, tag_key, tag_value) VALUES (?, ?, ?)", List.of(
                    new Object[] {"d_1", "room", "1"}, new Object[] {"d_1", "floor", "2"}, new Object[] {"d_2", "room", "1"},
                    new Object[] {"dx3", "room", "1"}));
            // WHEN
            DeviceQuery tagged = new DeviceQuery(Set.of("p"), null, Map.of("room", "1"), "d_", null, 10);
            List<String> page = rows(c, DeviceQueries.select(tagged, null));
            List<String> online = rows(c, DeviceQueries.select(new DeviceQuery(null, DeviceStatus.ONLINE, Map.of("room", "1", "floor",
                    "2"), null, null, 10), null));
            List<String> all = rows(c, DeviceQueries.select(DeviceQuery.all(10), null));
            List<String> after = rows(c, DeviceQueries.select(DeviceQuery.all(10), "d_1"));
            List<String> counts = rows(c, DeviceQueries.countByStatus(new DeviceQuery(null, null, Map.of("room", "1"), null, null, 1)));
            // THEN
            assertThat(page).containsExactly("d_1 p", "d_2 p");
            assertThat(online).containsExactly("d_1 p");
            // a page after an id is the rest of the database's own order (its collation may sort _ after letters)
            assertThat(all).containsExactlyInAnyOrder("d_1 p", "d_2 p", "dx3 p");
            assertThat(after).isEqualTo(all.subList(all.indexOf("d_1 p") + 1, all.size()));
            assertThat(counts).containsExactlyInAnyOrder("DISABLED 1", "NEVER_CONNECTED 1", "ONLINE 1");
            assertThat(Storage.query(c, "SELECT mac FROM device WHERE id = 'd_1'", rs -> rs.getString(1))).containsExactly(
                    "aa:bb:cc:dd:ee:ff");
        }
    }

    private static List<String> rows(Connection c, Sql sql) throws Exception {
        return Storage.query(c, sql.text(), rs -> rs.getString(1) + " " + rs.getString(2), sql.params());
    }

    /** A migration's statements, without its comment lines (as Migrations reads it). */
    private static String migration(String resource) throws Exception {
        try (InputStream in = DeviceTagsMariaDbTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("--")).collect(Collectors.joining("\n"));
        }
    }
}
