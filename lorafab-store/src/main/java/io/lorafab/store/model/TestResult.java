package io.lorafab.store.model;

/** The outcome of one end-of-line test run. */
public enum TestResult {
    PASSED, FAILED
}
