package io.lazarus.coordinator.service;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.coordinator.files.Uploads;
import io.lazarus.coordinator.inventory.Inventories;
import io.lazarus.coordinator.inventory.InventoryException;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.inventory.LimitException;
import io.lazarus.coordinator.inventory.ListedNode;
import io.lazarus.coordinator.inventory.NodeDefaults;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunListing;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.report.Reconciliation;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.run.FlowControl;
import io.lazarus.coordinator.run.InstallConsumers;
import io.lazarus.coordinator.run.RunIds;
import io.lazarus.coordinator.run.RunLimits;
import io.lazarus.coordinator.run.RunOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The registry and the runs, for CI and people: create, inspect, follow and cancel runs. */
@RestController
@RequestMapping("/api/runs")
@ConditionalOnProperty("lazarus.service.enabled")
class RunsController {

    private final RunLauncher launcher;
    private final RegistryStore registry;
    private final StoredReports reports;
    private final RunListing listing;
    private final InstallConsumers consumers;
    private final RunLimits limits;
    private final EventStreams streams;

    private final Uploads uploads;

    RunsController(
            RunLauncher launcher,
            RegistryStore registry,
            StoredReports reports,
            RunListing listing,
            InstallConsumers consumers,
            RunLimits limits,
            EventStreams streams,
            Uploads uploads) {
        this.uploads = uploads;
        this.launcher = launcher;
        this.registry = registry;
        this.reports = reports;
        this.listing = listing;
        this.consumers = consumers;
        this.limits = limits;
        this.streams = streams;
    }

    /** The registry's column sizes (db/migration): longer input is a 400 naming the field, never a database error. */
    static final int MAX_SCRIPT_NAME = 255;

    static final int MAX_RUN_ID = 64;
    static final int MAX_NODE_ID = 128;
    /** No duration the API takes is longer: a longer one would overflow the registry's timestamps. */
    static final Duration MAX_DURATION = Duration.ofDays(3650);

    /**
     * A run as it stands: its state, its nodes counted by state, and its books against the manifest; {@code warning}
     * says when nodes wait and no worker listens on the install queue.
     */
    record RunView(
            String runId,
            String state,
            Instant createdAt,
            Instant deadline,
            Instant finishedAt,
            String script,
            String scriptSha256,
            int total,
            Map<NodeState, Integer> states,
            Reconciliation reconciliation,
            String warning) {}

