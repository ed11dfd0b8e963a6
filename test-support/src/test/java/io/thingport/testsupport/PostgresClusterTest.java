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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throw-away PostgreSQL cluster, on the machine's real PostgreSQL 15 binaries. */
class PostgresClusterTest {
    private static PostgresCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PostgresCluster.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String query(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void eachDatabaseIsNewAndEmpty() throws Exception {
        // Verifies that two databases of the cluster are separate: a table made in one is not in the other.
        PostgresDatabase first = cluster.createDatabase();
        PostgresDatabase second = cluster.createDatabase();
        assertThat(first.name()).isNotEqualTo(second.name());
        try (Connection c = first.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE item (id INT)");
        }
        assertThat(query(second.dataSource(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'item'"))
                .isEqualTo("0");
        assertThat(query(first.dataSource(), "SHOW server_version")).startsWith("15.");
    }

    @Test
    void aDatabaseWithAnOwnerIsTheOwnersToFillButTheOwnerIsNoSuperuser() throws Exception {
        // Verifies the operator's setup: a plain user that owns its database can make tables there (PostgreSQL 15 no
        // longer lets every user create in the public schema: its owner can) and has no superuser power.
        PostgresDatabase db = cluster.createDatabaseWithOwner();
        assertThat(db.user()).isNotEqualTo(PostgresCluster.USER);
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE item (id INT)");
        }
        assertThat(query(db.dataSource(), "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("f");
        assertThat(query(db.dataSource(), "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                .isEqualTo(db.user());
    }

    @Test
    void listensOnLoopbackWithAPasswordAndItsSocketInItsOwnFolder() throws Exception {
        // Verifies the cluster's isolation: loopback only, a wrong password refused, the socket not in the system's folder.
        PostgresDatabase db = cluster.createDatabase();
        assertThat(query(db.dataSource(), "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(query(db.dataSource(), "SHOW unix_socket_directories")).isEqualTo(cluster.directory().toString());
        assertThat(query(db.dataSource(), "SHOW password_encryption")).isEqualTo("scram-sha-256");
        assertThat(cluster.directory().resolve(".s.PGSQL." + cluster.port())).exists();
        assertThat(Files.exists(Path.of("/var/run/postgresql/.s.PGSQL." + cluster.port()))).isFalse();
        assertThatThrownBy(() -> DriverManager.getConnection(db.url(), PostgresCluster.USER, "wrong").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(db.url(), PostgresCluster.USER, "").close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void closingStopsTheServerAndDeletesItsFolder() {
        // Verifies that a closed cluster leaves nothing behind: no server on its port, no folder.
        PostgresCluster own = PostgresCluster.start();
        assertThat(isListening(own.port())).isTrue();
        own.close();
        own.close();
        assertThat(isListening(own.port())).isFalse();
        assertThat(own.directory()).doesNotExist();
    }

    @Test
    void aClusterLeftByAKilledJvmIsStoppedAndDeletedByTheNextOne() throws Exception {
        // Verifies the clean-up of orphans: a cluster whose owner process is gone is stopped and its folder deleted,
        // and a cluster whose owner lives (this JVM's) is left alone.
        PostgresCluster orphan = PostgresCluster.start();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(orphan.directory().resolve("owner.pid"), Long.toString(gone.pid()));

        Path bin = PostgresCluster.binDir(List.of(Path.of("/usr/lib/postgresql/15/bin")));
        PostgresCluster.removeOrphans(orphan.directory().getParent(), bin, "root".equals(System.getProperty("user.name")));

        assertThat(orphan.directory()).doesNotExist();
        assertThat(isListening(orphan.port())).isFalse();
        assertThat(cluster.directory()).exists();
        assertThat(isListening(cluster.port())).isTrue();
    }

    @Test
    void missingBinariesNameThePackageToInstall(@TempDir Path empty) {
        // Verifies the refusal when PostgreSQL is not installed: the error names the folders and the Debian package.
        assertThatThrownBy(() -> PostgresCluster.binDir(List.of(empty))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("install the Debian package postgresql-15");
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
