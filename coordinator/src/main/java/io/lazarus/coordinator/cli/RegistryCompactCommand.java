package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.registry.RegistryCompaction;
import io.lazarus.coordinator.registry.RegistryCompaction.Compacted;
import io.lazarus.coordinator.registry.RegistryCompaction.RegistryBusy;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
        name = "compact",
        mixinStandardHelpOptions = true,
        description = {
            "Compacts the local H2 registry file: gives back the space that earlier runs' rewritten pages left behind."
                    + " Nothing is deleted.",
            "Needs the file to itself: refused (exit 1) while another lazarus process has it open. A PostgreSQL"
                    + " registry reclaims its space itself (autovacuum): nothing to do."
        })
final class RegistryCompactCommand implements Callable<Integer> {

    private static final int EXIT_BUSY = 1;

    private final RegistryCompaction compaction;

    RegistryCompactCommand(RegistryCompaction compaction) {
        this.compaction = compaction;
    }

    @Override
    public Integer call() {
        Optional<Compacted> compacted;
        try {
            compacted = compaction.compact();
        } catch (RegistryBusy e) {
            System.err.println("lazarus registry compact: " + e.getMessage());
            return EXIT_BUSY;
        }
        compacted.ifPresentOrElse(
                c -> System.out.printf(
                        "registry %s compacted: %s -> %s%n",
                        c.file(), megabytes(c.bytesBefore()), megabytes(c.bytesAfter())),
                () -> System.out.println("the registry is not an H2 file (PostgreSQL reclaims its space itself):"
                        + " nothing to compact"));
        return Cli.EXIT_OK;
    }

    private static String megabytes(long bytes) {
        return "%.1f MB".formatted(bytes / 1e6);
    }
}
