package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;
import java.sql.SQLException;

/** Maps JDBC failures to {@link StoreException} codes. */
final class Sql {
    private Sql() {
    }

    static StoreException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (state.equals("23505") || msg.contains("UNIQUE constraint failed")) {
            return new StoreException(ErrorCode.DUPLICATE, "already exists: " + uniqueWhat(msg), e);
        }
        if (state.startsWith("23") || msg.contains("constraint failed")) {
            return new StoreException(ErrorCode.CONSTRAINT_VIOLATION, "rejected by the database: " + firstLine(msg), e);
        }
        if (msg.contains("append-only")) {
            return new StoreException(ErrorCode.APPEND_ONLY, "the audit log is append-only", e);
        }
        if (msg.contains("SQLITE_BUSY") || state.equals("40001") || state.equals("40P01")) {
            return new StoreException(ErrorCode.BUSY, "the database is busy; try again", e);
        }
        return new StoreException(ErrorCode.DATABASE_ERROR, "database error: " + firstLine(msg), e);
    }

    /**
     * As {@link #translate(SQLException)}, for a failed {@code INSERT INTO t (c1, c2, ...) VALUES (?, ?, ...)}
     * with {@code args}: a UNIQUE violation names the value inserted into the column at fault, unless the column
     * could hold secret material (keys, hashes, check values), e.g. {@code already exists: unit.serial "SN-1"}.
     */
    static StoreException translateInsert(SQLException e, String insertSql, Object... args) {
        StoreException t = translate(e);
        if (t.code() != ErrorCode.DUPLICATE) {
            return t;
        }
        String what = uniqueWhat(e.getMessage() == null ? "" : e.getMessage());
        String column = what.contains(".") ? what.substring(what.lastIndexOf('.') + 1) : what;
        int open = insertSql.indexOf('(');
        int close = insertSql.indexOf(')', open + 1);
        if (open < 0 || close < 0 || column.contains(",") || mayBeSecret(column)) {
            return t;
        }
        if (!what.contains(".")) {
            String[] words = insertSql.substring(0, open).strip().split("\\s+");
            what = words[words.length - 1] + "." + column;
        }
        String[] columns = insertSql.substring(open + 1, close).split(",");
        for (int i = 0; i < columns.length && i < args.length; i++) {
            if (columns[i].strip().equals(column) && args[i] != null) {
                return new StoreException(ErrorCode.DUPLICATE, "already exists: " + what + " \"" + args[i] + "\"", e);
            }
        }
        return t;
    }

    private static boolean mayBeSecret(String column) {
        String c = column.toLowerCase(java.util.Locale.ROOT);
        return c.contains("key") || c.contains("hash") || c.contains("wrapped") || c.contains("check") || c.contains("token")
                || c.contains("secret") || c.contains("pin");
    }

    private static String uniqueWhat(String msg) {
        int i = msg.indexOf("UNIQUE constraint failed: ");
        if (i >= 0) {
            String rest = msg.substring(i + "UNIQUE constraint failed: ".length());
            int end = rest.indexOf(')');
            return end >= 0 ? rest.substring(0, end) : firstLine(rest);
        }
        int k = msg.indexOf("Key (");
        if (k >= 0) {
            int end = msg.indexOf(')', k);
            return end >= 0 ? msg.substring(k + 5, end) : firstLine(msg);
        }
        return firstLine(msg);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
