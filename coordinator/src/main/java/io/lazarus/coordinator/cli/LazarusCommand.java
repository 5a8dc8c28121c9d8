package io.lazarus.coordinator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

@Command(
        name = "lazarus",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Installs software on a fleet of machines over SSH, through RabbitMQ.",
        subcommands = {
            RunCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            WatchCommand.class,
            ReportCommand.class,
            CancelCommand.class,
            RerunCommand.class,
            ResurrectCommand.class,
            QuarantineCommand.class,
            ServeCommand.class,
            Ec2Command.class,
            KeysCommand.class,
            BrokerCommand.class,
            RegistryCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every node succeeded (or, without --wait, every message was confirmed)",
            "1:some node did not succeed (ec2 provision: some instance is not ready)",
            "2:bad usage or input",
            "3:the broker cannot be reached or refused the messages",
            "4:internal error",
            "5:AWS refused an EC2 request (permissions, credentials, throttling) or cannot be reached",
            "130:interrupted (Ctrl-C); a followed run goes on: lazarus watch RUN re-attaches",
            "143:terminated (SIGTERM); as 130"
        })
final class LazarusCommand {}
