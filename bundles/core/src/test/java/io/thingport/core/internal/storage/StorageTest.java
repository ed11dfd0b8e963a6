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
        assertThat(storage.schemaVersion()).isEqualTo(9);
    }
}
