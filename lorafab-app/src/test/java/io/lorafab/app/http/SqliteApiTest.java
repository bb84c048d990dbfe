package io.lorafab.app.http;

/** The API on the embedded SQLite database. */
class SqliteApiTest extends ApiConformanceTest {
    @Override
    String dbUrl() {
        return null;
    }
}
