package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: {@code db/migration/<dialect>/index.txt} lists the scripts in order
 * ({@code V<n>__<description>.sql}); each is applied once and recorded in {@code schema_version} with the
 * SHA-256 of its text. The pending scripts run in one transaction, so a failing one leaves the schema as it
 * was. A script changed after it was applied (its checksum differs) stops the start-up with
 * {@code migration_checksum}: the database would no longer match what the code expects of it. Rows written by a
 * lorafab from before checksums get theirs filled in. On PostgreSQL an advisory lock keeps two servers starting
 * together from racing.
 */
final class Migrations {
    private static final long PG_LOCK_KEY = 0x6c6f7261666162L; // "lorafab"
    private final Dialect dialect;

    Migrations(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * A script and its checksum: the SHA-256 of its non-blank lines joined by LF, in hex (line endings and blank
     * lines do not count).
     */
    record Script(int version, String name, String sql, String checksum) {
        Script(int version, String name, String sql) {
            this(version, name, sql, sha256(sql));
        }

        private static String sha256(String sql) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(d);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JVM", e);
            }
        }
    }

    void apply(Database db) {
        List<Script> scripts = load();
        db.tx(c -> {
            if (dialect == Dialect.POSTGRESQL) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at TEXT NOT NULL)");
            }
            addChecksumColumn(c);
            verify(c, scripts);
            int current = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            int latest = scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
            if (current > latest) {
                throw new StoreException(ErrorCode.SCHEMA_TOO_NEW, "the database schema (version " + current
                        + ") is newer than this lorafab (version " + latest + "); upgrade lorafab");
            }
            for (Script script : scripts) {
                if (script.version() <= current) {
                    continue;
                }
                run(c, script);
            }
            return null;
        });
    }

    /**
     * schema_version from before checksums has no checksum column. The lookup is confined to the connection's own
     * schema: on PostgreSQL another schema of the same database (another lorafab, a test) may hold a
     * schema_version that already has the column, and taking its answer for ours left ours without it.
     */
    private void addChecksumColumn(Connection c) throws SQLException {
        boolean present = false;
        DatabaseMetaData meta = c.getMetaData();
        String escape = meta.getSearchStringEscape();
        String table = escape == null || escape.isEmpty() ? "schema_version" : "schema" + escape + "_version";
        try (ResultSet rs = meta.getColumns(null, c.getSchema(), table, null)) {
            while (rs.next()) {
                present |= rs.getString("TABLE_NAME").equalsIgnoreCase("schema_version")
                        && rs.getString("COLUMN_NAME").equalsIgnoreCase("checksum");
            }
        }
        if (!present) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE schema_version ADD COLUMN checksum TEXT");
            }
        }
    }

    /** Every applied script must still be the script that was applied. */
    private void verify(Connection c, List<Script> scripts) throws SQLException {
        java.util.Map<Integer, Script> byVersion = new java.util.HashMap<>();
        scripts.forEach(s -> byVersion.put(s.version(), s));
        List<Script> unrecorded = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, description, checksum FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                Script script = byVersion.get(rs.getInt(1));
                if (script == null) {
                    continue; // newer than this lorafab: reported as schema_too_new
                }
                String stored = rs.getString(3);
                if (stored == null) {
                    unrecorded.add(script);
                } else if (!stored.equals(script.checksum())) {
                    throw new StoreException(ErrorCode.MIGRATION_CHECKSUM, "migration " + script.name() + " was changed after it "
                            + "was applied to this database (recorded SHA-256 " + stored.substring(0, 12) + "..., this lorafab's "
                            + script.checksum().substring(0, 12) + "...); restore the script or the database");
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE schema_version SET checksum = ? WHERE version = ?")) {
            for (Script script : unrecorded) {
                p.setString(1, script.checksum());
                p.setInt(2, script.version());
                p.executeUpdate();
            }
        }
    }

    private void run(Connection c, Script script) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String stmt : split(script.sql(), dialect)) {
                s.execute(stmt);
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO schema_version (version, description, applied_at, checksum) VALUES (?, ?, ?, ?)")) {
            p.setInt(1, script.version());
            p.setString(2, script.name());
            p.setString(3, Instant.now().toString());
            p.setString(4, script.checksum());
            p.executeUpdate();
        }
    }

    private List<Script> load() {
        String folder = dialect.migrationFolder();
        List<Script> out = new ArrayList<>();
        for (String name : lines(folder + "/index.txt")) {
            if (!name.matches("V\\d+__[A-Za-z0-9_]+\\.sql")) {
                throw new IllegalStateException("bad migration name " + name);
            }
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            if (!out.isEmpty() && version != out.get(out.size() - 1).version() + 1) {
                throw new IllegalStateException("migrations out of sequence at " + name);
            }
            out.add(new Script(version, name, String.join("\n", lines(folder + "/" + name))));
        }
        return out;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + resource);
            }
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        out.add(line);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /**
     * Splits a script into statements at semicolons that end a line, keeping trigger bodies (SQLite
     * BEGIN ... END; and PostgreSQL $$ ... $$) whole.
     */
    static List<String> split(String sql, Dialect dialect) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inDollar = false;
        boolean inBeginEnd = false;
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            int dollars = t.split("\\$\\$", -1).length - 1;
            if (dollars % 2 == 1) {
                inDollar = !inDollar;
            }
            if (dialect == Dialect.SQLITE && t.matches("(?i)CREATE TRIGGER .*")) {
                inBeginEnd = true;
            }
            boolean ends = t.endsWith(";") && !inDollar && (!inBeginEnd || t.matches("(?i).*\\bEND;$"));
            if (ends) {
                out.add(cur.toString().strip().replaceAll(";$", inBeginEnd ? ";" : ""));
                cur.setLength(0);
                inBeginEnd = false;
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
