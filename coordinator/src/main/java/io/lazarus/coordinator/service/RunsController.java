package io.lazarus.coordinator.service;

import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.history.RunOrder;
import io.lazarus.coordinator.inventory.InventoryException;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.inventory.ListedNode;
import io.lazarus.coordinator.logs.LogStreams;
import io.lazarus.coordinator.logs.NodeLogs;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunListing;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.report.JUnitReportWriter;
import io.lazarus.coordinator.report.JsonReportWriter;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.report.SummaryPrinter;
import io.lazarus.coordinator.request.RequestDurations;
import io.lazarus.coordinator.request.RunRequest;
import io.lazarus.coordinator.request.RunRequestValidator;
import io.lazarus.coordinator.run.RunIds;
import io.lazarus.coordinator.status.RunView;
import io.lazarus.coordinator.status.RunViews;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
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
    private final RunViews views;
    private final RunRequestValidator validator;
    private final RunEvents events;
    private final NodeLogs logs;
    private final EventStreams streams;
    private final FinishedReports finishedReports;

    RunsController(
            RunLauncher launcher,
            RegistryStore registry,
            StoredReports reports,
            RunListing listing,
            RunViews views,
            RunRequestValidator validator,
            RunEvents events,
            NodeLogs logs,
            EventStreams streams,
            FinishedReports finishedReports) {
        this.finishedReports = finishedReports;
        this.logs = logs;
        this.streams = streams;
        this.launcher = launcher;
        this.registry = registry;
        this.reports = reports;
        this.listing = listing;
        this.views = views;
        this.validator = validator;
        this.events = events;
    }

    /** The registry's column sizes (db/migration): longer input is a 400 naming the field, never a database error. */
    static final int MAX_RUN_ID = 64;

    static final int MAX_NODE_ID = 128;

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
    List<ListedNode> preview(@RequestBody RunRequest request) {
        List<InventoryNode> nodes = checked(() -> validator.nodes(request)).nodes();
        return launcher.releaseOrder(nodes, checked(() -> RunOrder.of(request.order())), request.canary()).stream()
                .map(ListedNode::of)
                .toList();
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@RequestBody RunRequest request, HttpServletRequest http) {
        RunRequestValidator.ValidRun run = checked(() -> validator.validate(request));
        List<InventoryNode> nodes = run.selected().nodes();
        String runId = RunIds.next();
        launcher.launch(runId, nodes, run.selected().stored(), run.install(), run.options(), (String)
                http.getAttribute(BearerTokenFilter.TOKEN_NAME));
        return ResponseEntity.created(URI.create("/api/runs/" + runId))
                .body(Map.of("runId", runId, "nodes", nodes.size()));
    }

    private interface Check<T> {
        T get() throws InventoryException;
    }

    /** The request's refusals as the API tells them: a 400 naming the JSON field. */
    private static <T> T checked(Check<T> check) {
        try {
            return check.get();
        } catch (InvalidField e) {
            throw BadRequest.of(e);
        } catch (InventoryException e) {
            throw new BadRequest(
                    "inventory", String.join("; ", e.listed()), e.problems().size());
        }
    }

    /**
     * The run as it stands; with {@code wait} (at most {@link RunView#LONGEST_WAIT}), once it has finished or that long has
     * passed, whichever comes first: a client following a run learns its end at once instead of at its next poll. A
     * wait takes a place among the event streams; with none free it answers at once.
     */
    @GetMapping("/{runId}")
    RunView run(@PathVariable String runId, @RequestParam Optional<String> wait) throws InterruptedException {
        known(runId);
        if (wait.isPresent()) {
            awaitFinish(runId, wait.get());
        }
        return view(runId);
    }

    private static final Duration WAIT_LOOK_EVERY = Duration.ofMillis(100);

    private void awaitFinish(String runId, String wait) throws InterruptedException {
        Duration longest;
        try {
            longest = RequestDurations.parse("wait", wait);
        } catch (InvalidField e) {
            throw BadRequest.of(e);
        }
        if (longest.compareTo(RunView.LONGEST_WAIT) > 0) {
            throw new BadRequest(
                    "wait",
                    "wait is " + longest.toSeconds() + "s, longer than " + RunView.LONGEST_WAIT.toSeconds() + "s");
        }
        if (!streams.tryOpen()) {
            return; // as many streams and waits as the service serves at once: the run as it stands, at once
        }
        try {
            long until = System.nanoTime() + longest.toNanos();
            while (System.nanoTime() < until && !registry.finished(runId)) {
                finishedReports.awaitNextFinish(Duration.ofMillis(
                        Math.min(WAIT_LOOK_EVERY.toMillis(), Math.max(1, (until - System.nanoTime()) / 1_000_000))));
            }
        } finally {
            streams.close();
        }
    }

    /**
     * The JSON report, byte for byte as {@code run --wait --json} writes it: the registry's, as the run stands; with
     * {@code finished}, the report its follower made as it finished the run, if that was here within the last minute
     * (what {@code run --server --wait} asks for the moment the run ends), else the registry's.
     */
    @GetMapping(path = "/{runId}/report", produces = MediaType.APPLICATION_JSON_VALUE)
    byte[] report(@PathVariable String runId, @RequestParam(defaultValue = "false") boolean finished) {
        return JsonReportWriter.bytes(runReport(runId, finished));
    }

    /** The JUnit XML report, as {@code run --wait --junit} writes it; {@code finished} as for the JSON report. */
    @GetMapping(path = "/{runId}/report/junit", produces = MediaType.APPLICATION_XML_VALUE)
    byte[] junit(@PathVariable String runId, @RequestParam(defaultValue = "false") boolean finished)
            throws IOException {
        return JUnitReportWriter.bytes(runReport(runId, finished));
    }

    /**
     * The readable summary {@code run --wait} prints at its end, and in a header whether every node succeeded: a
     * client following the run prints this instead of parsing the whole report to print it. {@code finished} as for
     * the JSON report.
     */
    @GetMapping(path = "/{runId}/report/summary", produces = "text/plain;charset=UTF-8")
    ResponseEntity<String> summary(@PathVariable String runId, @RequestParam(defaultValue = "false") boolean finished) {
        RunReport report = runReport(runId, finished);
        return ResponseEntity.ok()
                .header(SummaryPrinter.ALL_SUCCEEDED_HEADER, Boolean.toString(report.allSucceeded()))
                .body(SummaryPrinter.text(report));
    }

    private RunReport runReport(String runId, boolean finished) {
        checkRunId(runId);
        return (finished ? finishedReports.of(runId) : Optional.<RunReport>empty())
                .or(() -> reports.report(runId))
                .orElseThrow(() -> unknown(runId));
    }

    @GetMapping("/{runId}/nodes")
    List<NodeRecord> nodes(@PathVariable String runId, @RequestParam Optional<NodeState> state) {
        known(runId);
        return registry.nodes(runId, state);
    }

    @GetMapping("/{runId}/nodes/{nodeId}/attempts")
    List<AttemptRecord> attempts(@PathVariable String runId, @PathVariable String nodeId) {
        knownNode(runId, nodeId);
        return registry.attempts(runId, nodeId);
    }

    /** The node's whole output (of its latest attempt, or of {@code attempt}), as plain text: what lazarus logs prints. */
    @GetMapping(path = "/{runId}/nodes/{nodeId}/log", produces = "text/plain;charset=UTF-8")
    String log(
            @PathVariable String runId,
            @PathVariable String nodeId,
            @RequestParam("attempt") Optional<Integer> attemptNumber,
            @RequestParam(defaultValue = "both") String stream) {
        knownNode(runId, nodeId);
        OptionalInt attempt = attemptNumber.map(OptionalInt::of).orElse(OptionalInt.empty());
        LogStreams streams;
        try {
            streams = LogStreams.parse(stream);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("stream", "stream " + e.getMessage());
        }
        AttemptRecord found = logs.attempt(runId, nodeId, attempt)
                .orElseThrow(() -> new NotFound(
                        attempt.isPresent()
                                ? "node " + nodeId + " of run " + runId + " has no attempt " + attempt.getAsInt()
                                : "no attempt of node " + nodeId + " of run " + runId + " has started yet"));
        return logs.text(found.attemptId(), streams);
    }

    private void knownNode(String runId, String nodeId) {
        known(runId);
        if (nodeId.length() > MAX_NODE_ID) {
            throw new BadRequest(
                    "nodeId", "nodeId is " + nodeId.length() + " characters long, longer than " + MAX_NODE_ID);
        }
        if (registry.node(runId, nodeId).isEmpty()) {
            throw new NotFound("run " + runId + " has no node " + nodeId);
        }
    }

    @PostMapping("/{runId}/cancel")
    ResponseEntity<Map<String, Object>> cancel(@PathVariable String runId) {
        known(runId);
        boolean cancelled = launcher.cancel(runId);
        return ResponseEntity.accepted()
                .body(Map.of(
                        "runId",
                        runId,
                        "cancelled",
                        cancelled,
                        "detail",
                        cancelled
                                ? "no more nodes are released and workers run none of those still queued; those running finish"
                                : "the run is not running"));
    }

    /** Server-sent events ({@link RunEvents}); a stream over the cap is a 429. */
    @GetMapping(path = "/{runId}/events", produces = "text/event-stream")
    SseEmitter events(@PathVariable String runId) {
        known(runId);
        return events.stream(runId);
    }

    private RunView view(String runId) {
        checkRunId(runId);
        return views.view(runId).orElseThrow(() -> unknown(runId));
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

    private static NotFound unknown(String runId) {
        return new NotFound("no run " + runId + " in the registry");
    }
}
