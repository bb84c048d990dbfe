package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.insert;
import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;

import io.lorafab.store.TestRunStore;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** {@link TestRunStore} on the {@code test_run} table. */
final class JdbcTestRunStore implements TestRunStore {

    private static final String RUN_COLS = "id, unit_id, station_id, result, reason_code, measurements, finished_at";

    private final JdbcContext jdbc;

    JdbcTestRunStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public TestRun appendTestRun(long unitId, String stationId, TestResult result, String reasonCode, String measurementsJson) {
        long id = jdbc.write(c -> insert(c, "INSERT INTO test_run (unit_id, station_id, result, reason_code, measurements, "
                + "finished_at) VALUES (?,?,?,?,?,?)", unitId, stationId, result.name(), reasonCode,
                measurementsJson == null ? "{}" : measurementsJson, jdbc.now()));
        return jdbc.read(c -> one(c, "SELECT " + RUN_COLS + " FROM test_run WHERE id = ?", JdbcTestRunStore::run, id)).orElseThrow();
    }

    @Override
    public List<TestRun> testRuns(long unitId) {
        return jdbc.read(c -> list(c, "SELECT " + RUN_COLS + " FROM test_run WHERE unit_id = ? ORDER BY id", JdbcTestRunStore::run,
                unitId));
    }

    private static TestRun run(ResultSet rs) throws SQLException {
        return new TestRun(rs.getLong(1), rs.getLong(2), rs.getString(3), TestResult.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), Timestamps.parse(rs.getString(7)));
    }
}
