package io.lazarus.coordinator.cli;

import io.lazarus.common.Errors;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import io.lazarus.coordinator.ec2.Ec2Exception;
import io.lazarus.coordinator.run.Following;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;

/** Builds the picocli command tree on Spring beans and maps what goes wrong to the documented exit codes. */
public final class Cli {

    public static final int EXIT_OK = 0;
    public static final int EXIT_NODES_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_BROKER = 3;
    public static final int EXIT_INTERNAL = 4;
    public static final int EXIT_AWS = 5;
    /** Ctrl-C (128 + SIGINT), as shells report it; a followed run goes on without its follower. */
    public static final int EXIT_INTERRUPTED = 130;
    /** SIGTERM (128 + 15): as Ctrl-C, a followed run goes on without its follower. */
    public static final int EXIT_TERMINATED = 143;

    /** The profile of every command but {@code serve}: it logs to standard error (logback-spring.xml). */
    public static final String COMMAND_PROFILE = "cli";

    static {
        // picocli looks for Groovy's Closure once; the miss opens every jar on the class path (70 ms of --help)
        System.getProperties().putIfAbsent("picocli.disable.closures", "true");
    }

    private final ApplicationContext context;

    public Cli(ApplicationContext context) {
        this.context = context;
    }

    /**
     * Answers what needs no Spring context: help, version, usage errors and a run handed to a service, in a fraction
     * of a second. Returns the exit code when the command line was answered here, null when it names work for
     * {@link #execute}.
     */
    public static Integer answerWithoutContext(String... args) {
        // a command line read once (picocli's reflection is a tenth of a second): with the settings a served run uses
        // when it looks like one, which the command then confirms
        CommandLine.IFactory factory = LazarusCommand.looksServed(args)
                ? new ServedRunFactory(CommandSettings.load())
                : new OptionsOnlyFactory();
        CommandLine commandLine = commandLine(factory, LazarusCommand.commandsFor(args));
        try {
            CommandLine.ParseResult parsed = commandLine.parseArgs(args);
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            CommandLine chosen = parsed.asCommandLineList().getLast();
            Object command = chosen.getCommand();
            // about this program, not the fleet
            if (command instanceof VersionCommand version) {
                return version.call();
            }
            if (command instanceof CompletionCommand completion) {
                return completion.call();
            }
            if (!(command instanceof Runnable || command instanceof java.util.concurrent.Callable<?>)) {
                throw new CommandLine.ParameterException(chosen, "Missing required subcommand");
            }
            if (command instanceof OptionsChecked checked) {
                checked.checkOptions();
            }
            if (factory instanceof ServedRunFactory
                    && command instanceof RunCommand run
                    && run.servedWithoutContext()) {
                return servedRun(run, chosen);
            }
            return null;
        } catch (CommandLine.ParameterException e) {
            return usageError(e);
        } catch (InputException e) {
            return exitCode(e, commandLine, null);
        }
    }

    /**
     * Whether the command signs what it publishes, and so wants its signing tables (a third of a CPU-second) built
     * while Spring starts; another command never builds them (a command that signs after all builds them as it does).
     */
    public static boolean signs(String... args) {
        return LazarusCommand.signs(args);
    }

