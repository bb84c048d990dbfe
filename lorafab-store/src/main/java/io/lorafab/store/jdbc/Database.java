package io.lorafab.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lorafab.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection pool on SQLite or PostgreSQL with the registry's schema migrated, and transactions.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=FULL}: a committed transaction is on disk. Writers in
 * this process take turns on a lock, and each write transaction starts IMMEDIATE so that writers in other
 * processes wait (busy timeout) rather than fail on a lock upgrade. PostgreSQL runs at READ COMMITTED; the
 * registry locks the counter rows it advances (work order slots, EUI block indexes) with SELECT ... FOR UPDATE
 * until commit.
 */
public final class Database implements AutoCloseable {

    /** The default embedded database, relative to the working directory. */
    public static final String DEFAULT_URL = "jdbc:sqlite:lorafab-data/lorafab.db";

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String url;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private Database(HikariDataSource pool, Dialect dialect, String url) {
        this.pool = pool;
        this.dialect = dialect;
        this.url = url;
    }

    /** Opens the database at {@code jdbcUrl} and applies pending migrations. */
    public static Database open(String jdbcUrl) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setPoolName("lorafab-" + dialect.name().toLowerCase());
        cfg.setAutoCommit(true);
        if (dialect == Dialect.SQLITE) {
            createParentFolder(jdbcUrl);
            cfg.setMaximumPoolSize(4);
            cfg.addDataSourceProperty("journal_mode", "WAL");
            cfg.addDataSourceProperty("synchronous", "FULL");
            cfg.addDataSourceProperty("foreign_keys", "true");
            cfg.addDataSourceProperty("busy_timeout", "30000");
            cfg.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        } else {
            cfg.setMaximumPoolSize(16);
            cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new StoreException("database_unavailable", "cannot open database " + redact(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        Database db = new Database(ds, dialect, jdbcUrl);
        try {
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

    private static void createParentFolder(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file::memory:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("database_unavailable", "cannot create " + parent + ": " + e.getMessage(), e);
        }
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
