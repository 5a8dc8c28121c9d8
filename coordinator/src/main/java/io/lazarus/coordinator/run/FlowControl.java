package io.lazarus.coordinator.run;

import io.lazarus.common.contract.InvalidField;
import io.lazarus.common.contract.NodeState;

/**
 * How a run releases its nodes, like SSM's MaxConcurrency and MaxErrors.
 *
 * @param maxInFlight      at most this many released nodes without a final outcome; 0 for no limit
 * @param maxFailures      release stops once more nodes than this have failed; null for no budget
 * @param maxFailuresPercent the same, as a percentage of the run's nodes; null for none
 * @param canary           release this many first and wait for all of them to succeed before the rest; 0 for none
 */
public record FlowControl(int maxInFlight, Integer maxFailures, Integer maxFailuresPercent, int canary) {

    public static final FlowControl NONE = new FlowControl(0, null, null, 0);

    public FlowControl {
        if (maxInFlight < 0
                || canary < 0
                || (maxFailures != null && maxFailures < 0)
                || (maxFailuresPercent != null && (maxFailuresPercent < 0 || maxFailuresPercent > 100))) {
            throw new IllegalArgumentException("flow control limits must be 0 or more (a percentage at most 100)");
        }
    }

    public boolean limitsRelease() {
        return maxInFlight > 0 || maxFailures != null || maxFailuresPercent != null || canary > 0;
    }

    /**
     * Whether a released node in this state spends the failure budget, and counts as finished for the canary and the
     * window in flight: a dead-lettered node may still come back, so it stays in flight.
     */
    public static boolean spendsBudget(NodeState state) {
        return state == NodeState.FAILED || state == NodeState.CANCELLED;
    }

    /** The canary of a run of {@code total} nodes: none when it would be the whole run, as nothing is left to hold. */
    public int canary(int total) {
        return canary < total ? canary : 0;
    }

    /** Failures the run may have before release stops, for a run of {@code total} nodes. */
    public int failureBudget(int total) {
        int budget = Integer.MAX_VALUE;
        if (maxFailures != null) {
            budget = maxFailures;
        }
        if (maxFailuresPercent != null) {
            budget = Math.min(budget, total * maxFailuresPercent / 100);
        }
        return budget;
    }

    /**
     * Flow control from what a user typed. A bad value is an {@link InvalidField} naming the field at fault
     * ({@code maxInFlight}, {@code maxFailures}, {@code canary}).
     *
     * @param maxFailures a count ({@code 3}) or a percentage of the run ({@code 5%}); null for no budget
     */
    public static FlowControl of(Integer maxInFlight, String maxFailures, Integer canary) {
        if (maxInFlight != null && maxInFlight < 1) {
            throw new InvalidField("maxInFlight", "must be 1 or more, was " + maxInFlight);
        }
        if (canary != null && canary < 1) {
            throw new InvalidField("canary", "must be 1 or more, was " + canary);
        }
        Integer failures = null;
        Integer percent = null;
        if (maxFailures != null) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(\\d{1,9})(%?)").matcher(maxFailures.strip());
            if (!m.matches() || (!m.group(2).isEmpty() && Integer.parseInt(m.group(1)) > 100)) {
                throw new InvalidField(
                        "maxFailures", "must be a count (3) or a percentage up to 100 (5%), was '" + maxFailures + "'");
            }
            if (m.group(2).isEmpty()) {
                failures = Integer.parseInt(m.group(1));
            } else {
                percent = Integer.parseInt(m.group(1));
            }
        }
        return new FlowControl(maxInFlight == null ? 0 : maxInFlight, failures, percent, canary == null ? 0 : canary);
    }
}
