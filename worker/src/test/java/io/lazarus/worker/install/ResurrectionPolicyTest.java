package io.lazarus.worker.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which finished attempts the worker dead-letters for resurrection, and which it acknowledges as final. */
class ResurrectionPolicyTest {

    private final ResurrectionPolicy defaults =
            policy(List.of(WorkerProperties.DPKG_LOCK, WorkerProperties.APT_LISTS_LOCK));

    @Test
    void passingTroublesAreResurrectableByTheirOutcome() {
        for (Outcome outcome :
                List.of(Outcome.CONNECT_FAILED, Outcome.STALLED, Outcome.TIMED_OUT, Outcome.DISCONNECTED)) {
            assertThat(defaults.classify(AttemptResult.without(outcome, "")).resurrectable())
                    .as(outcome.name())
                    .isTrue();
        }
    }

    @Test
    void successAndFailuresThatWouldRepeatAreFinal() {
        for (Outcome outcome : List.of(
                Outcome.SUCCEEDED,
                Outcome.AUTH_FAILED,
                Outcome.HOST_KEY_REJECTED,
                Outcome.REJECTED,
                Outcome.CANCELLED,
                Outcome.COMMAND_FAILED)) {
            assertThat(defaults.classify(AttemptResult.without(outcome, "")).resurrectable())
                    .as(outcome.name())
                    .isFalse();
        }
    }

    @Test
    void aFailedCommandIsResurrectableWhenItsOutputShowsTheDpkgLockHeld() {
        assertThat(defaults.classify(failed(
                                "", "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242"))
                        .resurrectable())
                .isTrue();
        // on a PTY stderr arrives merged into stdout
        assertThat(defaults.classify(
                                failed("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend)", ""))
                        .resurrectable())
                .isTrue();
        assertThat(defaults.classify(failed("", "E: Unable to locate package tomcat10"))
                        .resurrectable())
                .isFalse();
    }

    @Test
    void operatorsAddTheirOwnTransientPatterns() {
        ResurrectionPolicy custom = policy(List.of("(?i)temporary failure resolving"));

        assertThat(custom.classify(failed("", "Temporary failure resolving 'deb.debian.org'"))
                        .resurrectable())
                .isTrue();
        assertThat(custom.classify(failed("", "E: Could not get lock /var/lib/dpkg/lock"))
                        .resurrectable())
                .isFalse();
    }

    @Test
    void aBadPatternIsNamedWithItsIndex() {
        assertThatThrownBy(() -> policy(List.of("ok", "(unclosed")))
                .hasMessageContaining("lazarus.worker.transient-patterns[1] is not a regular expression");
    }

    private static AttemptResult failed(String stdout, String stderr) {
        return new AttemptResult(
                Outcome.COMMAND_FAILED,
                100,
                null,
                "command 1/1 exited 100",
                10,
                List.of(),
                List.of(),
                stdout,
                stderr,
                0,
                null,
                1,
                null,
                null,
                Watchdog.DEFAULTS,
                false);
    }

    private static ResurrectionPolicy policy(List<String> patterns) {
        return new ResurrectionPolicy(new WorkerProperties(
                10, "worker-test", Duration.ofSeconds(30), patterns, null, 1_048_576, Duration.ZERO));
    }
}
