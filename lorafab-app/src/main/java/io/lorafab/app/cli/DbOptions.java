package io.lorafab.app.cli;

import io.lorafab.app.wiring.Lorafab;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The options every command that works on the registry takes: where the database is ({@code --db}) and the
 * data folder holding the embedded database and the KEK file ({@code --data-dir}). A picocli mixin.
 */
public final class DbOptions {

    /** The data folder when {@code --data-dir} is not given, relative to the working directory. */
    public static final String DEFAULT_DATA_DIR = "lorafab-data";

    @Option(names = "--db", paramLabel = "URL",
            description = {"JDBC URL of the registry (default: the SQLite file lorafab.db in the data folder), e.g.",
                    "  jdbc:postgresql://host/db?user=u"}) // indented as the wrapped line above
    String dbUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "folder of the embedded database and the KEK file (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of(DEFAULT_DATA_DIR);

    /** The JDBC URL given, or null for the embedded SQLite file. */
    public String dbUrl() {
        return dbUrl == null || dbUrl.isBlank() ? null : dbUrl.strip();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Opens (and migrates) the registry with the KEKs from the environment or the data folder's key file. */
    public Lorafab open() {
        return Lorafab.open(dbUrl(), dataDir, System.getenv(), Clock.systemUTC());
    }

    /** Who the command line acts as in the audit log: {@code cli:<user.name>}. */
    public static String actor() {
        String user = System.getProperty("user.name");
        return "cli:" + (user == null || user.isBlank() ? "unknown" : user.strip());
    }
}
