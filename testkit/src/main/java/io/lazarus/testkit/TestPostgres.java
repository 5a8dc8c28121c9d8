package io.lazarus.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL the tests use: a running server named by {@code LAZARUS_TEST_POSTGRES_URL} (a JDBC URL with its
 * user), else a Testcontainers one where Docker runs, else a loud failure; never a skip. Each test gets a schema of
 * its own.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static String url;

    private TestPostgres() {}

    public static synchronized String url() {
        if (url == null) {
            url = locate();
        }
        return url;
    }

    /** A new, empty schema; closing it drops it with everything in it. */
    public static Schema freshSchema() {
        String name =
                "lazarus_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create schema " + name);
        return new Schema(name, url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + name);
    }

    /** A test's schema and the JDBC URL that makes it the current one. */
    public record Schema(String name, String url) implements AutoCloseable {
        @Override
        public void close() {
            execute("drop schema " + name + " cascade");
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url())) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed in " + redact(url()) + ": " + e.getMessage(), e);
        }
    }

    private static String locate() {
        String explicit = System.getenv("LAZARUS_TEST_POSTGRES_URL");
        if (explicit != null && !explicit.isBlank()) {
            log.info("Tests use the running PostgreSQL LAZARUS_TEST_POSTGRES_URL={}", redact(explicit));
            return explicit.trim();
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16");
            container.start();
            log.info("Tests use a Testcontainers PostgreSQL");
            return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
        }
        throw new IllegalStateException("""
                No PostgreSQL for the tests: Docker is not available and LAZARUS_TEST_POSTGRES_URL is not set.
                Start one and name it, for example:
                  LAZARUS_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' ./mvnw verify""");
    }

    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("password=[^&]*", "password=***");
    }
}
