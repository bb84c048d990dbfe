package io.lorafab.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.store.StoreException;
import io.lorafab.testkit.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schema migrations by Flyway on both databases: recorded in flyway_schema_history, validated on every start,
 * and a registry made by lorafab's own runner from before Flyway taken over with its data.
 */
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
        return db.read(c -> query(c, sql));
    }

    static List<String> query(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void exec(Database db, String sql) {
        db.tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    /** Plain JDBC, for a database the code under test must not have opened (and so migrated) yet. */
    static void execRaw(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> queryRaw(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url)) {
            return query(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the database at {@code url} what lorafab's own runner left at schema version {@code version}: its
     * dump, kept under test resources (the runner itself is gone).
     */
    static void restoreOldRunnersDatabase(String url, int version) {
        boolean pg = url.startsWith("jdbc:postgresql:");
        String resource = "legacy/" + (pg ? "postgresql" : "sqlite") + "/lorafab-v" + version + ".sql";
        String sql;
        try (InputStream in = MigrationsTest.class.getClassLoader().getResourceAsStream(resource)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (pg) {
            sql = sql.replace("lorafab_legacy.", url.substring(url.indexOf("currentSchema=") + "currentSchema=".length()) + ".");
        }
        // Both drivers run a script of several statements in one call: PostgreSQL's in execute, SQLite's in
        // executeUpdate (its execute stops after the first).
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            if (pg) {
                s.execute(sql);
            } else {
                s.executeUpdate(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String FLYWAY_HISTORY =
            "SELECT version || ' ' || type || ' ' || script || ' ' || success FROM flyway_schema_history ORDER BY installed_rank";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyScriptIsRecordedByFlywayAndASecondStartChangesNothing(String kind) {
        String url = url(kind);
        List<String> first;
        try (Database db = Database.open(url)) {
            first = rows(db, FLYWAY_HISTORY);
        }
        assertThat(first).hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(r -> assertThat(r).matches("\\d+ SQL V\\d+__\\w+\\.sql (true|1|t)"));
        assertThat(first.get(0)).startsWith("1 SQL V1__registry.sql");
        try (Database db = Database.open(url)) {
            assertThat(rows(db, FLYWAY_HISTORY)).isEqualTo(first);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aScriptChangedAfterItWasAppliedStopsTheStartWithOneLineNamingIt(String kind) {
        String url = url(kind);
        try (Database db = Database.open(url)) {
            exec(db, "UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '2'");
        }
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code().code()).isEqualTo("migration_checksum");
            assertThat(e.getMessage()).contains("V2 ").contains("join server").doesNotContain("\n")
                    .doesNotContainIgnoringCase("flyway").doesNotContain("Exception");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSchemaNewerThanThisLorafabIsRefused(String kind) {
        String url = url(kind);
        try (Database db = Database.open(url)) {
            exec(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES (999, '999', 'future', 'SQL', 'V999__future.sql', 1, "
                    + "'lorafab', 1, " + (kind.equals("sqlite") ? "1" : "true") + ")");
        }
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code().code()).isEqualTo("schema_too_new");
            assertThat(e.getMessage()).contains("version 999").doesNotContain("\n");
        });
    }

    /**
     * V12 rebuilds SQLite's unit table (to let a unit whose secure element holds its keys have none): the units, their
     * keys, their test runs and the foreign key between them come through, and on SQLite so does AUTOINCREMENT's
     * high-water mark, so the id of a removed unit is not given again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void unitsTheirKeysAndTestRunsComeThroughTheSecureElementMigration(String kind) {
        String url = url(kind);
        restoreOldRunnersDatabase(url, 6);
        execRaw(url, "INSERT INTO kek (label, check_value, created_at) VALUES ('k1', '00', '2026-01-02T03:04:05Z')");
        execRaw(url, "INSERT INTO unit (id, dev_eui, join_eui, mac_version, kek_label, app_key_wrapped, state, origin, "
                + "created_at, updated_at) VALUES (7, '0000000000000007', '70b3d57ed0000000', '1.0.3', 'k1', 'aa', 'PASSED', "
                + "'ADDED', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z'), (9, '0000000000000009', '70b3d57ed0000000', "
                + "'1.0.3', 'k1', 'bb', 'PASSED', 'SIMULATED', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z')");
        execRaw(url, "INSERT INTO test_run (unit_id, result, measurements, finished_at) VALUES (7, 'PASSED', '{}', '2026-01-02T03:04:05Z')");
        execRaw(url, "DELETE FROM unit WHERE id = 9");

        try (Database db = Database.open(url)) {
            assertThat(rows(db, "SELECT id || ' ' || key_custody || ' ' || kek_label || ' ' || app_key_wrapped FROM unit"))
                    .containsExactly("7 LORAFAB k1 aa");
            assertThat(rows(db, "SELECT unit_id || '' FROM test_run")).containsExactly("7");
            assertThatThrownBy(() -> exec(db, "INSERT INTO test_run (unit_id, result, measurements, finished_at) "
                    + "VALUES (999, 'PASSED', '{}', '2026-01-02T03:04:05Z')")).isInstanceOf(RuntimeException.class);
            // a unit with neither keys nor a secure element is refused by the table itself
            assertThatThrownBy(() -> exec(db, "INSERT INTO unit (dev_eui, join_eui, mac_version, state, origin, created_at, "
                    + "updated_at) VALUES ('000000000000000a', '70b3d57ed0000000', '1.0.3', 'PASSED', 'ADDED', 'x', 'x')"))
                    .isInstanceOf(RuntimeException.class);
            exec(db, "INSERT INTO unit (dev_eui, join_eui, mac_version, state, origin, created_at, updated_at, key_custody, "
                    + "secure_element_id, join_server) VALUES ('000000000000000b', '70b3d57ed0000000', '1.0.2', 'PROGRAMMED', "
                    + "'IMPORTED', 'x', 'x', 'SECURE_ELEMENT', '0123', 'js.example.com')");
            if (kind.equals("sqlite")) {
                assertThat(rows(db, "SELECT id || '' FROM unit WHERE dev_eui = '000000000000000b'")).containsExactly("10");
                assertThat(rows(db, "SELECT sql FROM sqlite_master WHERE name = 'test_run'")).singleElement().asString()
                        .contains("REFERENCES \"unit\"(id)");
                assertThat(rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('unit', 'test_run') "
                        + "AND name NOT LIKE 'sqlite_%' ORDER BY name")).containsExactly("test_run_finished",
                        "test_run_station_time", "test_run_unit", "unit_station", "unit_updated", "unit_work_order");
            }
        }
    }

    @ParameterizedTest(name = "{0} from version {1}")
    @CsvSource({"sqlite, 6", "sqlite, 4", "postgresql, 6", "postgresql, 4"})
    void anOldRunnersDatabaseIsBaselinedAtItsVersionAndKeepsItsData(String kind, int version) {
        String url = url(kind);
        restoreOldRunnersDatabase(url, version);
        execRaw(url, "INSERT INTO product (name, join_eui, mac_version, region, vendor_id, model_id, programming_profile, "
                + "created_at) VALUES ('sensor', '70b3d57ed0000000', '1.0.4', 'EU868', 7, 9, 'default', '2026-01-02T03:04:05Z')");
        execRaw(url, "INSERT INTO audit_log (at, actor, action, subject, details) "
                + "VALUES ('2026-01-02T03:04:05Z', 'cli', 'product.create', 'product:1', '{}')");

        List<String> history;
        try (Database db = Database.open(url)) {
            assertThat(rows(db, "SELECT name || ' ' || join_eui || ' ' || region || ' ' || net_ids || '|' || serial_template FROM product"))
                    .containsExactly("sensor 70b3d57ed0000000 EU868 |{product}-{yyMM}-{seq:06}");
            assertThat(rows(db, "SELECT actor || ' ' || action || ' ' || subject FROM audit_log"))
                    .containsExactly("cli product.create product:1");
            history = rows(db, "SELECT version || ' ' || type || ' ' || success FROM flyway_schema_history ORDER BY installed_rank");
            List<String> expected = new ArrayList<>();
            expected.add(version + " BASELINE " + (kind.equals("sqlite") ? "1" : "true"));
            for (int v = version + 1; v <= 6; v++) {
                expected.add(v + " SQL " + (kind.equals("sqlite") ? "1" : "true"));
            }
            assertThat(history).startsWith(expected.toArray(String[]::new));
            // The audit log stays append-only: the old runner's trigger came through.
            assertThatThrownBy(() -> exec(db, "DELETE FROM audit_log")).isInstanceOf(RuntimeException.class);
        }
        try (Database db = Database.open(url)) {
            assertThat(rows(db, "SELECT version || ' ' || type || ' ' || success FROM flyway_schema_history ORDER BY installed_rank"))
                    .isEqualTo(history);
            assertThat(rows(db, "SELECT name FROM product")).containsExactly("sensor");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aLorafabFromBeforeFlywaySeesTheUpgradedDatabaseAsNewerThanItself(String kind) {
        String url = url(kind);
        restoreOldRunnersDatabase(url, 6);
        Database.open(url).close();
        // The old runner refused a database whose MAX(version) in schema_version is above its newest script (6).
        assertThat(queryRaw(url, "SELECT MAX(version) FROM schema_version"))
                .containsExactly(Integer.toString(LegacySchemaVersion.SEAL_VERSION));
        assertThat(queryRaw(url, "SELECT COUNT(*) FROM schema_version WHERE version <= 6")).containsExactly("6");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anOldRunnersHistoryWithAChangedScriptIsStillRefusedAndFlywayTouchesNothing(String kind) {
        String url = url(kind);
        restoreOldRunnersDatabase(url, 6);
        execRaw(url, "UPDATE schema_version SET checksum = '" + "ab".repeat(32) + "' WHERE version = 3");
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code().code()).isEqualTo("migration_checksum");
            assertThat(e.getMessage()).contains("V3 (V3__session_as_id.sql)").doesNotContain("\n");
        });
        assertThat(queryRaw(url, kind.equals("sqlite")
                ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'flyway_schema_history'"
                : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                        + "AND table_name = 'flyway_schema_history'")).containsExactly("0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anOldRunnersHistoryNewerThanThisLorafabIsRefused(String kind) {
        String url = url(kind);
        restoreOldRunnersDatabase(url, 6);
        execRaw(url, "INSERT INTO schema_version (version, description, applied_at, checksum) "
                + "VALUES (99, 'V99__future.sql', '2027-01-01T00:00:00Z', '" + "00".repeat(32) + "')"); // past every script we have
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code().code()).isEqualTo("schema_too_new"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anOldRunnersHistoryFromBeforeChecksumsIsTakenOnTrustAsThatRunnerDid(String kind) {
        String url = url(kind);
        restoreOldRunnersDatabase(url, 4);
        execRaw(url, "ALTER TABLE schema_version DROP COLUMN checksum");
        try (Database db = Database.open(url)) {
            assertThat(rows(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                    .startsWith("4 BASELINE", "5 SQL", "6 SQL");
        }
    }

    @Test
    void anotherSchemasOldHistoryDoesNotStandForOurs() {
        // Another lorafab in the same PostgreSQL database, still on the old runner.
        String other = url("postgresql");
        restoreOldRunnersDatabase(other, 4);
        // Ours is new: Flyway applies every script from V1, and the other schema is left as it was.
        String ours = url("postgresql");
        try (Database db = Database.open(ours)) {
            assertThat(rows(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                    .startsWith("1 SQL", "2 SQL");
        }
        assertThat(queryRaw(other, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_name = 'flyway_schema_history'")).containsExactly("0");
        // And the other one, opened in turn, is taken over at its own version.
        try (Database db = Database.open(other)) {
            assertThat(rows(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                    .startsWith("4 BASELINE", "5 SQL", "6 SQL");
        }
    }

    /** A URL for the PostgreSQL schema {@code name}, made here and dropped after the test. */
    String pgSchemaNamed(String name) {
        execRaw(TestPostgres.BASE_URL, "CREATE SCHEMA " + name);
        String url = TestPostgres.BASE_URL + (TestPostgres.BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
        pgSchemas.add(url);
        return url;
    }

    static String schemaOf(String url) {
        return url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
    }

    // Issue 17: with another schema of the same database holding a schema_version table, the start failed with
    // 'column "checksum" does not exist': the history's table and columns were looked up in every schema.

    @Test
    void anotherSchemasHistoryFromBeforeChecksumsDoesNotStopAFreshSchema() {
        String other = url("postgresql");
        restoreOldRunnersDatabase(other, 4);
        execRaw(other, "ALTER TABLE schema_version DROP COLUMN checksum");
        String ours = url("postgresql");
        try (Database db = Database.open(ours)) {
            assertThat(rows(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                    .startsWith("1 SQL", "2 SQL");
        }
        assertThat(queryRaw(other, "SELECT COUNT(*) FROM schema_version")).containsExactly("4");
    }

    @Test
    void ourHistoryFromBeforeChecksumsIsReadFromOurSchemaNotFromAnotherThatHasChecksums() {
        String other = url("postgresql");
        restoreOldRunnersDatabase(other, 6);
        String ours = url("postgresql");
        restoreOldRunnersDatabase(ours, 4);
        execRaw(ours, "ALTER TABLE schema_version DROP COLUMN checksum");
        try (Database db = Database.open(ours)) {
            assertThat(rows(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                    .startsWith("4 BASELINE", "5 SQL", "6 SQL");
        }
    }

    @Test
    void ourChecksumsAreCheckedEvenWhenAnotherSchemasHistoryHasNone() {
        String other = url("postgresql");
        restoreOldRunnersDatabase(other, 4);
        execRaw(other, "ALTER TABLE schema_version DROP COLUMN checksum");
        String ours = url("postgresql");
        restoreOldRunnersDatabase(ours, 6);
        execRaw(ours, "UPDATE schema_version SET checksum = '" + "ab".repeat(32) + "' WHERE version = 3");
        assertThatThrownBy(() -> Database.open(ours)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code().code()).isEqualTo("migration_checksum"));
    }

    @Test
    void aSchemaWhoseNameDiffersOnlyWhereOursHasAnUnderscoreIsNotOurs() {
        // JDBC metadata takes a schema name as a LIKE pattern, in which '_' stands for any character.
        String suffix = TestPostgres.freshSchema();
        pgSchemas.add(suffix);
        String base = schemaOf(suffix).substring(2);
        String other = pgSchemaNamed("lfxold" + base);
        restoreOldRunnersDatabase(other, 4);
        execRaw(other, "ALTER TABLE schema_version DROP COLUMN checksum");
        String ours = pgSchemaNamed("lf_old" + base);
        try (Database db = Database.open(ours)) {
            assertThat(rows(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                    .startsWith("1 SQL", "2 SQL");
        }
        assertThat(queryRaw(other, "SELECT COUNT(*) FROM schema_version")).containsExactly("4");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSchemaHoldingSomeoneElsesTablesIsRefusedNotTakenOver(String kind) {
        String url = url(kind);
        if (kind.equals("sqlite")) {
            Database.open(url).close(); // makes the file; then replace lorafab's tables by a stranger's
            execRaw(url, "DROP TABLE flyway_schema_history");
        }
        execRaw(url, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
        assertThatThrownBy(() -> Database.open(url)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code().code()).isEqualTo("schema_not_empty");
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContainIgnoringCase("baseline");
        });
    }

    @Test
    void openExistingRecognisesAnOldRunnersPostgresqlRegistry() {
        String url = url("postgresql");
        restoreOldRunnersDatabase(url, 6);
        try (Database db = Database.openExisting(url)) {
            // taken over at its own version; the scripts added since then follow it
            assertThat(rows(db, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")).startsWith("6");
        }
        try (Database db = Database.openExisting(url)) {
            assertThat(db.dialect()).isEqualTo(Dialect.POSTGRESQL);
        }
    }
}
