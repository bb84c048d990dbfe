package io.lorafab.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lorafab.api.ErrorCode;
import io.lorafab.store.OwnerOnlyFiles;
import io.lorafab.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection pool on SQLite or PostgreSQL with the registry's schema migrated, and transactions.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL}: a committed transaction is on disk. Writers in
 * this process take turns on a lock, and each write transaction starts IMMEDIATE so that writers in other
 * processes wait (busy timeout) rather than fail on a lock upgrade. PostgreSQL runs at READ COMMITTED; the
 * registry locks the counter rows it advances (work order slots, EUI block indexes) with SELECT ... FOR UPDATE
 * until commit.
 *
 * <p>Two SQLite settings are there for the join commit thread, the one serial part of the join server
 * (docs/BENCHMARKS.md, issue 17): {@code temp_store=MEMORY}, because a multi-row statement or savepoint inside a
 * transaction keeps the pages it changes in a statement journal, by default a temporary file opened, written and
 * deleted for every batch (two thirds of that thread's writes); that journal only serves to undo a statement
 * within a live transaction, never crash recovery. And a checkpoint every {@value #WAL_AUTOCHECKPOINT_PAGES} WAL
 * pages instead of SQLite's 1,000: a batch of a few hundred joins writes over a thousand pages, so the committing
 * thread copied the WAL back into the database after every commit or two, rewriting the same index pages each
 * time; with a longer WAL a page changed by many commits is copied once. A commit is on disk when its WAL frames
 * are (synchronous=FULL), before and after; the WAL file grows to about 64 MiB before it is reused.
 */
public final class Database implements AutoCloseable {

    /** WAL pages (4 KiB each) after which a committing connection checkpoints: 64 MiB. */
    static final int WAL_AUTOCHECKPOINT_PAGES = 16_384;

    /** The default embedded database, relative to the working directory. */
    public static final String DEFAULT_URL = "jdbc:sqlite:lorafab-data/lorafab.db";

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String url;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** Statements of the hot paths, prepared once per physical connection: see {@link #prepared}. */
    private final Map<Connection, Map<String, PreparedStatement>> statements = new IdentityHashMap<>();

    private Database(HikariDataSource pool, Dialect dialect, String url) {
        this.pool = pool;
        this.dialect = dialect;
        this.url = url;
    }

    /**
     * Opens the database at {@code jdbcUrl}, creating it if needed (an SQLite file: mode 0600 in a folder made
     * 0700), and applies pending migrations.
     */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, true);
    }

    /**
     * Opens a registry that exists already and applies pending migrations; refuses ({@code registry_missing}) an
     * SQLite file that is not there or a PostgreSQL database without lorafab's schema, rather than making an
     * empty registry that a typing mistake in a path would then fill.
     */
    public static Database openExisting(String jdbcUrl) {
        return open(jdbcUrl, false);
    }

    private static Database open(String jdbcUrl, boolean create) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setPoolName("lorafab-" + dialect.name().toLowerCase());
        cfg.setAutoCommit(true);
        if (dialect == Dialect.SQLITE) {
            prepareFile(jdbcUrl, create);
            cfg.setMaximumPoolSize(4);
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("synchronous", "FULL");
            cfg.addDataSourceProperty("foreign_keys", "true");
            cfg.addDataSourceProperty("busy_timeout", "30000");
            cfg.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            // see the class comment: neither changes what a commit guarantees
            cfg.addDataSourceProperty("temp_store", "MEMORY");
            cfg.addDataSourceProperty("wal_autocheckpoint", Integer.toString(WAL_AUTOCHECKPOINT_PAGES));
        } else {
            cfg.setMaximumPoolSize(16);
            cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new StoreException(ErrorCode.DATABASE_UNAVAILABLE, "cannot open database " + redact(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        Database db = new Database(ds, dialect, jdbcUrl);
        try {
            if (!create && dialect == Dialect.POSTGRESQL && !db.hasSchema()) {
                throw missing("no lorafab registry in the database " + redact(jdbcUrl));
            }
            new Migrations(dialect).apply(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL without any password. */
    public String displayUrl() {
        return redact(url);
    }

    /** The pool itself, for Flyway, which manages its own connections and transactions. */
    javax.sql.DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T tx(SqlWork<T> work) {
        boolean locked = dialect == Dialect.SQLITE;
        if (locked) {
            writeLock.lock();
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable t) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    t.addSuppressed(suppressed);
                }
                throw t;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Sql.translate(e);
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    /**
     * {@code sql} prepared on the physical connection under the pooled {@code c}, once per physical connection and
     * kept across borrowings: the join server's commit thread and its workers used to prepare the same few statements
     * again for every join, and on SQLite a prepare costs nearly as much as running the statement. The caller must not
     * close it (its result sets, yes) and uses it only while it holds {@code c}, as with any statement of {@code c}.
     * Only for a fixed set of statements: each one stays until its connection is retired by the pool.
     */
    PreparedStatement prepared(Connection c, String sql) throws SQLException {
        Connection raw = c.unwrap(Connection.class);
        Map<String, PreparedStatement> mine;
        synchronized (statements) {
            mine = statements.get(raw);
            if (mine == null) {
                // a connection the pool has not lent before: forget those it has retired (closing a connection closes its statements)
                statements.keySet().removeIf(Database::isClosed);
                mine = new HashMap<>();
                statements.put(raw, mine);
            }
        }
        // the map of one connection is used only by the thread holding that connection, as its statements are
        PreparedStatement p = mine.get(sql);
        if (p == null || p.isClosed()) {
            p = raw.prepareStatement(sql);
            mine.put(sql, p);
        }
        return p;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Runs a read in autocommit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw Sql.translate(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A unit of database work. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** The SQLite database file a URL names, or null for an in-memory database. */
    public static Path sqliteFile(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith(":memory:")) {
            return null;
        }
        return Path.of(file);
    }

    /**
     * Creates the SQLite file owner-only before the driver opens it: SQLite creates the -wal and -shm files with
     * the database file's own permissions (its unix VFS, tested in SQLite's journal3.test), so they are 0600 too.
     */
    private static void prepareFile(String jdbcUrl, boolean create) {
        Path file = sqliteFile(jdbcUrl);
        if (file == null) {
            return;
        }
        if (!create) {
            if (!Files.isRegularFile(file)) {
                throw missing("no lorafab registry at " + file.toAbsolutePath().normalize()
                        + (Files.isDirectory(file.toAbsolutePath().getParent()) ? "" : " (no such folder)"));
            }
            return;
        }
        Path abs = file.toAbsolutePath();
        try {
            OwnerOnlyFiles.createDirectories(abs.getParent());
            OwnerOnlyFiles.createFile(abs);
        } catch (IOException e) {
            throw new StoreException(ErrorCode.DATABASE_UNAVAILABLE, "cannot create " + abs + ": " + e.getMessage(), e);
        }
    }

    private static StoreException missing(String message) {
        return new StoreException(ErrorCode.REGISTRY_MISSING, message);
    }

    private boolean hasSchema() {
        return read(c -> {
            try (java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery(
                            "SELECT to_regclass('flyway_schema_history') IS NOT NULL OR to_regclass('schema_version') IS NOT NULL")) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    /** A URL as it may be shown: without any password. */
    public static String redacted(String url) {
        return redact(url);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }
}
