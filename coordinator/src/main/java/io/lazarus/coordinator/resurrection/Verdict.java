package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.NodeState;

/**
 * What the gatekeeper does with one candidate.
 *
 * @param state  the node's state once the verdict is carried out; null to leave it as it is
 * @param detail why, in words, for the operator
 */
public record Verdict(Kind kind, NodeState state, String detail) {

    public enum Kind {
        /** Published again as a new attempt. */
        RESURRECT,
        /** Moved to {@code lazarus.quarantine}, for an operator to look at and release. */
        QUARANTINE,
        /** Acknowledged and gone: there is nothing left to do for it. */
        DROP,
        /** Not this drain's to judge: it stays in the queue. */
        LEAVE;

        public String word() {
            return switch (this) {
                case RESURRECT -> "resurrected";
                case QUARANTINE -> "quarantined";
                case DROP -> "dropped";
                case LEAVE -> "left";
            };
        }
    }

    static Verdict resurrect(String detail) {
        return new Verdict(Kind.RESURRECT, NodeState.PENDING, detail);
    }

    static Verdict quarantine(String detail) {
        return new Verdict(Kind.QUARANTINE, NodeState.QUARANTINED, detail);
    }

    static Verdict drop(NodeState state, String detail) {
        return new Verdict(Kind.DROP, state, detail);
    }

    static Verdict leave(String detail) {
        return new Verdict(Kind.LEAVE, null, detail);
    }
}
