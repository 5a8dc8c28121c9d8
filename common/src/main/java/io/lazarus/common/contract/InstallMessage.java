package io.lazarus.common.contract;

import java.time.Instant;

/**
 * One attempt to install on one node. It never carries key material: the worker authenticates with the
 * credential it holds.
 *
 * @param attemptId     unique per attempt; also the AMQP message id, and the registry's de-duplication key
 * @param attempt       1 for the first dispatch, +1 for each resurrection
 * @param deadline      optional: a worker that takes the message later does not start it
 * @param secrets       names of secrets the worker resolves from its own store and gives the script as environment
 *                      variables; never their values. Absent in messages from before secrets: none
 * @param vars          the run's variables ({@link RunVariables}), which the script sees as {@code LAZARUS_VAR_<KEY>}
 *                      with the node's facts and connection data ({@link ScriptVariables}); not secret. Absent in
 *                      messages from before variables: none
 * @param uploads       files the worker copies to the node before the script runs, by digest (never their bytes);
 *                      absent in messages from before uploads: none
 */
public record InstallMessage(
        int schemaVersion,
        String attemptId,
        String runId,
        int attempt,
        NodeTarget node,
        InstallScript script,
        Watchdog watchdog,
        Instant deadline,
        java.util.List<String> secrets,
        java.util.Map<String, String> vars,
        java.util.List<FileUpload> uploads)
        implements Versioned {

    public InstallMessage {
        Contracts.require(attemptId, "attemptId");
        Contracts.requireRunId(runId);
        if (node == null) {
            throw new InvalidField("node", "is required");
        }
        if (script == null) {
            throw new InvalidField("script", "is required");
        }
        if (attempt < 1) {
            throw new InvalidField("attempt", "must be 1 or more, was " + attempt);
        }
        watchdog = watchdog == null ? Watchdog.DEFAULTS : watchdog;
        secrets = SecretNames.validated(secrets);
        vars = RunVariables.validated(vars);
        uploads = FileUpload.validated(uploads);
    }

    /** The same attempt, copying these files to the node before its script runs. */
    public InstallMessage withUploads(java.util.List<FileUpload> files) {
        return new InstallMessage(
                schemaVersion, attemptId, runId, attempt, node, script, watchdog, deadline, secrets, vars, files);
    }

    public static InstallMessage firstAttempt(
            String runId, NodeTarget node, InstallScript script, Watchdog watchdog, Instant deadline) {
        return firstAttempt(runId, node, script, watchdog, deadline, java.util.List.of(), java.util.Map.of());
    }

    public static InstallMessage firstAttempt(
            String runId,
            NodeTarget node,
            InstallScript script,
            Watchdog watchdog,
            Instant deadline,
            java.util.List<String> secrets,
            java.util.Map<String, String> vars) {
        return new InstallMessage(
                Contracts.SCHEMA_VERSION,
                AttemptIds.next(runId, node.id(), 1),
                runId,
                1,
                node,
                script,
                watchdog,
                deadline,
                secrets,
                vars,
                java.util.List.of());
    }
}
