package io.lazarus.coordinator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lazarus version}: what was built, when, and on which Java it runs now. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Prints the version, the build and the Java it runs on.")
final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (String line : Version.build()) {
            System.out.println(line);
        }
        System.out.flush();
        return Cli.EXIT_OK;
    }
}
