package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off from lorafab's own migration runner (before Flyway) to Flyway. That runner recorded each script
 * it applied in {@code schema_version (version, description, applied_at, checksum)}, the checksum being the
 * SHA-256 of the script's non-blank lines joined by LF. A database that has that table and no Flyway history is
 * checked here exactly as that runner checked it (a changed script, or a version this lorafab does not have,
 * stops the start), and Flyway is then baselined at the version it recorded, so that Flyway applies only the
 * scripts that came after and the data stays.
 *
 * <p>Once Flyway has taken over, {@link #seal} adds a row far above any real version to {@code schema_version}:
 * a lorafab from before Flyway, started on the upgraded database, then refuses it as newer than itself instead of
 * running on a schema it does not know. The table is otherwise left as it was, as the record of the old history.
 */
final class LegacySchemaVersion {
    private static final Logger log = LoggerFactory.getLogger(LegacySchemaVersion.class);
    /** The key the old runner took its PostgreSQL advisory lock on, so that an old and a new lorafab do not race. */
    private static final long PG_LOCK_KEY = 0x6c6f7261666162L; // "lorafab"
    static final String TABLE = "schema_version";
    static final int SEAL_VERSION = 1_000_000;

    private LegacySchemaVersion() {
    }

    /**
     * The version to baseline Flyway at, or empty if the database has no history of the old runner (new, or
     * already handed to Flyway). {@code resolved} lists this lorafab's migrations; it is asked only when there
     * is an old history to check.
     */
    static OptionalInt verify(Database db, Dialect dialect, Supplier<MigrationInfoService> resolved) {
        if (!db.read(c -> pending(c, dialect))) {
            return OptionalInt.empty();
        }
        Map<Integer, String> scripts = new HashMap<>();
        int latest = 0;
        for (MigrationInfo m : resolved.get().all()) {
            if (m.getVersion() != null && m.getState().isResolved() && m.getScript() != null) {
                int v = Integer.parseInt(m.getVersion().getVersion());
                scripts.put(v, m.getScript());
                latest = Math.max(latest, v);
            }
        }
        int codeVersion = latest;
        return db.tx(c -> {
            lock(c, dialect);
            if (!pending(c, dialect)) {
                return OptionalInt.empty(); // another process handed it over while we were looking
            }
            int recorded = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + TABLE + " ORDER BY version")) {
                boolean hasChecksum = hasColumn(rs.getMetaData(), "checksum");
                while (rs.next()) {
                    int version = rs.getInt("version");
                    recorded = Math.max(recorded, version);
                    if (version > codeVersion) {
                        continue; // reported below as a whole
                    }
                    String script = scripts.get(version);
                    if (script == null) {
                        throw new StoreException(ErrorCode.MIGRATION_CHECKSUM, "migration V" + version + " ("
                                + rs.getString("description") + ") applied to this database is not in this lorafab");
                    }
                    String stored = hasChecksum ? rs.getString("checksum") : null;
                    // Rows from a lorafab from before checksums have none: that runner filled them in on trust.
                    if (stored != null && !stored.equals(sha256(dialect, script))) {
                        throw new StoreException(ErrorCode.MIGRATION_CHECKSUM, "migration V" + version + " (" + script
                                + ") was changed after it was applied to this database; restore the script or the database");
                    }
                }
            }
            if (recorded > codeVersion) {
                throw Migrations.tooNew(Integer.toString(recorded), Integer.toString(codeVersion), null);
            }
            if (recorded == 0) {
                // An empty history says nothing (the old runner never committed one); without it the database
                // is simply new to Flyway.
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + TABLE);
                }
                return OptionalInt.empty();
            }
            return OptionalInt.of(recorded);
        });
    }

    /** Marks the old history as handed over; see the class comment. */
    static void seal(Database db, Dialect dialect, int baselinedAt) {
        db.tx(c -> {
            lock(c, dialect);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (version, description, applied_at) "
                    + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM " + TABLE + " WHERE version = ?)")) {
                p.setInt(1, SEAL_VERSION);
                p.setString(2, "continued in flyway_schema_history");
                p.setString(3, Instant.now().toString());
                p.setInt(4, SEAL_VERSION);
                if (p.executeUpdate() > 0) {
                    log.info("schema history handed to Flyway at version {}", baselinedAt);
                }
            }
            return null;
        });
    }

    /** An old history not yet handed to Flyway: schema_version present, flyway_schema_history absent. */
    private static boolean pending(Connection c, Dialect dialect) throws SQLException {
        return hasTable(c, dialect, TABLE) && !hasTable(c, dialect, "flyway_schema_history");
    }

    private static void lock(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
            }
        }
    }

    /**
     * Looked up in the connection's own schema only: on PostgreSQL another schema of the same database (another
     * lorafab, a test) may hold tables of the same names. There it is asked of current_schema() by equality, not
     * through JDBC metadata, which takes the schema name as a LIKE pattern ('_' in "lorafab_a" also matches
     * "lorafabXa"): the history of another schema was then taken for ours, and reading it failed.
     */
    private static boolean hasTable(Connection c, Dialect dialect, String name) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (PreparedStatement p = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM information_schema.tables "
                    + "WHERE table_schema = current_schema() AND table_name = ?)")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        }
        DatabaseMetaData meta = c.getMetaData();
        String escape = meta.getSearchStringEscape();
        String pattern = escape == null || escape.isEmpty() ? name : name.replace("_", escape + "_");
        try (ResultSet rs = meta.getTables(null, c.getSchema(), pattern, null)) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Asked of the rows just read, so the column is that table's: never one of a namesake in another schema. */
    private static boolean hasColumn(ResultSetMetaData meta, String name) throws SQLException {
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The old runner's checksum: SHA-256 of the script's non-blank lines joined by LF, in hex. */
    static String sha256(Dialect dialect, String script) {
        String resource = dialect.migrationFolder() + "/" + script;
        StringBuilder text = new StringBuilder();
        try (InputStream in = LegacySchemaVersion.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + resource);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        text.append(text.length() == 0 ? "" : "\n").append(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
