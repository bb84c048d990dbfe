package io.lorafab.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the per-aggregate JDBC stores share: the database, the clock, and the connection of the transaction open
 * on this thread. Every store of one {@link JdbcRegistry} holds the same context, so that a
 * {@link JdbcRegistry#transaction} spans them all: a store call made inside it runs on the bound connection
 * instead of taking one of its own.
 */
final class JdbcContext {

    final Database db;
    final Clock clock;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    JdbcContext(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    Dialect dialect() {
        return db.dialect();
    }

    boolean inTransaction() {
        return bound.get() != null;
    }

    /** Runs {@code work} in one transaction that every store call on this thread joins; nested calls join the outer one. */
    <T> T transaction(Supplier<T> work) {
        if (bound.get() != null) {
            return work.get();
        }
        return db.tx(c -> {
            bound.set(c);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        });
    }

    <T> T write(Database.SqlWork<T> work) {
        Connection c = bound.get();
        return c != null ? onBound(c, work) : db.tx(work);
    }

    <T> T read(Database.SqlWork<T> work) {
        Connection c = bound.get();
        return c != null ? onBound(c, work) : db.read(work);
    }

    /** Inside a transaction this thread holds: the work joins it, and commits or rolls back with it. */
    private static <T> T onBound(Connection c, Database.SqlWork<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw Sql.translate(e);
        }
    }

    /**
     * A read of several queries that see one state of the database (the figures of a report must agree with
     * each other while stations keep finishing units): one read-only transaction, REPEATABLE READ on
     * PostgreSQL; a SQLite read transaction sees one snapshot of the WAL.
     */
    <T> T readSnapshot(Database.SqlWork<T> work) {
        if (bound.get() != null) {
            return read(work);
        }
        return db.read(c -> {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            if (db.dialect() == Dialect.POSTGRESQL) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                if (db.dialect() == Dialect.POSTGRESQL) {
                    c.setTransactionIsolation(isolation);
                }
            }
        });
    }

    String now() {
        return clock.instant().toString();
    }

    /** Row lock for the rest of the transaction (PostgreSQL); SQLite transactions already hold the write lock. */
    String forUpdate() {
        return forUpdate(db.dialect());
    }

    static String forUpdate(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    // ---- JDBC helpers -------------------------------------------------------------------------------

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement p, Object... args) throws SQLException {
        bind(p, 0, args);
    }

    /** Binds {@code args} to the parameters after the first {@code offset} ones (a row of a multi-row statement). */
    static void bind(PreparedStatement p, int offset, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int at = offset + i + 1;
            if (a == null) {
                p.setNull(at, Types.NULL);
            } else if (a instanceof Integer n) {
                p.setInt(at, n);
            } else if (a instanceof Long n) {
                p.setLong(at, n);
            } else if (a instanceof Double d) {
                p.setDouble(at, d);
            } else if (a instanceof Boolean f) {
                p.setBoolean(at, f); // SQLite's INTEGER 0/1, PostgreSQL's BOOLEAN
            } else {
                p.setString(at, a.toString());
            }
        }
    }

    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql + " RETURNING id")) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw Sql.translateInsert(e, sql, args);
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        }
    }

    static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(m.map(rs)) : Optional.empty();
            }
        }
    }

    /**
     * As {@link #one}, with the statement prepared once per connection ({@link Database#prepared}): for the look-ups
     * every join or reservation makes, whose prepare would cost about as much as the query.
     */
    <T> Optional<T> oneCached(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        PreparedStatement p = db.prepared(c, sql);
        bind(p, args);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(m.map(rs)) : Optional.empty();
        }
    }

    static <T> List<T> list(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(m.map(rs));
                }
                return out;
            }
        }
    }

    static Double nullableDouble(ResultSet rs, int col) throws SQLException {
        double d = rs.getDouble(col);
        return rs.wasNull() ? null : d;
    }

    static Integer nullableInt(ResultSet rs, int col) throws SQLException {
        int i = rs.getInt(col);
        return rs.wasNull() ? null : i;
    }

    static Long nullableLong(ResultSet rs, int col) throws SQLException {
        long l = rs.getLong(col);
        return rs.wasNull() ? null : l;
    }
}
