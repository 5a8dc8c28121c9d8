package io.lazarus.coordinator.registry;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on the default database: an H2 file, as the coordinator opens it. */
class H2RegistryStoreTest extends RegistryStoreContract {

    @TempDir
    Path dir;

    @Override
    String freshDatabase() {
        return "jdbc:h2:file:" + dir.resolve("registry-" + UUID.randomUUID())
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }
}
