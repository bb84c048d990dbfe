package io.lorafab.store.model;

/** The outcome of one end-of-line test run. */
public enum TestResult {
    PASSED, FAILED,
    /**
     * The test station failed, not the unit (its test gateway refused the join-accept, the server was unreachable):
     * the run is kept with its reason and evidence, and the unit stays as it was, to be tested again.
     */
    STATION_FAULT
}
