package io.lazarus.coordinator.registry;

import io.lazarus.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;

/** The registry contract on PostgreSQL, each test in a schema of its own, dropped afterwards. */
class PostgresRegistryStoreTest extends RegistryStoreContract {

    private TestPostgres.Schema schema;

    @Override
    String freshDatabase() {
        schema = TestPostgres.freshSchema();
        return schema.url();
    }

    @AfterEach
    void dropSchema() {
        schema.close();
    }
}
