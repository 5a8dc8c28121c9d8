package io.lazarus.common.topology;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A start that fails on a missing queue says so in one line, and what declares it, instead of a stack trace. */
class MissingTopologyFailureAnalyzer extends AbstractFailureAnalyzer<MissingTopologyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingTopologyException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Run `lazarus broker setup` as the broker's administrator (or set lazarus.topology.declare=true for a"
                        + " user allowed to declare the topology).",
                cause);
    }
}
