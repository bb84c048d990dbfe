package io.lorafab.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Ids for the rows a batch is about to insert into a table with a generated {@code id}, taken before the insert, so
 * the rows go in with their ids and need not be read back.
 *
 * <p>Why: neither database promises that {@code INSERT ... RETURNING} lists the rows in the order they were given, so a
 * multi-row insert that must tell its callers their rows' ids had to read every column back and match rows by value;
 * for the join batch's events that matching was a quarter of the commit thread's time. Taking the ids first is safe on
 * both databases: on PostgreSQL they come from the column's own sequence ({@code nextval} never hands a value out twice,
 * whoever else inserts); on SQLite the batch's IMMEDIATE transaction holds the write lock from its first statement, so
 * nothing else can insert between reading the highest id and writing the rows, and an explicit id above the
 * AUTOINCREMENT counter moves the counter, as a generated one would. The ids are ascending in the order asked, as a
 * single-row insert each would have given them.
 */
final class RowIds {

    private RowIds() {
    }

    /** {@code n} ids for new rows of {@code table} (one of the store's own, never user input), ascending. */
    static long[] take(Connection c, Database db, String table, int n) throws SQLException {
        long[] ids = new long[n];
        if (n == 0) {
            return ids;
        }
        switch (db.dialect()) {
            case SQLITE -> {
                PreparedStatement p = db.prepared(c, "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '" + table
                        + "'), 0), coalesce((SELECT max(id) FROM " + table + "), 0))");
                long last;
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    last = rs.getLong(1);
                }
                for (int i = 0; i < n; i++) {
                    ids[i] = last + 1 + i;
                }
            }
            case POSTGRESQL -> {
                PreparedStatement p = db.prepared(c, "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id')) "
                        + "FROM generate_series(1, ?)");
                p.setInt(1, n);
                int i = 0;
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids[i++] = rs.getLong(1);
                    }
                }
                if (i != n) {
                    throw new IllegalStateException("the sequence of " + table + " gave " + i + " of " + n + " ids");
                }
                Arrays.sort(ids);
            }
        }
        return ids;
    }
}
