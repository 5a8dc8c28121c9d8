package io.lazarus.worker.install;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Outcome;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Component;

/**
 * Decides whether a finished attempt is worth another try later: a resurrectable one is dead-lettered to become a
 * resurrection candidate, any other is final. Passing troubles (the node unreachable, a stall, a dropped session) are
 * resurrectable by their outcome; a failed command only when its output matches a transient pattern (a dpkg lock
 * held by another apt-get, by default), because most failed commands fail again the same way.
 */
@Component
class ResurrectionPolicy {

    private final List<Pattern> transientPatterns;

    ResurrectionPolicy(WorkerProperties properties) {
        this.transientPatterns = compile(properties.transientPatterns());
    }

    AttemptResult classify(AttemptResult result) {
        return result.resurrectable(resurrectable(result));
    }

    private boolean resurrectable(AttemptResult result) {
        if (result.outcome().resurrectableByDefault()) {
            return true;
        }
        return result.outcome() == Outcome.COMMAND_FAILED
                && transientPatterns.stream()
                        .anyMatch(p -> p.matcher(result.stderrTail()).find()
                                || p.matcher(result.stdoutTail()).find());
    }

    private static List<Pattern> compile(List<String> patterns) {
        return java.util.stream.IntStream.range(0, patterns.size())
                .mapToObj(i -> {
                    try {
                        return Pattern.compile(patterns.get(i));
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException(
                                "lazarus.worker.transient-patterns[" + i + "] is not a regular" + " expression: "
                                        + e.getDescription() + " in '" + patterns.get(i) + "'");
                    }
                })
                .toList();
    }
}
