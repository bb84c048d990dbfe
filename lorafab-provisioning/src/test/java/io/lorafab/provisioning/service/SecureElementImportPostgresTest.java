package io.lorafab.provisioning.service;

import io.lorafab.testkit.TestPostgres;

/** The TNGLoRa import on Postgres. */
class SecureElementImportPostgresTest extends SecureElementImportContract {

    @Override
    protected String freshUrl() {
        return TestPostgres.freshSchema();
    }

    @Override
    protected void dropUrl(String url) {
        TestPostgres.drop(url);
    }
}
