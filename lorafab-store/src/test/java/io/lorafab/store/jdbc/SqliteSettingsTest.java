package io.lorafab.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings every SQLite connection of the pool runs with: the durability ones (a commit is on disk when it
 * returns) and the two the join commit thread's speed depends on (see {@link Database}'s comment).
 */
class SqliteSettingsTest {

    @TempDir
    Path dir;

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("journal_mode", "wal");
        EXPECTED.put("synchronous", "2");             // FULL
        EXPECTED.put("foreign_keys", "1");
        EXPECTED.put("busy_timeout", "30000");
        EXPECTED.put("temp_store", "2");              // MEMORY: statement journals not in temporary files
        EXPECTED.put("wal_autocheckpoint", "16384");  // 64 MiB of WAL between checkpoints
    }

    @Test
    void everyPooledConnectionHasTheDurabilityAndSpeedSettings() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("s.db"))) {
            // hold all four connections at once, so that each one of the pool is asked, not the same one four times
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(db.dataSource().getConnection());
                }
                for (Connection c : held) {
                    Map<String, String> actual = new LinkedHashMap<>();
                    for (String pragma : EXPECTED.keySet()) {
                        actual.put(pragma, pragma(c, pragma));
                    }
                    assertThat(actual).isEqualTo(EXPECTED);
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void theCheckpointIntervalIsWhatTheClassCommentSays() {
        assertThat(Database.WAL_AUTOCHECKPOINT_PAGES * 4096L).isEqualTo(64L << 20);
    }

    static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
