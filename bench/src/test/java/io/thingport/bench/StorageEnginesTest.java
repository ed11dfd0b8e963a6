package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageEnginesTest {
    @TempDir
    Path dir;

    private static long count(String url, String user, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void h2WritesEveryReportWithOneRowPerPropertyAndKeepsTheTablesForTheNextRun() throws Exception {
        String[] args = {"--engine", "h2", "--dir", dir.toString(), "--reports", "1000", "--writers", "2", "--batch", "64",
            "--devices", "10", "--segment", "300"};
        List<String> lines = new ArrayList<>();
        String summary = StorageEngines.run(StorageEngines.options(args), lines::add);
        String url = "jdbc:h2:" + dir + "/engines";
        assertEquals(1000, count(url, "sa", "device_log"));
        assertEquals(2000, count(url, "sa", "property_history"));
        assertTrue(summary.startsWith("h2 per-property writers=2 batch=64: 1,000 reports in"), summary);
        assertTrue(lines.get(0).contains("0 reports stored before"), lines.get(0));

        StorageEngines.run(StorageEngines.options(args), lines::add);
        assertEquals(2000, count(url, "sa", "device_log"), "a second run adds to the grown database");
        assertTrue(lines.stream().anyMatch(l -> l.contains("1000 reports stored before")), lines.toString());
    }

    @Test
    void sqliteWritesOneRowPerReportInThatLayout() throws Exception {
        StorageEngines.run(StorageEngines.options(new String[] {"--engine", "sqlite", "--dir", dir.toString(), "--reports", "500",
            "--layout", "per-report", "--devices", "7"}), l -> { });
        String url = "jdbc:sqlite:" + dir + "/engines.db";
        assertEquals(500, count(url, "", "device_log"));
        assertEquals(500, count(url, "", "property_report"));
        assertEquals(0, count(url, "", "property_history"));
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        assertThrows(UsageException.class, () -> StorageEngines.options(new String[] {"--engine", "oracle", "--dir", "/x"}));
        assertThrows(UsageException.class, () -> StorageEngines.options(new String[] {"--engine", "postgresql"}), "needs --url");
        UsageException e = assertThrows(UsageException.class, () -> StorageEngines.options(new String[] {"--engine", "sqlite",
            "--dir", "/x", "--writers", "2"}));
        assertTrue(e.getMessage().contains("--writers"), e.getMessage());
        assertThrows(UsageException.class, () -> StorageEngines.options(new String[] {"--engine", "h2", "--dir", "/x", "--layout",
            "wide"}));
    }

    @Test
    void aReportIsItsLogRowPlusItsValues() {
        assertEquals(3, StorageEngines.rowsPerReport(StorageEngines.Layout.PER_PROPERTY, 2));
        assertEquals(2, StorageEngines.rowsPerReport(StorageEngines.Layout.PER_REPORT, 5));
        assertEquals(2000.0, StorageEngines.rate(1000, 500_000_000L), 1e-9);
        assertEquals(0.0, StorageEngines.rate(5, 0), 1e-9);
    }
}
