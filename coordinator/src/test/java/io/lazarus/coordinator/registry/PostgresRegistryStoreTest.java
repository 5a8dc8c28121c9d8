package io.lazarus.coordinator.registry;

import io.lazarus.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;

/** The registry contract on PostgreSQL, each test in a schema of its own, dropped afterwards. */
class PostgresRegistryStoreTest extends RegistryStoreContract {

    private TestPostgres.Schema schema;

    @Override
    String freshDatabase() {
        schema = TestPostgres.freshSchema();
        // as the service's registry sends them (PostgresBatchedInserts): batches of inserts as multi-row statements
        return schema.url() + "&" + PostgresBatchedInserts.SETTING + "=true";
    }

    @AfterEach
    void dropSchema() {
        schema.close();
    }
}
