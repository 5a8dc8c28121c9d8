package io.lazarus.coordinator.cli;

import picocli.CommandLine.Command;

@Command(
        name = "ec2",
        mixinStandardHelpOptions = true,
        description = "Launches and terminates EC2 instances for a run; lazarus run --ec2-filter installs on them.",
        subcommands = {Ec2ProvisionCommand.class, Ec2TerminateCommand.class})
final class Ec2Command {}
