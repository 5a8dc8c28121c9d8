package io.lazarus.worker.install;

import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.Printable;
import io.lazarus.worker.limit.InFlightLimit;
import io.lazarus.worker.limit.StartGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

/**
 * Takes the cancel notices of {@code lazarus.control} ({@link CancelSubscription}). A notice is a stranger's until the
 * {@link MessageGuard} admitted it: a forged or unsigned one is counted, logged and changes nothing.
 */
@Component
class CancelNotices {

    private static final Logger log = LoggerFactory.getLogger(CancelNotices.class);

    private final MessageGuard guard;
    private final CancelledRuns cancelled;
    private final WorkerMetrics metrics;
    private final StartGate gate;

    CancelNotices(MessageGuard guard, CancelledRuns cancelled, WorkerMetrics metrics, InFlightLimit limit) {
        this.guard = guard;
        this.cancelled = cancelled;
        this.metrics = metrics;
        this.gate = limit.gate();
    }

    void onMessage(Message message) {
        CancelNotice notice;
        try {
            notice = guard.admitCancel(message);
        } catch (Refusal refusal) {
            metrics.cancelNotice(false);
            MessageProperties props = message.getMessageProperties();
            log.warn(
                    "ignoring a cancel notice {} for run {}: {}",
                    Printable.of(props.getMessageId(), 160),
                    Printable.of(props.getHeaders().get(Topology.HEADER_RUN_ID), 64),
                    Printable.of(refusal.getMessage(), 500));
            return;
        }
        metrics.cancelNotice(true);
        if (cancelled.cancel(notice.runId(), notice.runDeadline())) {
            gate.recheckCancelled();
            log.info(
                    "run {} was cancelled at {}: its nodes still queued are not run, they end CANCELLED",
                    notice.runId(),
                    notice.cancelledAt());
        }
    }
}
