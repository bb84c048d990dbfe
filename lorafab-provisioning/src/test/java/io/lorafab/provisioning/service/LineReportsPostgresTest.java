package io.lorafab.provisioning.service;

import io.lorafab.testkit.TestPostgres;

/** The reports on PostgreSQL (127.0.0.1:5432, database test), one fresh schema per test. */
class LineReportsPostgresTest extends LineReportsContract {

    @Override
    protected String freshUrl() {
        return TestPostgres.freshSchema();
    }

    @Override
    protected void dropUrl(String url) {
        TestPostgres.drop(url);
    }
}
