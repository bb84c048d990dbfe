package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;

/** The two databases lorafab runs on. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The classpath folder of this dialect's migrations. */
    public String migrationFolder() {
        return "db/migration/" + folder;
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new StoreException(ErrorCode.UNSUPPORTED_DATABASE,
                "unsupported database URL (expected jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB)");
    }
}
