package io.thingport.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throw-away MariaDB server, on the machine's real MariaDB 10.11 binaries. */
class MariaDbServerTest {
    private static MariaDbServer server;

    @BeforeAll
    static void start() throws IOException {
        long started = System.nanoTime();
        server = MariaDbServer.start();
        System.out.println("MariaDB test server ready after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String query(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aNewDatabaseTakesTablesRowsAndQueries() throws Exception {
        // Verifies the round trip through JDBC: a table created by the database's user, rows inserted, selected back.
        // GIVEN a new database
        MariaDbDatabase db = server.createDatabase("round_trip");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:" + server.port() + "/round_trip");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // WHEN its user creates a table and inserts two rows
            st.execute("CREATE TABLE device (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, seen BIGINT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO device (id, name, seen) VALUES (?, ?, ?)")) {
                insert.setString(1, "d-1");
                insert.setString(2, "Thermostat 🌡");
                insert.setLong(3, 1_700_000_000_000L);
                insert.executeUpdate();
                insert.setString(1, "d-2");
                insert.setString(2, "Lamp");
                insert.setLong(3, 42);
                insert.executeUpdate();
            }
            // THEN they are selected back as written (4-byte UTF-8 included)
            try (ResultSet rs = st.executeQuery("SELECT id, name, seen FROM device ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name")).isEqualTo("Thermostat 🌡");
                assertThat(rs.getLong("seen")).isEqualTo(1_700_000_000_000L);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("id")).isEqualTo("d-2");
                assertThat(rs.next()).isFalse();
            }
        }
        assertThat(query(db.dataSource(), "SELECT VERSION()")).startsWith("10.11.");
        assertThat(query(db.dataSource(), "SELECT @@character_set_server")).isEqualTo("utf8mb4");
    }

    @Test
    void aConstraintViolationGivesTheDatabasesMessage() throws Exception {
        // Verifies that MariaDB's own refusal reaches the caller: a duplicate key is an integrity constraint violation
        // with MariaDB's message and error code.
        // GIVEN a table with one row
        MariaDbDatabase db = server.createDatabase();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE product (id VARCHAR(64) PRIMARY KEY)");
            st.execute("INSERT INTO product (id) VALUES ('p-1')");
            // WHEN the same key is inserted again
            // THEN MariaDB refuses it
            assertThatThrownBy(() -> st.execute("INSERT INTO product (id) VALUES ('p-1')"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                    .hasMessageContaining("Duplicate entry 'p-1' for key 'PRIMARY'")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1062));
        }
    }

    @Test
    void aDatabasesUserSeesOnlyItsDatabaseAndRootNeedsItsPassword() throws Exception {
        // Verifies the isolation: loopback only, each user limited to its own database, root without password refused,
        // the socket in the server's own folder.
        // GIVEN two databases
        MariaDbDatabase first = server.createDatabase();
        MariaDbDatabase second = server.createDatabase();
        assertThat(first.name()).isNotEqualTo(second.name());
        // THEN the first's user cannot use the second, and root needs its password
        assertThatThrownBy(() -> DriverManager.getConnection(second.jdbcUrl(), first.user(), first.password()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        assertThatThrownBy(() -> DriverManager.getConnection(first.jdbcUrl(), "root", "").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        assertThatThrownBy(() -> DriverManager.getConnection(first.jdbcUrl(), first.user(), "wrong").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        try (Connection c = DriverManager.getConnection(first.jdbcUrl(), "root", server.rootPassword())) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(query(first.dataSource(), "SELECT @@bind_address")).isEqualTo("127.0.0.1");
        assertThat(query(first.dataSource(), "SELECT @@socket")).isEqualTo(server.directory().resolve("mariadbd.sock").toString());
        assertThatThrownBy(() -> server.createDatabase("bad-name; DROP")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingStopsTheServerAndDeletesItsFolder() throws IOException {
        // Verifies that a closed server leaves nothing behind: no server on its port, no folder.
        MariaDbServer own = MariaDbServer.start();
        assertThat(isListening(own.port())).isTrue();
        own.close();
        own.close();
        assertThat(isListening(own.port())).isFalse();
        assertThat(own.directory()).doesNotExist();
    }

    @Test
    void aServerLeftByAKilledJvmIsStoppedAndDeletedByTheNextOne() throws Exception {
        // Verifies the clean-up of orphans: a server whose owner process is gone is killed and its folder deleted, and a
        // server whose owner lives (this JVM's) is left alone.
        MariaDbServer orphan = MariaDbServer.start();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(orphan.directory().resolve("owner.pid"), Long.toString(gone.pid()));

        MariaDbServer.removeOrphans(orphan.directory().getParent());

        assertThat(orphan.directory()).doesNotExist();
        assertThat(isListening(orphan.port())).isFalse();
        assertThat(server.directory()).exists();
        assertThat(isListening(server.port())).isTrue();
        orphan.close();
    }

    @Test
    void missingBinariesNameThePackageToInstall(@TempDir Path empty) {
        // Verifies the refusal when MariaDB is not installed: the error names the binary and the Debian package.
        Path mariadbd = empty.resolve("mariadbd");
        assertThatThrownBy(() -> MariaDbServer.checkBinaries(mariadbd)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(mariadbd.toString()).hasMessageContaining("install the Debian package mariadb-server");
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