    public int execute(String... args) {
        CommandLine commandLine = commandLine(new SpringFactory(context), LazarusCommand.commandsFor(args));
        // the service follows many runs at once: Ctrl-C stops it, as any signal does
        Interruption interruption = args.length == 0 || !args[0].equals("serve")
                ? Interruption.install(context.getBean(Following.class))
                : null;
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> exitCode(e, cmd, interruption));
        return commandLine.execute(args);
    }

    /**
     * {@code run --server} without a Spring context: the service dispatches and follows the run, so this process only
     * reads its settings, the inventory and the script, and talks HTTP (about a second less before the run starts).
     * Ctrl-C and SIGTERM end it as the JVM does, with 130 and 143, as they end a served run's command with a context.
     */
    private static int servedRun(RunCommand run, CommandLine chosen) {
        try {
            return run.call();
        } catch (Exception e) {
            return exitCode(e, chosen, null);
        }
    }

    /** What a command's failure prints, and its exit code. */
    private static int exitCode(Exception e, CommandLine cmd, Interruption interruption) {
        if (e instanceof io.lazarus.coordinator.run.RunService.RunDetached detached) {
            cmd.getErr()
                    .printf(
                            "lazarus: interrupted: run %s goes on (its messages are with the broker and the"
                                    + " workers, its events wait in its queue for an hour)%nre-attach with: lazarus watch %s%n",
                            detached.runId(), detached.runId());
            return interruption == null ? EXIT_INTERRUPTED : interruption.exitCode();
        }
        if (e instanceof InputException) {
            cmd.getErr().println("lazarus: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (e instanceof Ec2Exception ec2) {
            cmd.getErr().println("lazarus: " + e.getMessage());
            return ec2.input() ? EXIT_USAGE : EXIT_AWS;
        }
        if (e instanceof BrokerUnavailableException) {
            cmd.getErr().println("lazarus: " + e.getMessage());
            return EXIT_BROKER;
        }
        cmd.getErr().println("lazarus: internal error: " + Errors.rootMessage(e));
        return EXIT_INTERNAL;
    }

    /** The whole command tree, for reading command lines and printing help only. */
    static CommandLine optionsOnly() {
        return commandLine(new OptionsOnlyFactory(), List.copyOf(LazarusCommand.COMMANDS));
    }

    /** {@code commands}: each a command's class, or a {@link CommandLine} of its own. */
    private static CommandLine commandLine(CommandLine.IFactory factory, List<Object> commands) {
        CommandLine commandLine = new CommandLine(new LazarusCommand(), factory);
        commands.forEach(commandLine::addSubcommand);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, ignored) -> usageError(e));
        return commandLine;
    }

    /** A usage error is one line and where to read more, not the whole help. */
    private static int usageError(CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("lazarus: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
        cmd.getErr().println("see " + cmd.getCommandSpec().qualifiedName() + " --help");
        return EXIT_USAGE;
    }

    /** {@code --metrics-port N} decides whether Spring starts a web server, so it is read before Spring starts. */
    public static Integer metricsPort(String[] args) {
        String value = option(args, "--metrics-port");
        try {
            return value == null ? null : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return null; // picocli reports the bad value
        }
    }

    /** {@code --metrics-address A}: where that web server listens (loopback without it). */
    public static String metricsAddress(String[] args) {
        return option(args, "--metrics-address");
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith(name + "=")
                    ? args[i].substring(name.length() + 1)
                    : args[i].equals(name) && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * Commands for reading the command line only: built without their collaborators (their constructors only keep
     * them), so the options, their defaults and the help are the real ones while nothing of Spring starts.
     */
    private record OptionsOnlyFactory() implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            Constructor<?>[] constructors = type.getDeclaredConstructors();
            if (type.isInterface() || constructors.length != 1 || constructors[0].getParameterCount() == 0) {
                return CommandLine.defaultFactory().create(type);
            }
            Constructor<?> constructor = constructors[0];
            constructor.setAccessible(true);
            Object[] none = Arrays.stream(constructor.getParameterTypes())
                    .map(parameter -> parameter.isPrimitive() ? Array.get(Array.newInstance(parameter, 1), 0) : null)
                    .toArray();
            return type.cast(constructor.newInstance(none));
        }
    }

    /** {@link #servedRun}'s command, with its settings; its mixins and the rest from picocli. */
    private record ServedRunFactory(CommandSettings settings) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            return type == RunCommand.class
                    ? type.cast(RunCommand.served(settings))
                    : CommandLine.defaultFactory().create(type);
        }
    }

    /** Commands come from Spring, with their beans; the collections of repeatable options from picocli. */
    private record SpringFactory(ApplicationContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type.isInterface()) {
                return CommandLine.defaultFactory().create(type);
            }
            return context.getAutowireCapableBeanFactory().createBean(type);
        }
    }
}
