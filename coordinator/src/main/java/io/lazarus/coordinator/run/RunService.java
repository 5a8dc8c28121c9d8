package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.Errors;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.report.RunReport;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.stereotype.Service;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Dispatches a run and, when asked, follows it to its end. */
@Service
public class RunService {

    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final RunDispatcher dispatcher;
    private final MeterRegistry metrics;

    RunService(ConnectionFactory connectionFactory, AmqpAdmin admin, RunDispatcher dispatcher, MeterRegistry metrics) {
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    /** Connects and declares the topology; a broker that cannot be reached ends here, before anything is sent. */
    public void connect() {
        try (Connection ignored = connectionFactory.createConnection()) {
            admin.initialize();
        } catch (AmqpException e) {
            String cause = Errors.rootMessage(e);
            if (cause.contains("PRECONDITION_FAILED")) {
                throw new BrokerUnavailableException("RabbitMQ refused the Lazarus topology: an existing queue or exchange"
                        + " was declared with other arguments (" + cause.replaceAll(".*reply-text=([^,]*(,[^,]*')?).*", "$1")
                        + "). Make lazarus.topology.* match what the broker has, or delete it.", e);
            }
            throw new BrokerUnavailableException("cannot reach RabbitMQ at " + connectionFactory.getHost() + ":"
                    + connectionFactory.getPort() + ": " + cause, e);
        }
    }

    /**
     * Publishes one message per node; with {@code waitForOutcome}, follows the run until every node has an outcome
     * or the wait bound passes. Returns the report, or null when not waiting.
     */
    public RunReport run(String runId, List<InventoryNode> nodes, InstallScript script, RunOptions options,
            PrintStream progress) throws InterruptedException {
        Instant started = Instant.now();
        Instant deadline = started.plus(options.deadline());
        List<InstallMessage> messages = nodes.stream()
                .map(n -> InstallMessage.firstAttempt(runId, n.target(), script, options.watchdog(), deadline))
                .toList();
        if (!options.waitForOutcome()) {
            dispatch(messages, options, progress);
            return null;
        }
        RunTracker tracker = new RunTracker(runId, nodes);
        try (RunWatcher watcher = RunWatcher.bind(connectionFactory, admin, runId)) {
            watcher.start();
            dispatch(messages, options, progress);
            Instant waitUntil = deadline.plus(options.maxNodeTime()).plus(Duration.ofMinutes(1));
            follow(tracker, watcher, waitUntil, started, progress, options.progressInterval());
            RunReport report = tracker.report(script.name(), script.sha256(), started, Instant.now());
            watcher.finish();
            return report;
        }
    }

    private void dispatch(List<InstallMessage> messages, RunOptions options, PrintStream progress) {
        ProgressLine publishing = new ProgressLine(progress, options.progressInterval());
        dispatcher.dispatch(messages, confirmed -> publishing.maybe(() -> "published %d/%d (confirmed by the broker)"
                .formatted(confirmed, messages.size()), confirmed == messages.size()));
        metrics.counter("lazarus.coordinator.messages.published").increment(messages.size());
    }

    private void follow(RunTracker tracker, RunWatcher watcher, Instant waitUntil, Instant started, PrintStream out,
            Duration interval) throws InterruptedException {
        ProgressLine line = new ProgressLine(out, interval);
        while (!tracker.complete() && Instant.now().isBefore(waitUntil)) {
            AttemptEvent event = watcher.poll(Duration.ofMillis(200));
            while (event != null) {
                if (tracker.apply(event) && event.result() != null) {
                    metrics.counter("lazarus.coordinator.events.received", "outcome", event.result().outcome().name())
                            .increment();
                }
                event = watcher.poll(Duration.ZERO);
            }
            RunTracker.Progress p = tracker.progress();
            line.maybe(() -> describe(p, started), tracker.complete());
        }
        if (!tracker.complete()) {
            out.printf("wait ended at %s with %d node(s) still without an outcome: reported as GHOST%n", waitUntil,
                    tracker.progress().total() - tracker.progress().done());
        }
    }

    private static String describe(RunTracker.Progress p, Instant started) {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        String outcomes = p.outcomes().entrySet().stream()
                .map((Map.Entry<Outcome, Integer> e) -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "[%02d:%02d] %d/%d done%s; running %d, queued %d", seconds / 60, seconds % 60,
                p.done(), p.total(), outcomes.isEmpty() ? "" : " (" + outcomes + ")", p.count(NodeState.RUNNING),
                p.count(NodeState.PENDING));
    }
}
