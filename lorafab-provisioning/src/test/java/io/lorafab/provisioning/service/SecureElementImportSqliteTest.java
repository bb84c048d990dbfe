package io.lorafab.provisioning.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The TNGLoRa import on Sqlite. */
class SecureElementImportSqliteTest extends SecureElementImportContract {

    private Path dir;

    @Override
    protected String freshUrl() {
        try {
            dir = Files.createTempDirectory("lorafab-se");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "jdbc:sqlite:" + dir.resolve("lorafab.db");
    }

    @Override
    protected void dropUrl(String url) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
