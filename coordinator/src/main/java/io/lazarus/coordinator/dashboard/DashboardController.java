package io.lazarus.coordinator.dashboard;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.logs.LogStreams;
import io.lazarus.coordinator.logs.NodeLogs;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunListing;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.run.FlowControl;
import io.lazarus.coordinator.run.RunOptions;
import io.lazarus.coordinator.service.RunEvents;
import io.lazarus.coordinator.service.Scope;
import io.lazarus.coordinator.status.RunView;
import io.lazarus.coordinator.status.RunViews;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The dashboard's pages: the runs, one run with its nodes' grid and flow control (live), one node with its attempts. */
@Controller
@RequestMapping("/dashboard")
@ConditionalOnProperty("lazarus.service.enabled")
class DashboardController {

    private static final int LISTED_RUNS = 100;

    private final RegistryStore registry;
    private final RunListing listing;
    private final RunViews views;
    private final RunEvents events;
    private final NodeLogs logs;

    DashboardController(RegistryStore registry, RunListing listing, RunViews views, RunEvents events, NodeLogs logs) {
        this.registry = registry;
        this.listing = listing;
        this.views = views;
        this.events = events;
        this.logs = logs;
    }

    @GetMapping({"", "/"})
    String home() {
        return "redirect:/dashboard/runs";
    }

    @GetMapping("/runs")
    String runs(@RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn, Model model) {
        model.addAttribute("signedIn", signedIn);
        model.addAttribute("marks", Mark.values());
        model.addAttribute(
                "runs",
                listing.newest(LISTED_RUNS).stream()
                        .map(run -> RunRow.of(run, registry.nodeStates(run.runId())))
                        .toList());
        return "dashboard/runs";
    }

    @GetMapping("/runs/{runId}")
    String run(
            @PathVariable String runId,
            @RequestParam Optional<NodeState> state,
            @RequestParam Optional<Outcome> outcome,
            @RequestParam Optional<String> cancel,
            @RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn,
            Model model) {
        List<NodeRecord> nodes = summary(known(runId), model);
        model.addAttribute("signedIn", signedIn);
        model.addAttribute("cells", nodes.stream().map(Cell::of).toList());
        model.addAttribute("marks", Mark.values());
        model.addAttribute("byState", Mark.byState());
        model.addAttribute("symbols", Mark.symbolsJson());
        model.addAttribute("outcomes", Outcome.values());
        model.addAttribute("state", state.map(Enum::name).orElse(""));
        model.addAttribute("outcome", outcome.map(Enum::name).orElse(""));
        model.addAttribute("cancel", cancel.orElse(""));
        model.addAttribute("canOperate", signedIn.may(Scope.OPERATE));
        return "dashboard/run";
    }

    /**
     * The run's state, counts, books and flow control: the part of the run page its script swaps in when the counts
     * change.
     */
    @GetMapping("/runs/{runId}/summary")
    String summary(@PathVariable String runId, Model model) {
        summary(known(runId), model);
        return "dashboard/run :: summary";
    }

    /** Adds the summary's parts to the model; returns the run's nodes, which it read for the flow control. */
    private List<NodeRecord> summary(RunRecord run, Model model) {
        String runId = run.runId();
        RunView view = views.view(runId).orElseThrow(() -> unknown(runId));
        List<NodeRecord> nodes = registry.nodes(runId, Optional.empty());
        RunOptions options = Contracts.mapper().readValue(run.options(), RunOptions.class);
        FlowControl flow = options.flow() == null ? FlowControl.NONE : options.flow();
        model.addAttribute("view", view);
        model.addAttribute("marks", Mark.values());
        model.addAttribute("duration", Durations.between(view.createdAt(), view.finishedAt()));
        model.addAttribute("startedBy", listing.startedBy(runId).orElse(null));
        model.addAttribute("flow", FlowView.of(flow, nodes, view.releaseStopped()));
        return nodes;
    }

    /** Every node's state and outcome, for the page's script to update the grid's cells by id. */
    @GetMapping("/runs/{runId}/cells")
    @ResponseBody
    List<Cell> cells(@PathVariable String runId) {
        known(runId);
        return registry.nodes(runId, Optional.empty()).stream().map(Cell::of).toList();
    }

    @GetMapping(path = "/runs/{runId}/events", produces = "text/event-stream")
    SseEmitter events(@PathVariable String runId) {
        known(runId);
        return events.stream(runId);
    }

    @PostMapping("/runs/{runId}/cancel")
    String cancel(
            @PathVariable String runId,
            @RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn,
            HttpServletRequest request) {
        known(runId);
        signedIn.require(Scope.OPERATE, "cancelling a run");
        boolean cancelled = registry.requestCancel(runId);
        Audit.operated(signedIn, request, "cancel run " + runId, cancelled ? "cancelled" : "not running");
        return "redirect:/dashboard/runs/" + runId + "?cancel=" + (cancelled ? "requested" : "not-running");
    }

    @GetMapping("/runs/{runId}/nodes/{nodeId}")
    String node(
            @PathVariable String runId,
            @PathVariable String nodeId,
            @RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn,
            Model model) {
        known(runId);
        NodeRecord node = registry.nodes(runId, Optional.empty()).stream()
                .filter(n -> n.nodeId().equals(nodeId))
                .findFirst()
                .orElseThrow(() ->
                        new ResponseStatusException(HttpStatus.NOT_FOUND, "run " + runId + " has no node " + nodeId));
        model.addAttribute("signedIn", signedIn);
        model.addAttribute("node", node);
        model.addAttribute("mark", Mark.of(node.state()));
        model.addAttribute(
                "attempts", AttemptRow.of(registry.attempts(runId, nodeId), registry.executions(runId, nodeId)));
        return "dashboard/node";
    }

    /** An attempt's whole output, as {@code GET /api/runs/{run}/nodes/{node}/log} gives it, for a signed-in reader. */
    @GetMapping(path = "/runs/{runId}/nodes/{nodeId}/log", produces = "text/plain;charset=UTF-8")
    @ResponseBody
    String log(@PathVariable String runId, @PathVariable String nodeId, @RequestParam int attempt) {
        known(runId);
        return logs.attempt(runId, nodeId, OptionalInt.of(attempt))
                .map(found -> logs.text(found.attemptId(), LogStreams.BOTH))
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "node " + nodeId + " of run " + runId + " has no attempt " + attempt));
    }

    private RunRecord known(String runId) {
        if (runId.length() > 64) {
            throw unknown(runId);
        }
        return registry.run(runId).orElseThrow(() -> unknown(runId));
    }

    private static ResponseStatusException unknown(String runId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no run " + runId + " in the registry");
    }
}
