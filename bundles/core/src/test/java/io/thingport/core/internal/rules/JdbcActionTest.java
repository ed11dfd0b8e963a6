package io.thingport.core.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.testsupport.MariaDbDatabase;
import io.thingport.testsupport.MariaDbServer;
import io.thingport.testsupport.PostgresCluster;
import io.thingport.testsupport.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The jdbc action against a real PostgreSQL 15 and a real MariaDB 10.11 (test-support's throw-away servers). */
@Tag("storage")
class JdbcActionTest {
    private static final String SQL = "SELECT payload.properties.temp AS t, deviceId, timestamp FROM \"/p1/+/properties/report\"";

    private RuleFixture f;

    @BeforeEach
    void start() {
        f = new RuleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private record Target(String url, String user, String password) {
    }

    private static void execute(Target db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> rows(Target db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT device, t FROM hot ORDER BY ts")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getDouble(2));
            }
        }
        return out;
    }

    private void insertsEveryRowAndKeepsTheOneTheDatabaseRefuses(Target db) throws Exception {
        // GIVEN a table whose CHECK refuses 66.6, and a rule inserting every report into it
        execute(db, "CREATE TABLE hot (device VARCHAR(64) NOT NULL, t DOUBLE PRECISION NOT NULL, ts BIGINT NOT NULL,"
                + " CONSTRAINT not_666 CHECK (t <> 66.6))");
        f.engine.addDataSource("db", "jdbc", Map.of("url", db.url(), "user", db.user(), "password", db.password()));
        f.engine.create(new RuleDefinition("store", "", SQL, List.of(new ActionSpec("jdbc", Map.of("datasource", "db",
                "sql", "INSERT INTO hot (device, t, ts) VALUES (:deviceId, :t, :timestamp)", "retries", "1", "backoffMs", "10"))),
                List.of(), true));
        // WHEN 200 reports arrive, one of them with the refused value
        for (int i = 0; i < 200; i++) {
            f.report("d" + (1 + i % 2), Map.of("temp", i == 100 ? 66.6 : (double) i));
        }
        // THEN 199 rows are in the table, and the refused one is in the failed-message store with the database's reason
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(db).size() == 199 && f.engine.failed("store", 10).size() == 1);
        FailedMessage failed = f.engine.failed("store", 10).get(0);
        assertThat(failed.error()).startsWith("database error").containsIgnoringCase("not_666");
        assertThat(failed.payload()).contains("66.6");
        assertThat(f.engine.metrics("store").actions().get(0).success()).isEqualTo(199);
        // WHEN the constraint is dropped and the message replayed
        execute(db, "ALTER TABLE hot DROP CONSTRAINT not_666");
        assertThat(f.engine.replay(failed.id(), null)).isEqualTo(1);
        // THEN the row is inserted once
        await().atMost(Duration.ofSeconds(30)).until(() -> f.engine.failed("store", 10).isEmpty());
        assertThat(rows(db)).hasSize(200).containsOnlyOnce("d1 66.6");
    }

    @Test
    void postgresqlReceivesEveryRowAndItsRefusalIsKept() throws Exception {
        // Verifies the jdbc action on PostgreSQL: batched inserts, a constraint violation kept with its message, replay once.
        PostgresDatabase db = PostgresCluster.shared().createDatabase();
        insertsEveryRowAndKeepsTheOneTheDatabaseRefuses(new Target(db.url(), db.user(), db.password()));
    }

    @Test
    void mariadbReceivesEveryRowAndItsRefusalIsKept() throws Exception {
        // Verifies the same on MariaDB.
        MariaDbDatabase db = MariaDbServer.shared().createDatabase();
        insertsEveryRowAndKeepsTheOneTheDatabaseRefuses(new Target(db.jdbcUrl(), db.user(), db.password()));
    }

    @Test
    void aMysqlUrlReachesMariadb() throws Exception {
        // Verifies that jdbc:mysql:// URLs work with the MariaDB driver the platform ships.
        MariaDbDatabase db = MariaDbServer.shared().createDatabase();
        Target mysql = new Target(db.jdbcUrl().replace("jdbc:mariadb:", "jdbc:mysql:"), db.user(), db.password());
        execute(new Target(db.jdbcUrl(), db.user(), db.password()), "CREATE TABLE hot (device VARCHAR(64), t DOUBLE, ts BIGINT)");
        f.engine.addDataSource("my", "jdbc", Map.of("url", mysql.url(), "user", mysql.user(), "password", mysql.password()));
        f.engine.create(new RuleDefinition("my", "", SQL, List.of(new ActionSpec("jdbc", Map.of("datasource", "my",
                "sql", "INSERT INTO hot (device, t, ts) VALUES (:deviceId, :t, :timestamp)"))), List.of(), true));
        f.report("d1", Map.of("temp", 12.5));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(new Target(db.jdbcUrl(), db.user(), db.password())).size() == 1);
    }

    @Test
    void aNamedParameterMustBeASelectedColumnAndOnlyInsertsAreTaken() {
        // Verifies the jdbc action's checks: values are bound, never spliced, and every name must be selected.
        f.engine.addDataSource("db", "jdbc", Map.of("url", "jdbc:postgresql://127.0.0.1:1/x", "user", "u", "password", "p"));
        assertThatThrownBy(() -> f.engine.create(new RuleDefinition("r", "", SQL,
                List.of(new ActionSpec("jdbc", Map.of("datasource", "db", "sql", "INSERT INTO hot VALUES (:humidity)"))), List.of(), true)))
                .hasMessageContaining(":humidity").hasMessageContaining("does not select");
        assertThatThrownBy(() -> f.engine.create(new RuleDefinition("r", "", SQL,
                List.of(new ActionSpec("jdbc", Map.of("datasource", "db", "sql", "DELETE FROM hot WHERE t = :t"))), List.of(), true)))
                .hasMessageContaining("must be an INSERT");
        assertThatThrownBy(() -> f.engine.create(new RuleDefinition("r", "", SQL,
                List.of(new ActionSpec("jdbc", Map.of("datasource", "db", "sql", "INSERT INTO hot VALUES (:t); DROP TABLE hot"))),
                List.of(), true))).hasMessageContaining("one statement");
        assertThatThrownBy(() -> NamedSql.parse("INSERT INTO t VALUES (:t) /* ' */; DELETE FROM t; /* ' */", "sql"))
                .hasMessageContaining("must not contain /*");
        assertThat(NamedSql.parse("INSERT INTO x (a, b, c) VALUES (:t, ':not', :deviceId::text)", "sql"))
                .isEqualTo(new NamedSql("INSERT INTO x (a, b, c) VALUES (?, ':not', ?::text)", List.of("t", "deviceId")));
    }
}
