package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.ReportStore;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.UnitState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ReportStore} over the {@code unit}, {@code test_run} and {@code radio_event} tables, in SQL that both
 * dialects run alike except where JSON is read (the station's {@code joinMs}). The indexes it leans on are V8's.
 */
final class JdbcReportStore implements ReportStore {

    private static final String VERDICTS = "('" + TestResult.PASSED.name() + "', '" + TestResult.FAILED.name() + "')";

    private final JdbcContext jdbc;

    JdbcReportStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    // ---- an order's units ---------------------------------------------------------------------------

    @Override
    public List<UnitRow> orderUnits(long workOrderId, UnitFilter filter, long afterId, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(workOrderId, filter, args);
        args.add(afterId);
        String sql = "SELECT u.id, u.dev_eui, u.serial, u.state, u.station_id, u.updated_at, "
                + "(SELECT COUNT(*) FROM test_run n WHERE n.unit_id = u.id), l.result, l.reason_code, l.finished_at "
                + "FROM unit u LEFT JOIN test_run l ON l.id = (SELECT MAX(x.id) FROM test_run x WHERE x.unit_id = u.id) "
                + where + " AND u.id > ? ORDER BY u.id LIMIT " + Math.max(0, limit);
        return jdbc.read(c -> list(c, sql, rs -> {
            String result = rs.getString(8);
            String lastAt = rs.getString(10);
            return new UnitRow(rs.getLong(1), Eui64.parse(rs.getString(2)), rs.getString(3), UnitState.valueOf(rs.getString(4)),
                    rs.getString(5), Instant.parse(rs.getString(6)), rs.getInt(7), result == null ? null : TestResult.valueOf(result),
                    rs.getString(9), lastAt == null ? null : Instant.parse(lastAt));
        }, args.toArray()));
    }

    @Override
    public long countOrderUnits(long workOrderId, UnitFilter filter) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM unit u " + where(workOrderId, filter, args);
        return jdbc.read(c -> one(c, sql, rs -> rs.getLong(1), args.toArray())).orElse(0L);
    }

    private static String where(long workOrderId, UnitFilter f, List<Object> args) {
        StringBuilder sql = new StringBuilder("WHERE u.work_order_id = ?");
        args.add(workOrderId);
        if (f.state() != null) {
            sql.append(" AND u.state = ?");
            args.add(f.state().name());
        }
        if (f.stationId() != null) {
            sql.append(" AND u.station_id = ?");
            args.add(f.stationId());
        }
        if (f.from() != null) {
            sql.append(" AND ").append(atOrAfter("u.updated_at", f.from(), args));
        }
        if (f.to() != null) {
            sql.append(" AND REPLACE(u.updated_at, 'Z', '') < ?");
            args.add(timeKey(f.to()));
        }
        if (f.reason() != null) {
            sql.append(" AND (SELECT f.reason_code FROM test_run f WHERE f.id = (SELECT MAX(x.id) FROM test_run x "
                    + "WHERE x.unit_id = u.id AND x.result = ?)) = ?");
            args.add(TestResult.FAILED.name());
            args.add(f.reason());
        }
        return sql.toString();
    }

    // ---- radio and yield of an order ----------------------------------------------------------------

    @Override
    public List<ValueCount> joinMetric(long workOrderId, JoinMetric metric) {
        String column = switch (metric) {
            case RSSI -> "rssi";
            case SNR -> "snr";
        };
        String sql = "SELECT e." + column + ", COUNT(*) FROM radio_event e JOIN (SELECT MAX(r.id) AS id FROM radio_event r "
                + "JOIN unit u ON u.dev_eui = r.dev_eui WHERE u.work_order_id = ? AND r.kind = 'join_accepted' GROUP BY r.dev_eui) x "
                + "ON e.id = x.id WHERE e." + column + " IS NOT NULL GROUP BY e." + column + " ORDER BY e." + column;
        return jdbc.read(c -> list(c, sql, rs -> new ValueCount(rs.getDouble(1), rs.getLong(2)), workOrderId));
    }

    @Override
    public List<ValueCount> joinLatencyMs(long workOrderId, int resolutionMs) {
        if (resolutionMs < 1) {
            throw new IllegalArgumentException("resolution must be at least 1 ms");
        }
        // measurements are the JSON object the station sent, but a script may have sent text that is not JSON:
        // such a run has no joinMs rather than failing the report
        String joinMs = switch (jdbc.dialect()) {
            case SQLITE -> "CASE WHEN json_valid(r.measurements) THEN CASE WHEN json_type(r.measurements, '$.joinMs') "
                    + "IN ('integer', 'real') THEN CAST(json_extract(r.measurements, '$.joinMs') AS INTEGER) END END";
            case POSTGRESQL -> "CASE WHEN jsonb_typeof(lorafab_jsonb(r.measurements) -> 'joinMs') = 'number' "
                    + "THEN CAST(FLOOR(CAST(lorafab_jsonb(r.measurements) ->> 'joinMs' AS NUMERIC)) AS BIGINT) END";
        };
        String sql = "SELECT (t.ms / " + resolutionMs + ") * " + resolutionMs + ", COUNT(*) FROM (SELECT " + joinMs + " AS ms "
                + "FROM test_run r JOIN unit u ON u.id = r.unit_id WHERE u.work_order_id = ? AND r.measurements LIKE '%joinMs%') t "
                + "WHERE t.ms IS NOT NULL AND t.ms >= 0 GROUP BY (t.ms / " + resolutionMs + ") ORDER BY 1";
        return jdbc.read(c -> list(c, sql, rs -> new ValueCount(rs.getLong(1), rs.getLong(2)), workOrderId));
    }

    @Override
    public List<HourCounts> verdictsByHour(long workOrderId) {
        // finished_at is ISO-8601 UTC text: its first 13 characters are the hour
        String sql = "SELECT SUBSTR(r.finished_at, 1, 13) AS hour, COUNT(*), SUM(CASE WHEN r.result = ? THEN 1 ELSE 0 END) "
                + "FROM test_run r JOIN unit u ON u.id = r.unit_id WHERE u.work_order_id = ? AND r.result IN " + VERDICTS
                + " GROUP BY SUBSTR(r.finished_at, 1, 13) ORDER BY 1";
        return jdbc.read(c -> list(c, sql, rs -> new HourCounts(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                TestResult.PASSED.name(), workOrderId));
    }

    // ---- stations -----------------------------------------------------------------------------------

    @Override
    public List<StationRun> stationRuns(String stationId, int limit) {
        String sql = "SELECT r.id, u.dev_eui, u.serial, r.result, r.reason_code, r.finished_at FROM test_run r "
                + "JOIN unit u ON u.id = r.unit_id WHERE r.station_id = ? ORDER BY r.id DESC LIMIT " + Math.max(0, limit);
        return jdbc.read(c -> list(c, sql, rs -> new StationRun(rs.getLong(1), Eui64.parse(rs.getString(2)), rs.getString(3),
                TestResult.valueOf(rs.getString(4)), rs.getString(5), Instant.parse(rs.getString(6))), stationId));
    }

    @Override
    public Map<TestResult, Long> stationRunCounts(String stationId, Instant since) {
        List<Object> args = new ArrayList<>();
        args.add(stationId);
        String sql = "SELECT result, COUNT(*) FROM test_run WHERE station_id = ? AND " + atOrAfter("finished_at", since, args)
                + " GROUP BY result";
        Map<TestResult, Long> out = new EnumMap<>(TestResult.class);
        jdbc.read(c -> list(c, sql, rs -> out.put(TestResult.valueOf(rs.getString(1)), rs.getLong(2)), args.toArray()));
        return out;
    }

    @Override
    public long verdictsSince(Instant since) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM test_run WHERE " + atOrAfter("finished_at", since, args) + " AND result IN " + VERDICTS;
        return jdbc.read(c -> one(c, sql, rs -> rs.getLong(1), args.toArray())).orElse(0L);
    }

    @Override
    public List<StationLast> stationsActiveSince(Instant since) {
        List<Object> args = new ArrayList<>();
        String runs = atOrAfter("finished_at", since, args);
        String units = atOrAfter("updated_at", since, args);
        String sql = "SELECT a.station_id, MAX(a.at) FROM (SELECT station_id, REPLACE(finished_at, 'Z', '') AS at FROM test_run "
                + "WHERE station_id IS NOT NULL AND " + runs + " UNION ALL SELECT station_id, REPLACE(updated_at, 'Z', '') FROM unit "
                + "WHERE station_id IS NOT NULL AND " + units + ") a GROUP BY a.station_id";
        List<StationLast> out = new ArrayList<>(jdbc.read(c -> list(c, sql,
                rs -> new StationLast(rs.getString(1), Instant.parse(rs.getString(2) + "Z")), args.toArray())));
        out.sort(Comparator.comparing(StationLast::at).reversed().thenComparing(StationLast::stationId));
        return out;
    }

    // ---- time ---------------------------------------------------------------------------------------

    /**
     * {@code column} at or after {@code t}. Times are {@code Instant.toString()} text, whose fraction of a second is
     * left out when zero, so the text alone does not order them ("...:09Z" sorts after "...:09.5Z"). The first
     * condition compares whole seconds as text, which orders right and lets an index on the column narrow the range;
     * the second, without the 'Z', is exact.
     */
    private static String atOrAfter(String column, Instant t, List<Object> args) {
        args.add(secondKey(t));
        args.add(timeKey(t));
        return "(" + column + " >= ? AND REPLACE(" + column + ", 'Z', '') >= ?)";
    }

    /** {@code 2026-12-06T10:00:09}: every stored time of that second or later sorts at or after it. */
    private static String secondKey(Instant t) {
        String s = t.truncatedTo(ChronoUnit.SECONDS).toString();
        return s.substring(0, s.length() - 1);
    }

    /** The time without its 'Z', as {@link JdbcAuditLog} compares it. */
    private static String timeKey(Instant t) {
        String s = t.toString();
        return s.substring(0, s.length() - 1);
    }
}
