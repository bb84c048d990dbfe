package io.lorafab.store;

import io.lorafab.testkit.TestPostgres;

/** The registry conformance suite on PostgreSQL (127.0.0.1:5432, database test), one fresh schema per test. */
class PostgresRegistryTest extends RegistryConformanceTest {

    @Override
    protected String freshUrl() {
        return TestPostgres.freshSchema();
    }

    @Override
    protected void dropUrl(String url) {
        TestPostgres.drop(url);
    }
}
