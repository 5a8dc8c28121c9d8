package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.files.DirectoryContentStore;
import io.lazarus.coordinator.ec2.AddressKind;
import io.lazarus.coordinator.ec2.Ec2Clients;
import io.lazarus.coordinator.ec2.Ec2Discovery;
import io.lazarus.coordinator.ec2.Ec2Filters;
import io.lazarus.coordinator.ec2.Ec2Inventory;
import io.lazarus.coordinator.ec2.Ec2Nodes;
import io.lazarus.coordinator.ec2.Ec2Session;
import io.lazarus.coordinator.files.FilesProperties;
import io.lazarus.coordinator.files.Uploads;
import io.lazarus.coordinator.history.RunOrder;
import io.lazarus.coordinator.inventory.Inventories;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.inventory.NodeDefaults;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.request.RequestDurations;
import io.lazarus.coordinator.request.RunRequest;
import io.lazarus.coordinator.request.RunRequestValidator;
import io.lazarus.coordinator.run.PlannedRun;
import io.lazarus.coordinator.run.Progress;
import io.lazarus.coordinator.run.RunIds;
import io.lazarus.coordinator.run.RunLimits;
import io.lazarus.coordinator.run.RunOptions;
import io.lazarus.coordinator.run.RunService;
import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import io.lazarus.coordinator.service.ServiceProperties;
import io.lazarus.coordinator.status.RunView;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ec2.model.Filter;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Installs a script on every node of an inventory: one install message per node, through RabbitMQ.")
final class RunCommand implements Callable<Integer>, OptionsChecked {

    private static final int LISTED_UNADDRESSABLE = 20;

    private final ObjectProvider<RunService> runs;
    private final BrokerConnection broker;
    private final Ec2Clients ec2Clients;
    private final RunLimits limits;
    private final RunRequestValidator validator;
    private final Uploads files;
    private final ServiceProperties service;
    private final ContextRelease release;

    @Option(
            names = "--inventory",
            paramLabel = "FILE",
            description = "one node per line: [user@]host[:port] [name=ID] [fact.KEY=VALUE ...], # comments;"
                    + " or an Ansible INI or YAML inventory (told apart by content)")
    Path inventory;

    @Option(
            names = "--limit",
            paramLabel = "PATTERN",
            description = "only the nodes this Ansible host pattern selects: groups, hosts, globs (web*), a,b or a:b"
                    + " for either, &a for those also in a, !a for those not in a")
    String limit;

    @Option(
            names = "--ec2-filter",
            paramLabel = "FILTER",
            description = "instead of --inventory, the running EC2 instances matching this DescribeInstances filter:"
                    + " tag:Role=web, instance-type=t3.micro,t3.small; repeat for more (all must match)")
    List<String> ec2Filters;

    @Option(
            names = "--address",
            paramLabel = "private|public",
            description = "with --ec2-filter, the address workers connect to (default private: workers in the VPC)")
    AddressKind address;

    @Option(
            names = "--skip-unaddressable",
            description = "with --ec2-filter, install on the instances that have the address and list the others"
                    + " (default: refuse the run)")
    boolean skipUnaddressable;

    @Mixin
    Ec2Options ec2;

    @Option(
            names = "--script",
            required = true,
            paramLabel = "FILE",
            description = "shell script run on each node by the login shell of its user")
    Path script;

    @Option(
            names = "--list-hosts",
            description = "print the nodes the run would touch, in the order it would release"
                    + " them (id user@address:port facts), and exit without touching the broker; with --json, as JSON")
    boolean listHosts;

