package io.lazarus.coordinator.run;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.coordinator.history.RunHistory;
import java.time.Duration;

/**
 * How a run is dispatched and followed, already validated.
 *
 * @param deadline     no worker starts a node of this run after {@code start + deadline}
 * @param maxNodeTime  how long a node started just before the deadline may still take: bounds the wait
 * @param flow         how nodes are released; needs {@code waitForOutcome}
 * @param ghostGrace   how long past its deadline a dispatched node without an outcome is waited for before it is GHOST
 * @param resurrectDelay with a value, the run resurrects its own candidates (needs {@code waitForOutcome}): a node
 *                     comes back this long after it was dead-lettered, twice as long after each resurrection; null
 *                     leaves the candidates to {@code lazarus resurrect}
 * @param secrets      names of the secrets the workers give the script (never values); absent in runs recorded
 *                     before secrets: none
 * @param vars         the run's variables, given to the script as {@code LAZARUS_VAR_<KEY>}; absent in runs recorded
 *                     before variables: none
 * @param uploads      files the workers copy to every node before the script runs, already in the file store; absent in
 *                     runs recorded before uploads: none
 * @param history      the order nodes are released in, and the stall timeouts learned from the registry; absent in
 *                     runs recorded before history was used: inventory order, nothing learned
 */
public record RunOptions(
        boolean waitForOutcome,
        Duration deadline,
        Duration maxNodeTime,
        Watchdog watchdog,
        FlowControl flow,
        Duration ghostGrace,
        Duration progressInterval,
        Duration resurrectDelay,
        java.util.List<String> secrets,
        java.util.Map<String, String> vars,
        java.util.List<FileUpload> uploads,
        RunHistory history) {

    public RunOptions {
        history = history == null ? RunHistory.NONE : history;
        secrets = io.lazarus.common.contract.SecretNames.validated(secrets);
        vars = io.lazarus.common.contract.RunVariables.validated(vars);
        uploads = FileUpload.validated(uploads);
    }

    /** These options, for a run followed ({@code waitForOutcome}) or not, with progress every {@code progressInterval}. */
    public RunOptions followed(boolean waitForOutcome, Duration progressInterval) {
        return new RunOptions(
                waitForOutcome,
                deadline,
                maxNodeTime,
                watchdog,
                flow,
                ghostGrace,
                progressInterval,
                resurrectDelay,
                secrets,
                vars,
                uploads,
                history);
    }

    /** These options with this history; the install messages' watchdog carries the stall timeouts it learned. */
    public RunOptions withHistory(RunHistory learned) {
        Watchdog limits = (watchdog == null ? Watchdog.DEFAULTS : watchdog).withLearnedStall(learned.timeouts());
        return new RunOptions(
                waitForOutcome,
                deadline,
                maxNodeTime,
                limits,
                flow,
                ghostGrace,
                progressInterval,
                resurrectDelay,
                secrets,
                vars,
                uploads,
                learned);
    }

    public boolean resurrectsItself() {
        return resurrectDelay != null;
    }

    /** Workers cap a node's attempt at this unless configured otherwise: a wait must outlast it. */
    public static final Duration WORKER_MAX_NODE_DEADLINE = Duration.ofMinutes(25);
}
