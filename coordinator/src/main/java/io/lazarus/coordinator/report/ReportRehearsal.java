package io.lazarus.coordinator.report;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The first report a process writes used to pay, after the last outcome, for loading its writers' classes and
 * compiling their code: about a tenth of a second at 5000 nodes. Rehearsed once per process instead, on another
 * thread while the run goes, with the first result that arrives: both writers, {@value #LINES} copies of its line,
 * enough calls for the JIT to compile what they run; what they write is dropped.
 */
public final class ReportRehearsal {

    static final int LINES = 500;
    private static final AtomicBoolean REHEARSED = new AtomicBoolean();

    private ReportRehearsal() {}

    /** Rehearses with this result, unless this process already has. */
    public static void once(AttemptResult result) {
        if (result != null && REHEARSED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("report-rehearsal").start(() -> {
                try {
                    rehearse(result);
                } catch (RuntimeException e) {
                    // a worker's result the writers choke on fails the real report too, where it is reported; here it
                    // only costs the warm-up, and a stranger's text is not printed for it
                }
            });
        }
    }

    static void rehearse(AttemptResult result) {
        NodeTarget node = new NodeTarget("rehearsal", "rehearsal.invalid", 22, "rehearsal", Map.of());
        NodeReport line = NodeReport.of(node, NodeState.SUCCEEDED, 1, "rehearsal", result, "");
        RunReport report = RunReport.of(
                "rehearsal",
                "rehearsal.sh",
                "",
                Map.of(),
                Instant.EPOCH,
                Instant.EPOCH,
                LINES,
                Collections.nCopies(LINES, line));
        try {
            JsonReportWriter.bytes(report);
            JUnitReportWriter.bytes(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
