package io.lorafab.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.store.StoreException;
import io.lorafab.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Schema migrations on both databases: recorded with checksums, checked on every start. */
class MigrationsTest {

    @TempDir
    Path dir;

    final List<String> pgSchemas = new ArrayList<>();

    @AfterEach
    void dropSchemas() {
        pgSchemas.forEach(TestPostgres::drop);
    }

    String url(String db) {
        if (db.equals("sqlite")) {
            return "jdbc:sqlite:" + dir.resolve("m.db");
        }
        String url = TestPostgres.freshSchema();
        pgSchemas.add(url);
        return url;
    }

    static List<String> rows(Database db, String sql) {
        return db.tx(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    static void exec(Database db, String sql) {
        db.tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    static final String HISTORY = "SELECT version || ' ' || description || ' ' || checksum FROM schema_version ORDER BY version";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyScriptIsRecordedWithItsSha256AndASecondStartChangesNothing(String kind) {
        String url = url(kind);
        List<String> first;
        try (Database db = Database.open(url)) {
            first = rows(db, HISTORY);
        }
        assertThat(first).isNotEmpty().allSatisfy(r -> assertThat(r).matches("\\d+ V\\d+__\\w+\\.sql [0-9a-f]{64}"));
        assertThat(first.get(0)).startsWith("1 V1__");
        try (Database db = Database.open(url)) {
            assertThat(rows(db, HISTORY)).isEqualTo(first);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aScriptChangedAfterItWasAppliedStopsTheStart(String kind) {
        String url = url(kind);
        try (Database db = Database.open(url)) {
            exec(db, "UPDATE schema_version SET checksum = '" + "ab".repeat(32) + "' WHERE version = 1");
        }
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code().code()).isEqualTo("migration_checksum"))
                .hasMessageContaining("V1__").hasMessageContaining("abababababab");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDatabaseFromBeforeChecksumsGetsThemFilledIn(String kind) {
        String url = url(kind);
        List<String> expected;
        try (Database db = Database.open(url)) {
            expected = rows(db, "SELECT checksum FROM schema_version ORDER BY version");
            exec(db, "ALTER TABLE schema_version DROP COLUMN checksum");
        }
        try (Database db = Database.open(url)) {
            assertThat(rows(db, "SELECT checksum FROM schema_version ORDER BY version")).isEqualTo(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void anotherSchemasVersionTableDoesNotStandForOurs() {
        // Another lorafab (or test) in the same PostgreSQL database, fully migrated, with checksums.
        try (Database other = Database.open(url("postgresql"))) {
            assertThat(rows(other, "SELECT checksum FROM schema_version")).isNotEmpty();
        }
        // Ours: a fresh schema, then one from before checksums; each must get its own column.
        String ours = url("postgresql");
        List<String> expected;
        try (Database db = Database.open(ours)) {
            expected = rows(db, "SELECT checksum FROM schema_version ORDER BY version");
            exec(db, "ALTER TABLE schema_version DROP COLUMN checksum");
        }
        try (Database db = Database.open(ours)) {
            assertThat(rows(db, "SELECT checksum FROM schema_version ORDER BY version")).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSchemaNewerThanThisLorafabIsRefused(String kind) {
        String url = url(kind);
        try (Database db = Database.open(url)) {
            exec(db, "INSERT INTO schema_version (version, description, applied_at, checksum) "
                    + "VALUES (999, 'V999__future.sql', '2027-01-01T00:00:00Z', '" + "00".repeat(32) + "')");
        }
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code().code()).isEqualTo("schema_too_new"));
    }
}