    @Option(names = "--wait", description = "follow the run until every node has an outcome, then report")
    boolean waitForOutcome;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "write the JSON report here (with --wait); - writes it to standard output, and the rest to"
                    + " standard error")
    Path json;

    @Option(
            names = "--junit",
            paramLabel = "FILE",
            description = "write JUnit XML here, one test case per node (with --wait; - for standard output)")
    Path junit;

    @Option(names = "--user", description = "user for nodes that name none (default " + RunRequest.DEFAULT_USER + ")")
    String user;

    @Option(names = "--port", description = "port for nodes that name none (default " + RunRequest.DEFAULT_PORT + ")")
    Integer port;

    @Option(
            names = "--deadline",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "no node is started after this (default " + RunRequest.DEFAULT_DEADLINE + ")")
    String deadline;

    @Option(
            names = "--node-deadline",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "cap for one node's whole attempt (default: the worker's lazarus.watchdog.node-deadline)")
    String nodeDeadline;

    @Option(
            names = "--connect-timeout",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "per connect attempt (default: the worker's lazarus.ssh.connect-timeout)")
    String connectTimeout;

    @Option(
            names = "--auth-timeout",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description =
                    "authentication, once the host key is accepted (default: the worker's lazarus.ssh.auth-timeout)")
    String authTimeout;

    @Option(
            names = "--stall-timeout",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "longest silence of a command; the ceiling with --adaptive-stall"
                    + " (default: the worker's lazarus.watchdog.stall-timeout)")
    String stallTimeout;

    @Option(
            names = "--stall-retries",
            paramLabel = "N",
            description =
                    "re-runs of a stalled command on a fresh session (default: the worker's lazarus.watchdog.stall-retries)")
    Integer stallRetries;

    @Option(
            names = "--adaptive-stall",
            negatable = true,
            description = "learn each command's stall timeout from its successful runs: smoothed longest silence plus"
                    + " four deviations, between the worker's floor and the stall timeout"
                    + " (default: the worker's lazarus.watchdog.adaptive-stall.enabled)")
    Boolean adaptiveStall;

    @Option(
            names = "--learned-stall",
            negatable = true,
            description = "give each command the stall timeout learned from its successful runs in the registry, once"
                    + " it has enough of them (default: lazarus.history.learned-stall.enabled, on)")
    Boolean learnedStall;

    @Option(
            names = "--order",
            paramLabel = "ORDER",
            description = "release nodes in inventory order, history order (those that failed in passing lately"
                    + " first) or random order; a canary is always the inventory's first nodes (default: history)")
    String order;

    @Option(
            names = "--command-attempts",
            paramLabel = "N",
            description =
                    "runs of a command that exits non-zero (default: the worker's lazarus.watchdog.command-attempts)")
    Integer commandAttempts;

    @Option(
            names = "--command-timeout",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "cap for one command (default: the worker's lazarus.watchdog.command-timeout)")
    String commandTimeout;

    @Option(
            names = "--max-in-flight",
            paramLabel = "N",
            description =
                    "at most N released nodes without an outcome; more are released as outcomes arrive (with --wait)")
    Integer maxInFlight;

    @Option(
            names = "--max-failures",
            paramLabel = "N|P%",
            description =
                    "stop releasing once more than N nodes (or P%% of the run) failed; the rest are CANCELLED (with --wait)")
    String maxFailures;

    @Option(
            names = "--canary",
            paramLabel = "N",
            description = "release N nodes first and the rest only if all of them succeed (with --wait)")
    Integer canary;

    @Option(
            names = "--ghost-grace",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "a dispatched node with no outcome by the run's deadline (or its worker's node deadline) plus"
                    + " this is reported GHOST (default " + RunRequest.DEFAULT_GHOST_GRACE + ")")
    String ghostGrace;

    @Option(
            names = "--resurrect",
            paramLabel = "auto|off",
            description = "auto: the run resurrects its own dead-lettered nodes (with --wait) and ends only when none"
                    + " waits; off: they wait for lazarus resurrect (default " + RunRequest.DEFAULT_RESURRECT + ")")
    String resurrect;

    @Option(
            names = "--resurrect-delay",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "with --resurrect auto: a node comes back this long after it was dead-lettered, twice as"
                    + " long after each resurrection (default " + RunRequest.DEFAULT_RESURRECT_DELAY + ")")
    String resurrectDelay;

    @Option(
            names = "--progress-interval",
            converter = DurationText.class,
            paramLabel = "DURATION",
            description = "how often progress is printed while waiting (default " + RunRequest.DEFAULT_PROGRESS_INTERVAL
                    + ")")
    String progressInterval = RunRequest.DEFAULT_PROGRESS_INTERVAL;

    @Option(
            names = "--secret",
            paramLabel = "NAME",
            description = "give the script this secret as the environment variable NAME (repeatable); only the name"
                    + " travels, each worker resolves the value from its own store (lazarus.worker.secrets.*)")
    List<String> secrets = new ArrayList<>();

    @Mixin
    VarsOptions vars = new VarsOptions();

    @Option(
            names = "--upload",
            paramLabel = "LOCAL:REMOTE[:MODE]",
            description = "copy this local file to REMOTE (an absolute path) on every node before the script runs,"
                    + " with octal MODE (default 0644); repeatable. The file goes into the file store"
                    + " (lazarus.files.root) that the workers read, travels over SFTP and is checked with sha256 on the"
                    + " node. A colon in either path is not supported")
    List<String> uploads = new ArrayList<>();

    /** The --upload files once in the file store; none until then. */
    private List<FileUpload> staged = List.of();

    @Option(
            names = "--server",
            paramLabel = "URL",
            description =
                    "hand the run to a running service (lazarus-coordinator.jar serve) instead of dispatching it from"
                            + " here; the token comes from LAZARUS_SERVICE_API_TOKEN (for a service on this machine, from its"
                            + " token file when unset)")
    String server;

    @Option(
            names = "--insecure",
            description = "with --server: allow plain http:// to a host other than this machine (the token and the"
                    + " run cross the network unencrypted)")
    boolean insecure;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "serve /actuator/prometheus on this port while the command runs (on 127.0.0.1 unless"
                    + " --metrics-address says otherwise)")
    Integer metricsPort;

    // read before Spring starts (Cli.metricsAddress); declared here so that picocli accepts it and --help shows it
    @Option(
            names = "--metrics-address",
            paramLabel = "ADDRESS",
            description =
                    "with --metrics-port: the address it listens on (default 127.0.0.1; 0.0.0.0 for every interface)")
    String metricsAddress;

    /** The run goes to the service, which dispatches and follows it; with --wait, this follows the service. */
    private int viaServer(ServerClient client, Nodes nodes, RunRequest request) throws Exception {
        String runId = client.create(request);
        PrintStream out = Reports.people(json, junit);
        out.println("run " + runId);
        nodes.notes().forEach(out::println);
        out.printf("handed %d node(s) to %s%n", nodes.list().size(), server);
        if (!waitForOutcome) {
            return Cli.EXIT_OK;
        }
        ServerProgress progress = new ServerProgress(out);
        // the service answers once the run has finished or after the interval: its end is known at once
        Duration interval = RequestDurations.parse("progressInterval", progressInterval);
        Duration wait = interval.compareTo(RunView.LONGEST_WAIT) < 0 ? interval : RunView.LONGEST_WAIT;
        while (true) {
            long asked = System.nanoTime();
            tools.jackson.databind.JsonNode run = client.run(runId, wait);
            progress.show(run);
            if (!run.get("finishedAt").isNull()) {
                break;
            }
            // a service that answers at once (one older than waiting) is asked again after the interval, not at once
            Thread.sleep(Math.max(0, interval.toMillis() - (System.nanoTime() - asked) / 1_000_000));
        }
        ServedReport served = client.served(runId, json != null, junit != null);
        return served != null
                ? Reports.deliver(release, served, json, junit, out)
                : Reports.deliver(release, client.report(runId), json, junit, out);
    }

    /**
     * The request these options make, with the inventory's text and where it came from. Nothing is checked here: the
     * validator does that, for the command line and the API alike.
     */
    private RunRequest request(String inventoryText, String inventorySource, String scriptText) {
        return new RunRequest(
                inventoryText,
                scriptText,
                script.getFileName().toString(),
                user,
                port,
                limit,
                deadline,
                ghostGrace,
                maxInFlight,
                maxFailures,
                canary,
                connectTimeout,
                authTimeout,
                stallTimeout,
                stallRetries,
                adaptiveStall,
                commandTimeout,
                commandAttempts,
                nodeDeadline,
                resurrect,
                resurrectDelay,
                secrets,
                new java.util.LinkedHashMap<>(vars.vars()),
                staged,
                order,
                learnedStall,
                inventorySource);
    }

    /** The --upload files, into the file store: after the cheap checks, as it copies them. */
    private List<FileUpload> stagedUploads() {
        try {
            return files.stage(uploads);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Flow control and self-resurrection release nodes as outcomes arrive: someone must follow the run. */
    private void checkFollowed(RunOptions options) {
        boolean followed = waitForOutcome || server != null;
        if (options.flow().limitsRelease() && !followed) {
            throw new InputException("--max-in-flight, --max-failures and --canary need --wait: without it nobody"
                    + " releases more nodes as outcomes arrive");
        }
        if (options.resurrectsItself() && !followed) {
            throw new InputException("--resurrect auto needs --wait: the run's follower resurrects its nodes");
        }
    }

    RunCommand(
            ObjectProvider<RunService> runs,
            BrokerConnection broker,
            Ec2Clients ec2Clients,
            RunLimits limits,
            RunRequestValidator validator,
            ServiceProperties service,
            Uploads files,
            ContextRelease release) {
        this.files = files;
        this.release = release;
        this.runs = runs;
        this.broker = broker;
        this.ec2Clients = ec2Clients;
        this.limits = limits;
        this.validator = validator;
        this.service = service;
    }

    /**
     * A run handed to a service needs no context here: the service dispatches it, so neither the broker, nor the
     * registry, nor the signing key is touched by this process. EC2 discovery and a metrics endpoint still want theirs.
     */
    boolean servedWithoutContext() {
        return server != null && ec2Filters == null && metricsPort == null && !listHosts;
    }

    /** {@link #servedWithoutContext()}: the command with what such a run uses, bound from the command's settings. */
    static RunCommand served(CommandSettings settings) {
        RunLimits limits = settings.bind("lazarus.run", RunLimits.class);
        Uploads files = new Uploads(new DirectoryContentStore(
                settings.bind("lazarus.files", FilesProperties.class).root()));
        return new RunCommand(
                null,
                null,
                null,
                limits,
                new RunRequestValidator(limits, files),
                settings.bind("lazarus.service", ServiceProperties.class),
                files,
                ContextRelease.none());
    }

    /**
     * The nodes of the run, the inventory's text (for a service, which reads it again) and where it came from, the
     * inventory as the registry keeps it, and what to tell about how they were found.
     */
    private record Nodes(List<InventoryNode> list, String text, String source, String stored, List<String> notes) {}

    /** {@link #checkOptions()} first: the nodes come from the inventory or from EC2, with their own options. */
    private Nodes nodes() {
        if (inventory == null) {
            NodeDefaults defaults = RequestRefusals.checked(() -> validator.nodeDefaults(request(null, null, null)));
            return discover(defaults);
        }
        String source = inventory.toString();
        String text = RequestRefusals.checked(() -> Inventories.text(inventory));
        Inventories.Selected selected = RequestRefusals.checked(() -> validator.nodes(request(text, source, null)));
        selected.warnings().forEach(warning -> System.err.println("warning: " + warning));
        return new Nodes(selected.nodes(), text, source, selected.stored(), List.of());
    }

    /** The running instances that match the filters, as nodes; one without the address asked for is never dropped unseen. */
    private Nodes discover(NodeDefaults defaults) {
        List<Filter> filters = Ec2Filters.parse("--ec2-filter", ec2Filters);
        AddressKind kind = address != null ? address : AddressKind.PRIVATE;
        try (Ec2Session session = ec2Clients.open(ec2.overrides())) {
            Ec2Discovery.Found found = new Ec2Discovery(session).running("--ec2-filter", filters);
            String what =
                    String.join(" ", filters.stream().map(Ec2Filters::describe).toList()) + " in " + session.region();
            if (found.instances().isEmpty()) {
                throw new InputException("no running EC2 instance matches " + what);
            }
            Ec2Nodes nodes = Ec2Nodes.of(found.instances(), kind, defaults.user(), defaults.port());
            List<String> missing = nodes.unaddressableLines();
            if (!missing.isEmpty() && (!skipUnaddressable || nodes.nodes().isEmpty())) {
                throw new InputException(missing.size() + " of "
                        + found.instances().size() + " matching instance(s)"
                        + " have no " + kind.label() + " address:\n  " + listed(missing) + "\n"
                        + (nodes.nodes().isEmpty()
                                ? "choose the other --address"
                                : "choose the other --address, or --skip-unaddressable to install" + " on the other "
                                        + nodes.nodes().size()));
            }
            List<String> notes = new ArrayList<>();
            notes.add("ec2: %d running instance(s) match %s (%d page(s)); %d node(s) at their %s address; %d throttled"
                            .formatted(
                                    found.instances().size(),
                                    what,
                                    found.pages(),
                                    nodes.nodes().size(),
                                    kind.label(),
                                    session.throttles().count())
                    + " EC2 call(s), retried");
            missing.forEach(line -> notes.add("skipped: " + line));
            String text = Ec2Inventory.render(
                    List.of("lazarus run --ec2-filter " + what + ", " + Instant.now()), nodes.lines());
            limits.refusal(nodes.nodes().size()).ifPresent(refusal -> {
                throw new InputException(refusal);
            });
            return new Nodes(nodes.nodes(), text, null, text, notes);
        }
    }

    private static String listed(List<String> lines) {
        String shown = String.join("\n  ", lines.subList(0, Math.min(lines.size(), LISTED_UNADDRESSABLE)));
        return lines.size() > LISTED_UNADDRESSABLE
                ? shown + "\n  ... and " + (lines.size() - LISTED_UNADDRESSABLE) + " more"
                : shown;
    }

    @Override
    public void checkOptions() {
        if (listHosts && (junit != null || waitForOutcome || server != null)) {
            throw new InputException("--list-hosts only lists the nodes: it takes no --wait, --junit or --server");
        }
        if (!listHosts && (json != null || junit != null) && !waitForOutcome) {
            throw new InputException("--json and --junit need --wait: without it there is no outcome to report");
        }
        if ((inventory == null) == (ec2Filters == null)) {
            throw new InputException("name the nodes with --inventory FILE or with --ec2-filter FILTER (one of them)");
        }
        if (inventory == null && limit != null) {
            throw new InputException("--limit goes with --inventory: with --ec2-filter, the filters choose the nodes");
        }
        if (inventory != null && (address != null || skipUnaddressable || ec2.given())) {
            throw new InputException("--address, --skip-unaddressable, --region, --profile, --max-attempts and"
                    + " --retry-mode go with --ec2-filter");
        }
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        if (listHosts) {
            return listHosts();
        }
        // before anything is read or sent: a token must not go to another machine in the clear by accident
        try (ServerClient client = server == null
                ? null
                : ServerClient.of(server, insecure, System.getenv("LAZARUS_SERVICE_API_TOKEN"), service.tokenFile())) {
            return call(client);
        }
    }

    private int call(ServerClient client) throws Exception {
        Reports.checkWritable(json, junit);
        // the broker is reached and the registry opened while the inventory is read; a broker that cannot be reached
        // still ends the run before anything of it is recorded or sent
        CompletableFuture<Void> brokerReached =
                server == null ? CompletableFuture.runAsync(broker::connect) : CompletableFuture.completedFuture(null);
        CompletableFuture<RunService> registryOpened =
                server == null ? meanwhile("registry-open", runs::getObject) : CompletableFuture.completedFuture(null);
        try {
            return dispatch(client, brokerReached, registryOpened);
        } finally {
            // a command that ends early leaves no registry half open behind it as its context closes
            registryOpened.exceptionally(failed -> null).join();
        }
    }

    private int dispatch(
            ServerClient client, CompletableFuture<Void> brokerReached, CompletableFuture<RunService> registryOpened)
            throws Exception {
        Nodes nodes = nodes();
        String scriptText = readScript(script);
        staged = stagedUploads();
        RunRequest request = request(nodes.text(), nodes.source(), scriptText);
        InstallScript install = RequestRefusals.checked(() -> validator.script(request));
        RunOptions options = RequestRefusals.checked(() -> validator.options(request))
                .followed(waitForOutcome, RequestDurations.parse("progressInterval", progressInterval));
        checkFollowed(options);

        if (server != null) {
            return viaServer(client, nodes, request);
        }
        String runId = RunIds.next();
        PrintStream out = Reports.people(json, junit);
        out.println("run " + runId);
        nodes.notes().forEach(out::println);
        out.flush();
        RunService runs = awaited(registryOpened);
        // worked out while the broker may still be being reached: nothing of the run is recorded or sent before it is
        PlannedRun planned = runs.plan(runId, nodes.list(), nodes.stored(), install, options);
        awaited(brokerReached);
        out.printf(
                "dispatching %d node(s), script %s (sha256 %s)%n",
                nodes.list().size(), install.name(), install.sha256().substring(0, 12));
        RunReport report = runs.start(planned, Progress.to(out));
        if (report == null) {
            out.printf(
                    "run %s: %d install messages confirmed by the broker; its events wait in its queue for an hour:"
                            + " lazarus status %s or lazarus report %s record them and answer, lazarus watch %s follows it to"
                            + " its end%n",
                    runId, nodes.list().size(), runId, runId, runId);
            return Cli.EXIT_OK;
        }
        return Reports.deliver(release, report, json, junit, out);
    }

    /** What {@code work} gives, worked out on a thread of its own while the command goes on. */
    private static <T> CompletableFuture<T> meanwhile(String thread, Supplier<T> work) {
        return CompletableFuture.supplyAsync(
                work, command -> Thread.ofPlatform().daemon().name(thread).start(command));
    }

    /** The value, or the failure as it was thrown. */
    private static <T> T awaited(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    private int listHosts() throws IOException {
        Reports.checkWritable(json, null);
        Nodes nodes = nodes();
        RunOrder releaseOrder = RequestRefusals.checked(() -> RunOrder.of(order));
        List<InventoryNode> listed = runs.getObject().releaseOrder(nodes.list(), releaseOrder, canary);
        PrintStream people = Reports.people(json, null);
        nodes.notes().forEach(people::println);
        if (json != null) {
            HostList.writeJson(listed, json);
        } else {
            HostList.print(listed, System.out);
        }
        System.err.println(nodes.list().size() + " node(s); nothing was sent");
        return Cli.EXIT_OK;
    }

    /** The script file's text; what the text may be is the validator's to say. */
    private static String readScript(Path file) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such script file");
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** A duration option is checked as it is read, by the request's rule, and kept as written. */
    static final class DurationText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                RequestDurations.parse("duration", value);
                return value;
            } catch (InvalidField e) {
                throw new picocli.CommandLine.TypeConversionException(e.detail());
            }
        }
    }

    /** A duration option of another command, by the same rule. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return RequestDurations.parse("duration", value);
            } catch (InvalidField e) {
                throw new picocli.CommandLine.TypeConversionException(e.detail());
            }
        }
    }
}
