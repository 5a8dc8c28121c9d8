package io.lazarus.coordinator.registry;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** A real registry (H2, the coordinator's schema) in memory, for tests of what the registry's callers do with it. */
public final class InMemoryRegistry {

    private InMemoryRegistry() {}

    public static RegistryStore create() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:registry-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new RegistryStore(
                JdbcClient.create(dataSource),
                new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }
}
