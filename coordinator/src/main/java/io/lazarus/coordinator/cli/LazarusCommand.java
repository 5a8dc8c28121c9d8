package io.lazarus.coordinator.cli;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;

@Command(
        name = "lazarus",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Installs software on a fleet of machines over SSH, through RabbitMQ.",
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
final class LazarusCommand {

    /** The commands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
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
            HelpCommand.class);

    /** The commands that sign what they publish: install messages (a release, a resurrection) or cancel messages. */
    private static final List<Class<?>> SIGNING = List.of(
            RunCommand.class,
            RerunCommand.class,
            ResurrectCommand.class,
            WatchCommand.class,
            CancelCommand.class,
            ServeCommand.class);

    /** Whether the command line names a command that signs what it publishes. */
    static boolean signs(String... args) {
        return args.length > 0
                && SIGNING.stream().anyMatch(command -> names(command).contains(args[0]));
    }

    /**
     * Whether the command line looks like a run handed to a service ({@code run ... --server URL}), which needs the
     * command's settings but no Spring context; the command read from it has the last word.
     */
    static boolean looksServed(String... args) {
        return args.length > 1
                && args[0].equals("run")
                && Arrays.stream(args).anyMatch(arg -> arg.equals("--server") || arg.startsWith("--server="))
                && Arrays.stream(args).noneMatch(arg -> arg.equals("-h") || arg.equals("--help"));
    }

    /**
     * The commands a command line needs: the one it names (or {@code help} names) with its options, the others listed
     * only (their name and description, for the list in the help and for "did you mean"); all of them for the
     * completion script. Picocli builds a command's options by reflection, some 10 ms a command as a process starts,
     * and a command line is read twice (without Spring, then with it).
     */
    static List<Object> commandsFor(String... args) {
        String first = args.length == 0 ? "" : args[0];
        if (first.equals("completion")) {
            return List.copyOf(COMMANDS);
        }
        String named = first.equals("help") && args.length > 1 ? args[1] : first;
        return COMMANDS.stream()
                .map(command ->
                        names(command).contains(named) || command == HelpCommand.class ? command : listedOnly(command))
                .toList();
    }

    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        return Stream.concat(Stream.of(annotation.name()), Arrays.stream(annotation.aliases()))
                .toList();
    }

    /** A command as the list of commands shows it, without its options. */
    private static CommandLine listedOnly(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(annotation.name()).aliases(annotation.aliases());
        spec.usageMessage()
                .header(annotation.header())
                .description(annotation.description())
                .hidden(annotation.hidden());
        return new CommandLine(spec);
    }
}
