package io.lorafab.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * PostgreSQL for tests: the server on 127.0.0.1:5432, database {@code test}, trust authentication (override
 * with {@code LORAFAB_TEST_PG_URL}). Each call to {@link #freshSchema()} makes an empty schema so tests never
 * see each other's rows. There is no silent skip: if the server is not there, the tests fail.
 */
public final class TestPostgres {
    public static final String BASE_URL = System.getenv().getOrDefault("LORAFAB_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestPostgres() {
    }

    /** A JDBC URL whose default schema is a new, empty one. */
    public static String freshSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(BASE_URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is required for these tests (" + BASE_URL + "): " + e.getMessage(), e);
        }
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema a {@link #freshSchema()} URL points at. */
    public static void drop(String url) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(BASE_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }
}
