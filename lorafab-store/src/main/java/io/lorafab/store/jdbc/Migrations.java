package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;
import java.sql.SQLException;
import java.util.OptionalInt;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations by Flyway: the scripts {@code db/migration/<dialect>/V<n>__<description>.sql} are
 * applied once each and recorded in {@code flyway_schema_history} with their checksums. Every start validates
 * the history first: a script changed after it was applied ({@code migration_checksum}) or a history newer than
 * this lorafab ({@code schema_too_new}) stops the start-up, because the database would no longer match what the
 * code expects of it. The pending scripts run in one transaction ({@code group}), so a failing one leaves the
 * schema as it was; Flyway's own lock keeps two PostgreSQL servers starting together from racing.
 *
 * <p>A database made by the lorafab runner from before Flyway (history in {@code schema_version}) is checked as
 * that runner checked it and then baselined at the version it recorded; see {@link LegacySchemaVersion}.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private final Dialect dialect;

    Migrations(Dialect dialect) {
        this.dialect = dialect;
    }

    void apply(Database db) {
        OptionalInt legacy = LegacySchemaVersion.verify(db, dialect, () -> configure(db, null).info());
        Flyway flyway = configure(db, legacy.isPresent() ? legacy.getAsInt() : null);
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (FlywayValidateException e) {
            throw explain(flyway, e);
        } catch (FlywayException e) {
            if (e.getErrorCode() == CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE) {
                // The old runner created its tables beside whatever was there; Flyway will not take a schema that
                // holds tables it has no history of, and guessing a baseline for them would be worse.
                throw new StoreException(ErrorCode.SCHEMA_NOT_EMPTY, "the database schema already holds tables that are not "
                        + "lorafab's; give lorafab a database or schema of its own (on PostgreSQL currentSchema=NAME in the URL)", e);
            }
            throw new StoreException(ErrorCode.MIGRATION_FAILED, "the database schema could not be migrated: " + reason(e), e);
        }
        if (legacy.isPresent()) {
            LegacySchemaVersion.seal(db, dialect, legacy.getAsInt());
        }
        // Flyway's own notices (its edition, the database, "validated", "up to date") are kept off the log by the
        // application's logging setup; a change to the schema is worth the one line.
        if (result.migrationsExecuted > 0) {
            log.info("database schema migrated from version {} to {} ({} scripts)",
                    result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                    result.targetSchemaVersion, result.migrationsExecuted);
        }
    }

    /**
     * The location is named exactly (one folder per dialect, no wildcard), so Flyway looks in that folder only
     * (in the shaded jar it reads the jar's entry list to find it; measured, that is not where its start-up time
     * goes, and a hand-kept list of scripts given as a resource provider made no difference). Pending migrations are not an error of validation (they are what migrate
     * is for); a migration applied to the database that this lorafab does not have is, where Flyway's default
     * would only warn and carry on.
     */
    private Flyway configure(Database db, Integer baselineAt) {
        var cfg = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(db.dataSource())
                .locations("classpath:" + dialect.migrationFolder())
                .failOnMissingLocations(true)
                .validateOnMigrate(true)
                .ignoreMigrationPatterns("*:pending")
                .group(true)
                .loggers("slf4j");
        if (baselineAt != null) {
            // Only ever for a database whose schema_version was just verified: baselining an unknown, non-empty
            // database would take on trust whatever is in it.
            cfg.baselineOnMigrate(true)
                    .baselineVersion(MigrationVersion.fromVersion(Integer.toString(baselineAt)))
                    .baselineDescription("lorafab schema_version " + baselineAt);
        }
        return cfg.load();
    }

    /** Turns Flyway's many-line validation report into the one-line refusal a person can act on. */
    private StoreException explain(Flyway flyway, FlywayValidateException e) {
        MigrationInfo latestLocal = null;
        MigrationInfo newest = null;
        try {
            for (MigrationInfo m : flyway.info().all()) {
                if (m.getVersion() == null) {
                    continue;
                }
                if (m.getState().isApplied() && (newest == null || m.getVersion().isNewerThan(newest.getVersion()))) {
                    newest = m;
                }
                if (m.getState().isResolved() && (latestLocal == null || m.getVersion().isNewerThan(latestLocal.getVersion()))) {
                    latestLocal = m;
                }
            }
            if (newest != null && !newest.getState().isResolved()) {
                return tooNew(newest.getVersion().getVersion(), latestLocal == null ? "0" : latestLocal.getVersion().getVersion(), e);
            }
            ValidateResult result = flyway.validateWithResult();
            for (ValidateOutput out : result.invalidMigrations) {
                if (out.errorDetails != null && out.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH) {
                    return new StoreException(ErrorCode.MIGRATION_CHECKSUM, "migration V" + out.version + " (" + out.description
                            + ") was changed after it was applied to this database; restore the script or the database", e);
                }
            }
            if (!result.invalidMigrations.isEmpty()) {
                ValidateOutput out = result.invalidMigrations.get(0);
                return new StoreException(ErrorCode.MIGRATION_INVALID, "migration V" + out.version + " does not match this "
                        + "database's history: " + firstLine(out.errorDetails == null ? null : out.errorDetails.errorMessage), e);
            }
        } catch (FlywayException again) {
            e.addSuppressed(again);
        }
        return new StoreException(ErrorCode.MIGRATION_INVALID, "the database's migration history does not match this lorafab: "
                + reason(e), e);
    }

    static StoreException tooNew(String dbVersion, String codeVersion, Throwable cause) {
        return new StoreException(ErrorCode.SCHEMA_TOO_NEW, "the database schema (version " + dbVersion
                + ") is newer than this lorafab (version " + codeVersion + "); upgrade lorafab", cause);
    }

    /** The database's own words if there are any (a failing statement), else the first line of Flyway's. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                return firstLine(t.getMessage());
            }
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "no reason given";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
