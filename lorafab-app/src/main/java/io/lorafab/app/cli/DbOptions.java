package io.lorafab.app.cli;

import io.lorafab.api.ErrorCode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.StoreException;
import io.lorafab.store.jdbc.Database;
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

    /**
     * Opens (and migrates) the registry that exists at {@code --db}/{@code --data-dir}, with the KEKs from the
     * environment or the data folder's key file; one that does not exist is refused with a line that names it.
     */
    public Lorafab open() {
        try {
            return Lorafab.openExisting(dbUrl(), dataDir, System.getenv(), Clock.systemUTC());
        } catch (StoreException e) {
            if (e.code() != ErrorCode.REGISTRY_MISSING) {
                throw e;
            }
            throw new LorafabCommand.UserException(e.getMessage() + ": run 'lorafab init" + sameOptions()
                    + "' to create it (or 'lorafab server', which creates it too)");
        }
    }

    /** Opens the registry, creating it (folder 0700, database file 0600, KEK file) when it does not exist. */
    public Lorafab create() {
        return Lorafab.open(dbUrl(), dataDir, System.getenv(), Clock.systemUTC());
    }

    private String sameOptions() {
        if (dbUrl() != null) {
            return " --db " + Database.redacted(dbUrl());
        }
        return dataDir.equals(Path.of(DEFAULT_DATA_DIR)) ? "" : " --data-dir " + dataDir;
    }

    /** Who the command line acts as in the audit log: {@code cli:<user.name>}. */
    public static String actor() {
        String user = System.getProperty("user.name");
        return "cli:" + (user == null || user.isBlank() ? "unknown" : user.strip());
    }
}
