package io.lazarus.worker.install;

import com.rabbitmq.client.Channel;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.files.ContentException;
import io.lazarus.common.files.ContentStore;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.Printable;
import io.lazarus.worker.install.EventPublisher.EventNotConfirmedException;
import io.lazarus.worker.limit.InFlightLimit;
import io.lazarus.worker.limit.StartGate;
import io.lazarus.worker.secrets.RunSecrets;
import io.lazarus.worker.secrets.SecretStore;
import io.lazarus.worker.ssh.SshInstaller;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.stereotype.Component;

/**
 * Takes install messages from the queue and gives each its own virtual thread. The ordering rule that makes loss
 * impossible: the finished event is confirmed by the broker before the install message is settled; a crash in
 * between redelivers the message. A final outcome is acknowledged; a resurrectable one is rejected without requeue,
 * so the broker dead-letters it to the resurrection candidates. Nothing of a message runs before {@link MessageGuard}
 * admitted it, and an attempt runs at most once on a worker ({@link ExecutedAttempts}). An admitted delivery waits,
 * unstarted and unacknowledged, at the in-flight limit's {@link StartGate} until fewer nodes run than the limit.
 */
@Component
class InstallConsumer implements ChannelAwareMessageListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstallConsumer.class);

    private final SshInstaller installer;
    private final EventPublisher events;
    private final WorkerMetrics metrics;
    private final ResurrectionPolicy resurrection;
    private final MessageGuard guard;
    private final ExecutedAttempts executed;
    private final SecretStore secrets;
    private final ContentStore files;
    private final StartGate gate;
    private final String workerId;
    private final ExecutionIds executionIds = new ExecutionIds();
    private final ExecutorService nodes = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("node-", 0).factory());

    InstallConsumer(
            SshInstaller installer,
            EventPublisher events,
            WorkerMetrics metrics,
            ResurrectionPolicy resurrection,
            MessageGuard guard,
            ExecutedAttempts executed,
            SecretStore secrets,
            ContentStore files,
            InFlightLimit limit,
            WorkerProperties properties) {
        this.gate = limit.gate();
        this.guard = guard;
        this.secrets = secrets;
        this.files = files;
        this.executed = executed;
        this.installer = installer;
        this.events = events;
        this.metrics = metrics;
        this.resurrection = resurrection;
        this.workerId = properties.id();
    }

    @Override
    public void onMessage(Message message, Channel channel) {
        metrics.started();
        nodes.execute(() -> {
            try {
                handle(message, channel);
            } catch (RuntimeException e) {
                log.error("unexpected failure handling {}; giving it back to the queue", describe(message), e);
                settle(channel, message, Settlement.REQUEUE);
            } finally {
                metrics.released();
            }
        });
    }

    private void handle(Message message, Channel channel) {
        boolean redelivered = Boolean.TRUE.equals(message.getMessageProperties().isRedelivered());
        String execution = executionIds.next();
        if (!guard.awaitCancelNotices()) {
            settle(channel, message, Settlement.REQUEUE);
            return;
        }
        InstallMessage install;
        try {
            install = guard.admit(message);
        } catch (Refusal refusal) {
            reject(message, channel, redelivered, execution, refusal.getMessage());
            return;
        }
        StartGate.Admission admission = gate.enter(install.deadline(), () -> guard.runCancelled(install));
        if (admission != StartGate.Admission.STARTED) {
            unstarted(admission, install, message, channel, redelivered, execution);
            return;
        }
        try {
            start(install, message, channel, redelivered, execution);
        } finally {
            gate.release();
        }
    }

    /** A delivery that waited for the limit and never started. */
    private void unstarted(
            StartGate.Admission admission,
            InstallMessage install,
            Message message,
            Channel channel,
            boolean redelivered,
            String execution) {
        switch (admission) {
            case CANCELLED -> cancel(install, message, channel, redelivered, execution);
            // as if it had come this late: a worker that takes a message after its deadline does not start it
            case EXPIRED ->
                reject(
                        message,
                        channel,
                        redelivered,
                        execution,
                        "deadline " + install.deadline() + " passed while the node waited for this worker's in-flight"
                                + " limit");
            default -> settle(channel, message, Settlement.REQUEUE);
        }
    }

    private void start(
            InstallMessage install, Message message, Channel channel, boolean redelivered, String execution) {
        if (guard.runCancelled(install)) {
            cancel(install, message, channel, redelivered, execution);
            return;
        }
        RunSecrets values;
        try {
            // before the attempt is claimed: a node of a run naming a secret this worker lacks never starts
            values = installer.secrets(secrets.resolve(install.secrets()));
        } catch (SecretStore.UnusableSecrets e) {
            reject(message, channel, redelivered, execution, e.getMessage());
            return;
        }
        try {
            // likewise a file this worker cannot give intact: nothing of it is sent (the transfer checks it again)
            for (FileUpload upload : install.uploads()) {
                files.verify(upload.sha256(), upload.size());
            }
        } catch (ContentException e) {
            reject(message, channel, redelivered, execution, "upload not sent: " + e.getMessage());
            return;
        }
        ExecutedAttempts.Seen seen = executed.claim(install.attemptId(), install.deadline());
        if (seen == ExecutedAttempts.Seen.NEW || seen == ExecutedAttempts.Seen.RUNNING && redelivered) {
            // a redelivery of a running attempt: the broker took it back from a channel that went down; run it again,
            // visibly, as a second execution
            execute(install, values, message, channel, redelivered, execution);
        } else if (seen == ExecutedAttempts.Seen.FINISHED && redelivered) {
            // its outcome was confirmed before the acknowledgement got lost: the registry has it, nothing runs again
            log.info(
                    "{} {}: attempt {} already finished here; acknowledging the redelivery",
                    install.runId(),
                    Printable.of(install.node().id(), 128),
                    Printable.of(install.attemptId(), 320));
            settle(channel, message, Settlement.ACK);
        } else {
            reject(
                    message,
                    channel,
                    false,
                    execution,
                    "replay: attempt " + install.attemptId() + " was already "
                            + (seen == ExecutedAttempts.Seen.RUNNING ? "running" : "executed") + " on this worker");
        }
    }

    private void execute(
            InstallMessage install,
            RunSecrets values,
            Message message,
            Channel channel,
            boolean redelivered,
            String execution) {
        try {
            events.publishConfirmed(AttemptEvent.started(install, workerId, redelivered, execution));
            OutputEvents output = new OutputEvents(events, install, workerId, redelivered, execution);
            AttemptResult result = resurrection.classify(installer.install(install, values, output));
            if (Thread.currentThread().isInterrupted()) {
                // The worker is stopping mid-node: the attempt proves nothing, so another worker runs it again.
                log.info("{} {}: worker stopping, giving the message back", install.runId(), node(install));
                executed.forget(install.attemptId());
                settle(channel, message, Settlement.REQUEUE);
                return;
            }
            events.publishConfirmed(
                    output.finished(AttemptEvent.finished(install, workerId, redelivered, result, execution)));
            executed.finished(install.attemptId());
            metrics.finished(result.outcome());
            // a thousand successes a minute are the registry's to tell; the log keeps what needs a look
            log.atLevel(result.outcome() == Outcome.SUCCEEDED ? Level.DEBUG : Level.INFO)
                    .log(
                            "{} {} on {}: {}{}{}",
                            install.runId(),
                            node(install),
                            Printable.of(install.node().address(), 400),
                            result.outcome(),
                            result.reason().isEmpty() ? "" : " (" + Printable.of(result.reason(), 500) + ")",
                            result.resurrectable() ? ", dead-lettered for resurrection" : "");
            settle(channel, message, result.resurrectable() ? Settlement.DEAD_LETTER : Settlement.ACK);
        } catch (EventNotConfirmedException e) {
            Duration pause = RefusedEvents.pauseBeforeGivingBack(message.getMessageProperties());
            log.warn(
                    "{} {}: {}; giving the message back to the queue in {} ms",
                    install.runId(),
                    node(install),
                    Printable.of(e.getMessage(), 500),
                    pause.toMillis());
            executed.forget(install.attemptId());
            RefusedEvents.pause(pause);
            settle(channel, message, Settlement.REQUEUE);
        }
    }

    /**
     * A node of a cancelled run that had not started: nothing of it runs. Its outcome is CANCELLED, confirmed before
     * the message is acknowledged, so the run's books count it as cancelled rather than lost.
     */
    private void cancel(
            InstallMessage install, Message message, Channel channel, boolean redelivered, String execution) {
        AttemptResult cancelled = AttemptResult.without(Outcome.CANCELLED, "run cancelled before this node started");
        try {
            events.publishConfirmed(AttemptEvent.finished(install, workerId, redelivered, cancelled, execution));
            metrics.finished(Outcome.CANCELLED);
            log.debug("{} {}: run cancelled, not run", install.runId(), node(install));
            settle(channel, message, Settlement.ACK);
        } catch (EventNotConfirmedException e) {
            log.warn(
                    "CANCELLED event for {} {} not confirmed ({}); giving the message back",
                    install.runId(),
                    node(install),
                    Printable.of(e.getMessage(), 500));
            settle(channel, message, Settlement.REQUEUE);
        }
    }

    /**
     * A message that is not run: say why on the registry, then dead-letter it without requeue. Its headers are a
     * stranger's: the registry records the refusal only if the coordinator dispatched that attempt.
     */
    private void reject(Message message, Channel channel, boolean redelivered, String execution, String reason) {
        MessageProperties props = message.getMessageProperties();
        String runId = header(props, Topology.HEADER_RUN_ID);
        String nodeId = header(props, Topology.HEADER_NODE_ID);
        String attemptId = props.getMessageId() != null
                        && !props.getMessageId().isBlank()
                        && props.getMessageId().length() <= 320
                ? props.getMessageId()
                : "unidentified-" + UUID.randomUUID();
        AttemptEvent rejected = new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.FINISHED,
                attemptId,
                Contracts.isValidRunId(runId) ? runId : "unknown",
                nodeId == null || nodeId.isBlank() || nodeId.length() > 128 ? "unknown" : nodeId,
                1,
                java.time.Instant.now(),
                workerId,
                redelivered,
                AttemptResult.without(Outcome.REJECTED, reason),
                null,
                execution);
        log.warn("rejecting {}: {}", describe(message), Printable.of(reason, 500));
        try {
            events.publishConfirmed(rejected);
            metrics.finished(Outcome.REJECTED);
            settle(channel, message, Settlement.DEAD_LETTER);
        } catch (EventNotConfirmedException e) {
            log.warn(
                    "REJECTED event for {} not confirmed ({}); giving the message back",
                    describe(message),
                    e.getMessage());
            settle(channel, message, Settlement.REQUEUE);
        }
    }

    private enum Settlement {
        ACK,
        DEAD_LETTER,
        REQUEUE
    }

    private static void settle(Channel channel, Message message, Settlement settlement) {
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
            switch (settlement) {
                case ACK -> channel.basicAck(tag, false);
                case DEAD_LETTER -> channel.basicReject(tag, false);
                case REQUEUE -> channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone: the broker already took the message back and will redeliver it.
            log.warn("could not {} {}: {}", settlement, describe(message), e.getMessage());
        }
    }

    private static String header(MessageProperties props, String name) {
        Object value = props.getHeaders().get(name);
        return value == null ? null : value.toString();
    }

    /** For the log: node ids come from an inventory, never trusted to be one line. */
    private static String node(InstallMessage install) {
        return Printable.of(install.node().id(), 128);
    }

    /** For the log: every value is a stranger's until the message is admitted, so control characters are escaped. */
    private static String describe(Message message) {
        MessageProperties props = message.getMessageProperties();
        return "message " + Printable.of(props.getMessageId(), 320) + " (run "
                + Printable.of(header(props, Topology.HEADER_RUN_ID), 64) + ", node "
                + Printable.of(header(props, Topology.HEADER_NODE_ID), 128) + ")";
    }

    /** The worker stops: deliveries still waiting for the limit go back to the queue unstarted. */
    void giveBackWaiting() {
        gate.stop();
    }

    @Override
    public void close() {
        gate.stop();
        nodes.shutdownNow();
    }
}
