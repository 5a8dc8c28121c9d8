package io.lazarus.coordinator.cli;

import picocli.CommandLine.Command;

@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = "The broker's users and permissions (README \"Broker users and permissions\").",
        subcommands = {BrokerSetupCommand.class})
final class BrokerCommand {}
