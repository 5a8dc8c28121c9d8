package io.lazarus.coordinator.resurrection;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.registry.Standing;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gatekeeper's rules, one by one. */
class GatekeeperTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final String ATTEMPT = "run-1/web-01/1/abcdef01";
    private static final AttemptResult REFUSED =
            AttemptResult.without(Outcome.CONNECT_FAILED, "connection refused").resurrectable(true);

    @Test
    void aResurrectableAttemptBelowTheLimitComesBack() {
        Verdict verdict = judge(candidate(DeadLetter.REJECTED, 2), standing(NodeState.DEAD_LETTERED, REFUSED, 2), true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.RESURRECT);
        assertThat(verdict.detail()).isEqualTo("resurrection 3 of 3");
    }

    @Test
    void atTheLimitItIsQuarantined() {
        Verdict verdict = judge(candidate(DeadLetter.REJECTED, 3), standing(NodeState.DEAD_LETTERED, REFUSED, 3), true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.QUARANTINE);
        assertThat(verdict.state()).isEqualTo(NodeState.QUARANTINED);
    }

    @Test
    void theCountIsTheRegistrysNotTheHeaderOfTheDeadLetter() {
        Verdict verdict = judge(candidate(DeadLetter.REJECTED, 0), standing(NodeState.DEAD_LETTERED, REFUSED, 3), true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.QUARANTINE);
        assertThat(verdict.detail()).isEqualTo("resurrection limit reached: 3 of 3");
    }

    @Test
    void aTamperedCandidateIsQuarantinedWithTheReasonWhateverElseHolds() {
        Verdict verdict = Gatekeeper.judge(
                candidate(DeadLetter.REJECTED, 0),
                true,
                Optional.of(standing(NodeState.SUCCEEDED, REFUSED, 0)),
                Optional.of("tampered: its body names target root@evil:22, the registry recorded deploy@web:22"),
                3,
                true,
                NOW);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.QUARANTINE);
        assertThat(verdict.detail()).startsWith("tampered: its body names target");
    }

    @Test
    void aNodeThatSucceededSinceNeverComesBack() {
        Verdict verdict = judge(candidate(DeadLetter.REJECTED, 0), standing(NodeState.SUCCEEDED, REFUSED), true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(verdict.state()).isNull();
    }

    @Test
    void aNodeOfACancelledRunNeverComesBack() {
        Standing cancelled = new Standing(
                RunState.CANCELLED, NOW.plusSeconds(60), "{}", NodeState.DEAD_LETTERED, ATTEMPT, 1, 0, REFUSED);

        Verdict verdict = judge(candidate(DeadLetter.REJECTED, 0), cancelled, true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.DROP);
        assertThat(verdict.state()).isEqualTo(NodeState.CANCELLED);
    }

    @Test
    void anOutcomeThatIsNotResurrectableIsParkedNotResurrected() {
        AttemptResult rejected = AttemptResult.without(Outcome.REJECTED, "script sha256 does not match");

        Verdict verdict = judge(candidate(DeadLetter.REJECTED, 0), standing(NodeState.FAILED, rejected), true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.QUARANTINE);
        assertThat(verdict.detail()).startsWith("not resurrectable: REJECTED");
    }

    @Test
    void aPoisonMessageGoesStraightToQuarantine() {
        Verdict verdict = judge(candidate(DeadLetter.DELIVERY_LIMIT, 0), standing(NodeState.DEAD_LETTERED, null), true);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.QUARANTINE);
        assertThat(verdict.detail()).startsWith("poison");
    }

    @Test
    void aStaleCandidateIsDroppedButTheSuccessorOfACrashedDrainIsFinished() {
        Standing movedOn = new Standing(
                RunState.RUNNING, NOW.plusSeconds(60), "{}", NodeState.PENDING, "run-1/web-01/2/other", 2, 1, REFUSED);
        assertThat(judge(candidate(DeadLetter.REJECTED, 0), movedOn, true).kind())
                .isEqualTo(Verdict.Kind.DROP);

        Standing recordedNotPublished = new Standing(
                RunState.RUNNING,
                NOW.plusSeconds(60),
                "{}",
                NodeState.PENDING,
                AttemptIds.successor(ATTEMPT, "run-1", "web-01", 1),
                2,
                1,
                null);
        assertThat(judge(candidate(DeadLetter.REJECTED, 0), recordedNotPublished, true)
                        .kind())
                .isEqualTo(Verdict.Kind.RESURRECT);
    }

    @Test
    void withinTheRunNothingComesBackPastItsDeadlineButAnOperatorMayBringItBack() {
        Standing late =
                new Standing(RunState.RUNNING, NOW.minusSeconds(1), "{}", NodeState.DEAD_LETTERED, ATTEMPT, 1, 0, null);

        assertThat(judge(candidate(DeadLetter.EXPIRED, 0), late, true).state()).isEqualTo(NodeState.CANCELLED);
        assertThat(judge(candidate(DeadLetter.REJECTED, 0), late, true).state()).isEqualTo(NodeState.FAILED);
        assertThat(judge(candidate(DeadLetter.EXPIRED, 0), late, false).kind()).isEqualTo(Verdict.Kind.RESURRECT);
    }

    @Test
    void aRunThisRegistryDoesNotKnowIsLeftAloneAndAnUnreadableMessageIsParked() {
        assertThat(Gatekeeper.judge(
                                candidate(DeadLetter.REJECTED, 0),
                                true,
                                Optional.empty(),
                                Optional.empty(),
                                3,
                                false,
                                NOW)
                        .kind())
                .isEqualTo(Verdict.Kind.LEAVE);
        DeadLetteredMessage anonymous = new DeadLetteredMessage(
                "x",
                DeadLetteredMessage.UNKNOWN,
                DeadLetteredMessage.UNKNOWN,
                1,
                new DeadLetter(DeadLetter.REJECTED, "lazarus.install", NOW, 0));
        assertThat(Gatekeeper.judge(anonymous, false, Optional.empty(), Optional.empty(), 3, false, NOW)
                        .kind())
                .isEqualTo(Verdict.Kind.QUARANTINE);
    }

    private static Verdict judge(DeadLetteredMessage candidate, Standing standing, boolean withinRun) {
        return Gatekeeper.judge(candidate, true, Optional.of(standing), Optional.empty(), 3, withinRun, NOW);
    }

    private static Standing standing(NodeState state, AttemptResult result, int resurrections) {
        return new Standing(
                RunState.RUNNING,
                NOW.plusSeconds(3600),
                "{\"deadline\":\"PT1H\"}",
                state,
                ATTEMPT,
                1,
                resurrections,
                result);
    }

    private static Standing standing(NodeState state, AttemptResult result) {
        return new Standing(
                RunState.RUNNING, NOW.plusSeconds(3600), "{\"deadline\":\"PT1H\"}", state, ATTEMPT, 1, 0, result);
    }

    private static DeadLetteredMessage candidate(String reason, int resurrections) {
        return new DeadLetteredMessage(
                ATTEMPT,
                "run-1",
                "web-01",
                1,
                new DeadLetter(reason, "lazarus.install", NOW.minusSeconds(10), resurrections));
    }
}
