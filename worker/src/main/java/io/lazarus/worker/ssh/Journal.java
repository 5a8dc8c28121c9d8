package io.lazarus.worker.ssh;

import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.contract.Outcome;
import java.util.ArrayList;
import java.util.List;

/** What one delivery did so far: every connect, upload and command run as a step, each command's result, the host key seen and how it was verified. */
final class Journal {

    private final List<AttemptStep> steps = new ArrayList<>();
    private final List<CommandResult> commands = new ArrayList<>();
    private int connectAttempts;
    private String hostKeyFingerprint;
    private HostKeyCheck hostKeyCheck;

    void connected(long startedNanos) {
        steps.add(new AttemptStep(
                AttemptStep.CONNECT, null, ++connectAttempts, Outcome.SUCCEEDED, millisSince(startedNanos), ""));
    }

    void connectFailed(long startedNanos, ConnectFailure failure) {
        steps.add(new AttemptStep(
                AttemptStep.CONNECT,
                null,
                ++connectAttempts,
                failure.outcome,
                millisSince(startedNanos),
                failure.getMessage()));
    }

    /** A session saw the node's key: a reconnect that found it recorded by this attempt's first session stays NEW_RECORDED. */
    void hostKey(String fingerprint, HostKeyCheck check) {
        hostKeyFingerprint = fingerprint;
        hostKeyCheck = HostKeyCheck.weaker(hostKeyCheck, check);
    }

    HostKeyCheck hostKeyCheck() {
        return hostKeyCheck;
    }

    void ran(int command, int run, CommandRun result) {
        steps.add(new AttemptStep(
                AttemptStep.COMMAND, command, run, result.outcome(), result.durationMs(), result.detail()));
    }

    void uploaded(int upload, Outcome outcome, long durationMs, String detail) {
        steps.add(new AttemptStep(AttemptStep.UPLOAD, upload, 1, outcome, durationMs, detail));
    }

    void finished(CommandResult command) {
        commands.add(command);
    }

    List<AttemptStep> steps() {
        return steps;
    }

    List<CommandResult> commands() {
        return commands;
    }

    int connectAttempts() {
        return connectAttempts;
    }

    String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
