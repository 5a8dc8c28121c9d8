package io.lazarus.benchmark;

import io.lazarus.testkit.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lazarus-coordinator.jar serve} as the benchmark's coordinator: the run is handed to it with {@code lazarus run
 * --server}, and its process is measured instead of the command's. With a PostgreSQL registry, the registry's tables
 * are measured too.
 */
final class ServiceCoordinator implements AutoCloseable {

    private final ServiceProcess process;
    private final String token;
    private final String registryUrl;

    private ServiceCoordinator(ServiceProcess process, String token, String registryUrl) {
        this.process = process;
        this.token = token;
        this.registryUrl = registryUrl;
    }

    /** @param registryUrl a {@code jdbc:postgresql:} URL, user and password as its parameters; null: the H2 file */
    static ServiceCoordinator start(URI broker, String registryUrl, List<String> jvmOptions, Path log)
            throws IOException {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Map<String, String> settings = new HashMap<>(Map.of("LAZARUS_SERVICE_API_TOKEN", token));
        if (registryUrl != null) {
            // the service's datasource user and password default to the H2 file's
            settings.put("SPRING_DATASOURCE_URL", registryUrl);
            settings.put("SPRING_DATASOURCE_USERNAME", parameter(registryUrl, "user", "postgres"));
            settings.put("SPRING_DATASOURCE_PASSWORD", parameter(registryUrl, "password", ""));
        }
        return new ServiceCoordinator(ServiceProcess.start(broker, settings, jvmOptions, log), token, registryUrl);
    }

    private static String parameter(String jdbcUrl, String name, String otherwise) {
        Matcher found = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(jdbcUrl);
        return found.find() ? found.group(1) : otherwise;
    }

    String url() {
        return "http://127.0.0.1:" + process.port();
    }

    String token() {
        return token;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return process.log();
    }

    boolean postgres() {
        return registryUrl != null;
    }

    /**
     * Bytes of each table of the registry's schema, indexes and TOAST included ({@code pg_total_relation_size}),
     * largest first; empty for the H2 file.
     */
    Map<String, Long> registryTables() throws SQLException {
        Map<String, Long> tables = new LinkedHashMap<>();
        if (registryUrl == null) {
            return tables;
        }
        try (Connection connection = DriverManager.getConnection(registryUrl);
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("select c.relname, pg_total_relation_size(c.oid) from pg_class c"
                                + " join pg_namespace n on n.oid = c.relnamespace"
                                + " where n.nspname = current_schema() and c.relkind in ('r', 'p')"
                                + " order by 2 desc")) {
            while (rows.next()) {
                tables.put(rows.getString(1), rows.getLong(2));
            }
        }
        return tables;
    }

    @Override
    public void close() {
        process.close();
    }
}
