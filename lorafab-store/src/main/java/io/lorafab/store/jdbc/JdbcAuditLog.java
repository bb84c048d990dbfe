package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.insert;
import static io.lorafab.store.jdbc.JdbcContext.list;

import io.lorafab.store.AuditLog;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditLog} on the {@code audit_log} table (reservations append theirs in {@link BatchReservation}). */
final class JdbcAuditLog implements AuditLog {

    private final JdbcContext jdbc;

    JdbcAuditLog(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public AuditEvent audit(String actor, String action, String subject, String details) {
        String at = jdbc.now();
        long id = jdbc.write(c -> insert(c, "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?,?,?,?,?)",
                at, actor, action, subject, details));
        return new AuditEvent(id, Timestamps.parse(at), actor, action, subject, details);
    }

    @Override
    public List<AuditEvent> auditLog(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, subject, details FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        matches(sql, args, "actor", q.actor());
        matches(sql, args, "action", q.action());
        if (q.subject() != null) {
            sql.append(" AND subject = ?");
            args.add(q.subject());
        }
        // 'at' is Instant.toString() text, whose fraction of a second is left out when zero: without the 'Z'
        // the text orders as the instants do ("...:09" < "...:09.5"), in both dialects
        if (q.since() != null) {
            sql.append(" AND REPLACE(at, 'Z', '') >= ?");
            args.add(timeKey(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND REPLACE(at, 'Z', '') < ?");
            args.add(timeKey(q.until()));
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(q.limit());
        return jdbc.read(c -> list(c, sql.toString(), rs -> new AuditEvent(rs.getLong(1), Timestamps.parse(rs.getString(2)),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)), args.toArray()));
    }

    /**
     * {@code column = value}, or a prefix match when the value ends with '*'. The prefix is compared with
     * SUBSTR rather than LIKE, which ignores case on SQLite but not on PostgreSQL and has wildcards to escape.
     */
    private static void matches(StringBuilder sql, List<Object> args, String column, String value) {
        if (value == null) {
            return;
        }
        if (value.endsWith("*")) {
            String prefix = value.substring(0, value.length() - 1);
            sql.append(" AND SUBSTR(").append(column).append(", 1, ").append(prefix.length()).append(") = ?");
            args.add(prefix);
        } else {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String timeKey(Instant t) {
        String s = t.toString();
        return s.substring(0, s.length() - 1);
    }
}