    /** The runs, newest first: at most {@code limit} (default 100, at most 1000). */
    @GetMapping
    List<RunListing.Listed> list(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new BadRequest("limit", "limit must be 1..1000, was " + limit);
        }
        return listing.newest(limit);
    }

    /**
     * The nodes {@link #create} would release for this request, in release order (a canary is the first of them); the
     * request is read as a run's, and nothing is recorded or published.
     */
    @PostMapping("/preview")
    List<ListedNode> preview(@RequestBody CreateRunRequest request) {
        return selectNodes(request).nodes().stream().map(ListedNode::of).toList();
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@RequestBody CreateRunRequest request) {
        required(request.inventory(), "inventory");
        String body = required(request.script(), "script");
        if (body.getBytes(StandardCharsets.UTF_8).length > InstallScript.MAX_COMMAND_BYTES) {
            throw new BadRequest("script", "the script is larger than " + InstallScript.MAX_COMMAND_BYTES + " bytes");
        }
        String name =
                request.scriptName() == null || request.scriptName().isBlank() ? "install.sh" : request.scriptName();
        if (name.length() > MAX_SCRIPT_NAME) {
            throw new BadRequest(
                    "scriptName",
                    "scriptName is " + name.length() + " characters long, longer than " + MAX_SCRIPT_NAME);
        }
        Inventories.Selected selected = selectNodes(request);
        List<InventoryNode> nodes = selected.nodes();
        FlowControl flow;
        try {
            flow = FlowControl.of(request.maxInFlight(), request.maxFailures(), request.canary());
        } catch (InvalidField e) {
            throw BadRequest.of(e);
        }
        Duration nodeDeadline = duration(request.nodeDeadline(), "nodeDeadline", null);
        Watchdog watchdog;
        try {
            watchdog = new Watchdog(
                    duration(request.connectTimeout(), "connectTimeout", null),
                    duration(request.authTimeout(), "authTimeout", null),
                    duration(request.stallTimeout(), "stallTimeout", null),
                    request.stallRetries(),
                    request.adaptiveStall(),
                    duration(request.commandTimeout(), "commandTimeout", null),
                    request.commandAttempts(),
                    nodeDeadline);
        } catch (InvalidField e) {
            throw BadRequest.of(e);
        }
        RunOptions options = new RunOptions(
                        true,
                        duration(request.deadline(), "deadline", Duration.ofHours(1)),
                        nodeDeadline != null ? nodeDeadline : RunOptions.WORKER_MAX_NODE_DEADLINE,
                        watchdog,
                        flow,
                        duration(request.ghostGrace(), "ghostGrace", Duration.ofMinutes(1)),
                        Duration.ofSeconds(2),
                        resurrectDelay(request),
                        secrets(request))
                .withUploads(uploads(request));
        String runId = RunIds.next();
        launcher.launch(runId, nodes, selected.stored(), InstallScript.of(name, body), options);
        return ResponseEntity.created(URI.create("/api/runs/" + runId))
                .body(Map.of("runId", runId, "nodes", nodes.size()));
    }

    private List<FileUpload> uploads(CreateRunRequest request) {
        try {
            List<FileUpload> files = FileUpload.validated(request.uploads());
            uploads.requireStored(files);
            return files;
        } catch (IllegalArgumentException e) {
            throw new BadRequest("uploads", e.getMessage());
        }
    }

    private static List<String> secrets(CreateRunRequest request) {
        try {
            return io.lazarus.common.contract.SecretNames.validated(request.secrets());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("secrets", e.getMessage());
        }
    }

    /** {@code "resurrect": "auto"} resurrects the run's own candidates after {@code resurrectDelay} (default 30s). */
    private static Duration resurrectDelay(CreateRunRequest request) {
        if (request.resurrect() == null || request.resurrect().equals("off")) {
            if (request.resurrectDelay() != null) {
                throw new BadRequest("resurrectDelay", "resurrectDelay needs \"resurrect\": \"auto\"");
            }
            return null;
        }
        if (!request.resurrect().equals("auto")) {
            throw new BadRequest(
                    "resurrect", "resurrect must be \"auto\" or \"off\", was \"" + request.resurrect() + "\"");
        }
        return duration(request.resurrectDelay(), "resurrectDelay", Duration.ofSeconds(30));
    }

    /** The request's nodes: its inventory with its defaults and --limit, refused with the field at fault. */
    private Inventories.Selected selectNodes(CreateRunRequest request) {
        String inventoryText = required(request.inventory(), "inventory");
        int port = request.port() == null ? 22 : request.port();
        if (port < 1 || port > 65535) {
            throw new BadRequest("port", "port must be 1..65535, was " + port);
        }
        String user = request.user() == null ? "root" : request.user();
        if (!NodeDefaults.isUser(user)) {
            throw new BadRequest(
                    "user", "user '" + abbreviated(user) + "' is not a user name (" + NodeDefaults.USER_RULE + ")");
        }
        Inventories.Selected selected;
        try {
            selected = Inventories.select("inventory", inventoryText, new NodeDefaults(user, port), request.limit());
        } catch (LimitException e) {
            throw new BadRequest("limit", e.getMessage());
        } catch (InventoryException e) {
            throw new BadRequest(
                    "inventory", String.join("; ", e.listed()), e.problems().size());
        }
        List<InventoryNode> nodes = selected.nodes();
        if (nodes.isEmpty()) {
            throw new BadRequest("inventory", "the inventory names no node");
        }
        limits.refusal(nodes.size()).ifPresent(refusal -> {
            throw new BadRequest("inventory", refusal);
        });
        return selected;
    }

    @GetMapping("/{runId}")
    RunView run(@PathVariable String runId) {
        return view(runId);
    }

    @GetMapping("/{runId}/report")
    RunReport report(@PathVariable String runId) {
        checkRunId(runId);
        return reports.report(runId).orElseThrow(() -> unknown(runId));
    }

    @GetMapping("/{runId}/nodes")
    List<NodeRecord> nodes(@PathVariable String runId, @RequestParam Optional<NodeState> state) {
        known(runId);
        return registry.nodes(runId, state);
    }

    @GetMapping("/{runId}/nodes/{nodeId}/attempts")
    List<AttemptRecord> attempts(@PathVariable String runId, @PathVariable String nodeId) {
        known(runId);
        if (nodeId.length() > MAX_NODE_ID) {
            throw new BadRequest(
                    "nodeId", "nodeId is " + nodeId.length() + " characters long, longer than " + MAX_NODE_ID);
        }
        if (registry.nodes(runId, Optional.empty()).stream()
                .noneMatch(n -> n.nodeId().equals(nodeId))) {
            throw new NotFound("run " + runId + " has no node " + nodeId);
        }
        return registry.attempts(runId, nodeId);
    }

    @PostMapping("/{runId}/cancel")
    ResponseEntity<Map<String, Object>> cancel(@PathVariable String runId) {
        known(runId);
        boolean cancelled = registry.requestCancel(runId);
        return ResponseEntity.accepted()
                .body(Map.of(
                        "runId",
                        runId,
                        "cancelled",
                        cancelled,
                        "detail",
                        cancelled
                                ? "no more nodes are released; those already dispatched finish"
                                : "the run is not running"));
    }

    /**
     * Server-sent events: a {@code progress} event with the run's counts every second (without the reconciliation,
     * which takes the whole report), then {@code end} with the full view. At most
     * {@code lazarus.service.max-event-streams} streams are open at once; one more is a 429.
     */
    @GetMapping(path = "/{runId}/events", produces = "text/event-stream")
    SseEmitter events(@PathVariable String runId) {
        known(runId);
        streams.open();
        SseEmitter emitter = new SseEmitter(0L);
        try {
            Thread.ofVirtual().name("sse-" + runId).start(() -> {
                try {
                    while (true) {
                        RunRecord run = known(runId);
                        if (run.finishedAt() != null) {
                            RunView view = view(runId);
                            emitter.send(SseEmitter.event().name("progress").data(view));
                            emitter.send(SseEmitter.event().name("end").data(view));
                            emitter.complete();
                            return;
                        }
                        emitter.send(SseEmitter.event().name("progress").data(progress(run)));
                        Thread.sleep(1000);
                    }
                } catch (IOException | RuntimeException gone) {
                    emitter.completeWithError(gone);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    emitter.complete();
                } finally {
                    streams.close();
                }
            });
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
        return emitter;
    }

    /** The view of a running run from the registry's counts alone. */
    private RunView progress(RunRecord run) {
        Map<NodeState, Integer> states = registry.nodeStates(run.runId());
        boolean queued = states.getOrDefault(NodeState.PENDING, 0) > 0;
        return new RunView(
                run.runId(),
                run.state().name(),
                run.createdAt(),
                run.deadline(),
                run.finishedAt(),
                run.scriptName(),
                run.scriptSha256(),
                run.total(),
                states,
                null,
                queued ? consumers.warning() : null);
    }

    private RunView view(String runId) {
        RunRecord run = known(runId);
        RunReport report = reports.report(runId).orElseThrow(() -> unknown(runId));
        boolean queued = run.finishedAt() == null && report.states().getOrDefault(NodeState.PENDING, 0) > 0;
        return new RunView(
                runId,
                run.state().name(),
                run.createdAt(),
                run.deadline(),
                run.finishedAt(),
                run.scriptName(),
                run.scriptSha256(),
                run.total(),
                report.states(),
                report.reconciliation(),
                queued ? consumers.warning() : null);
    }

    private RunRecord known(String runId) {
        checkRunId(runId);
        return registry.run(runId).orElseThrow(() -> unknown(runId));
    }

    private static void checkRunId(String runId) {
        if (runId.length() > MAX_RUN_ID) {
            throw new BadRequest("runId", "runId is " + runId.length() + " characters long, longer than " + MAX_RUN_ID);
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "... (" + value.length() + " characters)";
    }

    private static NotFound unknown(String runId) {
        return new NotFound("no run " + runId + " in the registry");
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new BadRequest(field, field + " is required");
        }
        return value;
    }

    private static Duration duration(String value, String field, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration = DurationStyle.detectAndParse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            if (duration.compareTo(MAX_DURATION) > 0) {
                throw new BadRequest(
                        field, field + " '" + value + "' is longer than " + MAX_DURATION.toDays() + " days");
            }
            return duration;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new BadRequest(
                    field,
                    field + " '" + abbreviated(value) + "' is not a positive duration (examples: 90s, 20m, PT1H)");
        }
    }
}
