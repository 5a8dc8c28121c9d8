package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.registry.Standing;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules a candidate passes before it comes back: never a node that has succeeded since, never a node of a
 * cancelled run, never an outcome that is not resurrectable, and never more than {@code limit} times: then it is
 * quarantined; a candidate whose body is not what this coordinator signed and recorded is quarantined as tampered. The
 * registry is the judge's memory, and counts the resurrections; a candidate of a run this registry does not know is
 * left alone.
 */
final class Gatekeeper {

    private Gatekeeper() {}

    /**
     * @param withinRun the run's own follower drains it: a node is not resurrected past the run's deadline. An operator
     *                  draining later gives the node a fresh deadline instead.
     */
    static Verdict judge(
            DeadLetteredMessage candidate,
            boolean readable,
            Optional<Standing> known,
            Optional<String> tampered,
            int limit,
            boolean withinRun,
            Instant now) {
        if (!candidate.identified() || !readable) {
            return Verdict.quarantine("unreadable: it names no run or node, or its body is not an install message");
        }
        if (known.isEmpty()) {
            return Verdict.leave("run " + candidate.runId() + " is not in this registry");
        }
        if (tampered.isPresent()) {
            return Verdict.quarantine(tampered.get());
        }
        Standing node = known.get();
        String reason = candidate.deadLetter().reason();
        if (node.runState() == RunState.CANCELLED) {
            return Verdict.drop(NodeState.CANCELLED, "its run was cancelled");
        }
        if (node.state() == NodeState.SUCCEEDED) {
            return Verdict.drop(null, "the node has succeeded since");
        }
        if (!candidate.attemptId().equals(node.currentAttemptId())) {
            if (AttemptIds.successor(candidate.attemptId(), candidate.runId(), candidate.nodeId(), candidate.attempt())
                    .equals(node.currentAttemptId())) {
                // recorded, then the drain stopped before the candidate was acknowledged: finish what it started
                return Verdict.resurrect("resurrection " + node.resurrections() + " of " + limit + " (taken up again)");
            }
            return Verdict.drop(null, "stale: the node has moved on to attempt " + node.attempt());
        }
        if (node.state() == NodeState.QUARANTINED) {
            return Verdict.drop(null, "already quarantined");
        }
        if (DeadLetter.DELIVERY_LIMIT.equals(reason)) {
            return Verdict.quarantine("poison: workers died on it until the delivery limit");
        }
        if (node.result() != null && !node.result().resurrectable()) {
            return Verdict.quarantine("not resurrectable: " + node.result().outcome()
                    + (node.result().reason().isEmpty()
                            ? ""
                            : " (" + node.result().reason() + ")"));
        }
        if (withinRun && now.isAfter(node.runDeadline())) {
            return DeadLetter.EXPIRED.equals(reason)
                    ? Verdict.drop(
                            NodeState.CANCELLED, "no worker took it before the run's deadline " + node.runDeadline())
                    : Verdict.drop(NodeState.FAILED, "the run's deadline " + node.runDeadline() + " passed");
        }
        int resurrections = node.resurrections();
        if (resurrections >= limit) {
            return Verdict.quarantine("resurrection limit reached: " + resurrections + " of " + limit);
        }
        return Verdict.resurrect("resurrection " + (resurrections + 1) + " of " + limit);
    }
}
