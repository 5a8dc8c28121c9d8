package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.Errors;
import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.RunState;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Dispatches a run and, when asked, follows it to its end. */
@Service
public class RunService {

    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final RunDispatcher dispatcher;
    private final MeterRegistry metrics;
    private final RegistryStore registry;

    RunService(ConnectionFactory connectionFactory, AmqpAdmin admin, RunDispatcher dispatcher, MeterRegistry metrics,
            RegistryStore registry) {
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.registry = registry;
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
    public RunReport run(String runId, List<InventoryNode> nodes, String inventoryText, InstallScript script,
            RunOptions options, PrintStream progress) throws InterruptedException {
        Instant started = now();
        Instant deadline = started.plus(options.deadline());
        List<InstallMessage> messages = nodes.stream()
                .map(n -> InstallMessage.firstAttempt(runId, n.target(), script, options.watchdog(), deadline))
                .toList();
        registry.createRun(new RunRecord(runId, started, deadline, RunState.RUNNING, script.name(), script.sha256(),
                script.commands(), inventoryText, Contracts.mapper().writeValueAsString(options), nodes.size(), null),
                nodes.stream().map(InventoryNode::target).toList());
        if (!options.waitForOutcome()) {
            dispatch(runId, messages, options, progress);
            return null;
        }
        RunTracker tracker = new RunTracker(runId, nodes);
        try (RunWatcher watcher = RunWatcher.bind(connectionFactory, admin, runId)) {
            watcher.start();
            dispatch(runId, messages, options, progress);
            Instant waitUntil = deadline.plus(options.maxNodeTime()).plus(Duration.ofMinutes(1));
            follow(tracker, watcher, waitUntil, started, progress, options.progressInterval());
            RunReport report = tracker.report(script.name(), script.sha256(), started, now());
            registry.finishRun(runId, RunState.FINISHED, report.finishedAt());
            watcher.finish();
            return report;
        }
    }

    /** Publishes the run's messages; each one the broker confirms enters the run's manifest. */
    private void dispatch(String runId, List<InstallMessage> messages, RunOptions options, PrintStream progress) {
        ProgressLine publishing = new ProgressLine(progress, options.progressInterval());
        AtomicInteger confirmed = new AtomicInteger();
        dispatcher.dispatch(messages, window -> {
            registry.recordDispatched(runId, window, Instant.now());
            int done = confirmed.addAndGet(window.size());
            publishing.maybe(() -> "published %d/%d (confirmed by the broker)".formatted(done, messages.size()),
                    done == messages.size());
        });
        metrics.counter("lazarus.coordinator.messages.published").increment(messages.size());
    }

    private void follow(RunTracker tracker, RunWatcher watcher, Instant waitUntil, Instant started, PrintStream out,
            Duration interval) throws InterruptedException {
        ProgressLine line = new ProgressLine(out, interval);
        while (!tracker.complete() && Instant.now().isBefore(waitUntil)) {
            AttemptEvent event = watcher.poll(Duration.ofMillis(200));
            while (event != null) {
                registry.record(event);
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

    /** To the millisecond, as the registry keeps it: a report read back equals the one written. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
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
