package io.lorafab.app.http;

import io.lorafab.testkit.TestPostgres;

/** The API on PostgreSQL. */
class PostgresApiTest extends ApiConformanceTest {
    private String url;

    @Override
    String dbUrl() {
        url = TestPostgres.freshSchema();
        return url;
    }

    @Override
    void dropDb() {
        TestPostgres.drop(url);
    }
}
