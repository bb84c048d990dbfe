package io.lorafab.store;

import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import java.util.List;

/**
 * End-of-line test runs of units.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface TestRunStore {

    TestRun appendTestRun(long unitId, String stationId, TestResult result, String reasonCode, String measurementsJson);

    List<TestRun> testRuns(long unitId);
}
