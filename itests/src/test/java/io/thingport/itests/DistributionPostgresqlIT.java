package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.testsupport.PostgresCluster;
import io.thingport.testsupport.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Every test of {@link DistributionIT} — the SIGKILL right after the PUBACKs among them — with the distribution on
 * PostgreSQL 15 instead of H2: a new database of test-support's throw-away cluster, owned by a user of its own, chosen
 * by the four keys of {@code etc/org.ops4j.datasource-thingport.cfg} that the README's "Running on PostgreSQL" changes,
 * nothing else.
 */
public class DistributionPostgresqlIT extends DistributionIT {
    private static PostgresDatabase database;

    /** Shadows {@link DistributionIT#unpack()} (JUnit runs only this one): the same distribution, on PostgreSQL. */
    @BeforeClass
    public static void unpack() throws Exception {
        // as the README has the operator do it: a user of its own, owning the database, not a superuser
        database = PostgresCluster.shared().createDatabaseWithOwner();
        unpack("postgresql", Map.of("osgi.jdbc.driver.class", "org.postgresql.Driver", "url", database.url(), "user", database.user(),
                "password", database.password()));
    }

    @Test
    public void theDistributionStoresItsDataInPostgresql() throws Exception {
        // Verifies that the configuration alone moved the platform to PostgreSQL: what the shell creates is in the
        // PostgreSQL database, its schema is complete, and no H2 database file was made.
        shell("iot:product-create --model examples/thing-models/thermostat.json pg-check");
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT name FROM product WHERE id = 'pg-check'")) {
                assertThat(rs.next()).as("the product is in PostgreSQL").isTrue();
            }
            try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("every migration applied").isGreaterThanOrEqualTo(9);
            }
            try (ResultSet rs = st.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = 'protocol_package'"
                    + " AND column_name = 'content'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("PostgreSQL's own V4").isEqualTo("bytea");
            }
        }
        assertThat(home.resolve("data/thingport/thingport.mv.db")).as("no H2 database").doesNotExist();
    }
}
