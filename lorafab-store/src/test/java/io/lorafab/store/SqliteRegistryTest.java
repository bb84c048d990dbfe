package io.lorafab.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The registry conformance suite on an embedded SQLite file (WAL, full sync). */
class SqliteRegistryTest extends RegistryConformanceTest {

    @Override
    protected String freshUrl() {
        try {
            Path dir = Files.createTempDirectory("lorafab-sqlite");
            return "jdbc:sqlite:" + dir.resolve("lorafab.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void dropUrl(String url) {
        Path dir = Path.of(url.substring("jdbc:sqlite:".length())).getParent();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
