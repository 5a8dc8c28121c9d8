package io.lazarus.coordinator.cli;

import picocli.CommandLine.Command;

@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Looks after the registry (README \"The registry\").",
        subcommands = {RegistryCompactCommand.class})
final class RegistryCommand {}
