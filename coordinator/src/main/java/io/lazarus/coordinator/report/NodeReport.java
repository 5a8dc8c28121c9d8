package io.lazarus.coordinator.report;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import java.util.List;
import java.util.Map;

/**
 * One node's line in a run report: a stable JSON contract, extended only by adding fields.
 *
 * @param outcome  of the node's last finished attempt; null when none finished
 * @param attempts attempts that finished
 * @param exitSignal      the signal that ended the last command, when the node reported one
 * @param silenceMs       time since the node's last output when its attempt ended
 * @param connectAttempts connect attempts of the last attempt
 * @param commands        each command of the last attempt: exit, duration, runs, the stall timeout it was held to
 * @param steps           every connect and command run of the last attempt, retries included
 * @param watchdog        the limits in force for the last attempt
 * @param resurrections   how often the node came back from the dead-letter queue
 * @param deadLetter      the broker's reason when its last attempt was dead-lettered: rejected, delivery_limit, expired
 * @param verdict         what the resurrection gatekeeper decided last, for a node it did not bring back
 * @param executions      how often workers ran the node's messages (refusals not counted); more than its attempts when a message was
 *                        redelivered after a failure or replayed: each one is on the record
 * @param hostKey         how the worker verified the node's host key in the last attempt: KNOWN, NEW_RECORDED (trust on
 *                        first use) or NOT_VERIFIED (host-key-policy off); null when no key was accepted
 * @param outputBytesDropped bytes of the last attempt's output beyond the worker's output cap, not kept ({@code lazarus
 *                        logs} shows the rest, ending with a line saying so); 0 when the whole output was kept
 */
public record NodeReport(
        String node,
        String host,
        int port,
        String user,
        NodeState state,
        Outcome outcome,
        int attempts,
        Integer exitCode,
        long durationMs,
        String reason,
        String worker,
        String hostKeyFingerprint,
        String stdoutTail,
        String stderrTail,
        Map<String, String> facts,
        String exitSignal,
        Long silenceMs,
        int connectAttempts,
        List<CommandResult> commands,
        List<AttemptStep> steps,
        Watchdog watchdog,
        int resurrections,
        String deadLetter,
        String verdict,
        int executions,
        HostKeyCheck hostKey,
        long outputBytesDropped) {

    /**
     * A node's line from its last finished attempt's result, or, without one, from why none is known.
     *
     * @param reasonWithoutResult what to say when no attempt finished
     */
    public static NodeReport of(
            NodeTarget node,
            NodeState state,
            int attempts,
            String worker,
            AttemptResult result,
            String reasonWithoutResult) {
        if (result == null) {
            return new NodeReport(
                    node.id(),
                    node.host(),
                    node.port(),
                    node.user(),
                    state,
                    null,
                    attempts,
                    null,
                    0,
                    reasonWithoutResult,
                    worker,
                    null,
                    "",
                    "",
                    node.facts(),
                    null,
                    null,
                    0,
                    List.of(),
                    List.of(),
                    null,
                    0,
                    null,
                    null,
                    0,
                    null,
                    0);
        }
        return new NodeReport(
                node.id(),
                node.host(),
                node.port(),
                node.user(),
                state,
                result.outcome(),
                attempts,
                result.exitStatus(),
                result.durationMs(),
                result.reason(),
                worker,
                result.hostKeyFingerprint(),
                result.stdoutTail(),
                result.stderrTail(),
                node.facts(),
                result.exitSignal(),
                result.silenceMs(),
                result.connectAttempts(),
                result.commands(),
                result.steps(),
                result.watchdog(),
                0,
                null,
                null,
                0,
                result.hostKey(),
                result.outputBytesDropped());
    }

    public NodeReport resurrection(int resurrections, String deadLetter, String verdict) {
        return new NodeReport(
                node,
                host,
                port,
                user,
                state,
                outcome,
                attempts,
                exitCode,
                durationMs,
                reason,
                worker,
                hostKeyFingerprint,
                stdoutTail,
                stderrTail,
                facts,
                exitSignal,
                silenceMs,
                connectAttempts,
                commands,
                steps,
                watchdog,
                resurrections,
                deadLetter,
                verdict,
                executions,
                hostKey,
                outputBytesDropped);
    }

    public NodeReport executions(int executions) {
        return new NodeReport(
                node,
                host,
                port,
                user,
                state,
                outcome,
                attempts,
                exitCode,
                durationMs,
                reason,
                worker,
                hostKeyFingerprint,
                stdoutTail,
                stderrTail,
                facts,
                exitSignal,
                silenceMs,
                connectAttempts,
                commands,
                steps,
                watchdog,
                resurrections,
                deadLetter,
                verdict,
                executions,
                hostKey,
                outputBytesDropped);
    }

    /** Its messages were handled more often than it had attempts: redelivered after a failure, or replayed. */
    public boolean executedMoreThanOnce() {
        return executions > Math.max(1, attempts);
    }
}
