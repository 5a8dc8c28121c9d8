package io.lazarus.coordinator.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Compacts the H2 file registry on request. H2 no longer compacts as each command closes the file ({@code
 * MAX_COMPACT_TIME=0}): that took 0.2 - 0.8 s of every exit, growing with the file, and reclaimed only a third of
 * what a run leaves unused. A PostgreSQL registry reclaims its space by itself (autovacuum).
 */
@Component
public class RegistryCompaction {

    private final JdbcTemplate jdbc;
    private final Path database;

    RegistryCompaction(JdbcTemplate jdbc, Environment environment) {
        this.jdbc = jdbc;
        this.database = RegistryFiles.h2File(environment.getProperty("spring.datasource.url"));
    }

    /** A registry file's size before and after a compaction. */
    public record Compacted(Path file, long bytesBefore, long bytesAfter) {}

    /** Another process has the registry open: compacting would close it under that process. */
    public static final class RegistryBusy extends RuntimeException {
        RegistryBusy(Path file, int sessions) {
            super("another lazarus process has the registry " + file + " open (" + sessions
                    + " connection(s) from outside this one): compact it once that process has exited");
        }
    }

    /** Compacts the H2 file fully; empty when the registry is not an H2 file. */
    public Optional<Compacted> compact() {
        if (database == null) {
            return Optional.empty();
        }
        Path file = database.resolveSibling(database.getFileName() + ".mv.db");
        // a process that served the file to others (AUTO_SERVER), or this one as another's client, has sessions with
        // a client address: SHUTDOWN would close the database under them
        int remote = jdbc.queryForObject(
                "select count(*) from information_schema.sessions where client_addr is not null", Integer.class);
        if (remote > 0) {
            throw new RegistryBusy(file, remote);
        }
        long before = size(file);
        jdbc.execute("shutdown compact");
        return Optional.of(new Compacted(file, before, size(file)));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
