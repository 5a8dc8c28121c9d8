package io.lazarus.worker.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.common.trust.TrustedKeys;
import io.lazarus.testkit.TestClock;
import io.lazarus.worker.trust.TrustProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/** The worker's memory of cancelled runs, and the proof a cancel notice must bring, with the clock in the test's hands. */
class CancelledRunsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final TestClock clock = new TestClock(NOW);
    private final CancelledRuns runs = new CancelledRuns(clock);
    private final SigningKey coordinator = SigningKey.generate();
    private final MessageGuard guard = new MessageGuard(
            TrustedKeys.of(List.of(coordinator.publicKey())),
            new TrustProperties(null, Duration.ofHours(48)),
            64 * 1024,
            clock,
            runs);

    @Test
    void aCancelledRunIsRememberedUntilItsDeadlineAndThenForgotten() {
        assertThat(runs.cancel("run-1", NOW.plusSeconds(60))).isTrue();
        assertThat(runs.cancel("run-1", NOW.plusSeconds(60))).as("heard again").isFalse();

        assertThat(runs.cancelled("run-1")).isTrue();
        assertThat(runs.cancelled("run-2")).isFalse();
        clock.advance(Duration.ofSeconds(61));
        assertThat(runs.cancelled("run-1")).isFalse();
        runs.cancel("run-2", NOW.plusSeconds(600));
        assertThat(runs.size()).as("the expired run purged").isEqualTo(1);
    }

    @Test
    void aNoticeOfARunPastItsDeadlineChangesNothing() {
        assertThat(runs.cancel("run-1", NOW.minusSeconds(1))).isFalse();
        assertThat(runs.cancelled("run-1")).isFalse();
    }

    @Test
    void aFullMemoryDropsTheRunThatEndsFirst() {
        for (int i = 0; i < CancelledRuns.MAX_RUNS; i++) {
            runs.cancel("run-" + i, NOW.plusSeconds(1_000 + i));
        }

        runs.cancel("run-new", NOW.plusSeconds(5_000));

        assertThat(runs.size()).isEqualTo(CancelledRuns.MAX_RUNS);
        assertThat(runs.cancelled("run-0")).isFalse();
        assertThat(runs.cancelled("run-1")).isTrue();
        assertThat(runs.cancelled("run-new")).isTrue();
    }

    @Test
    void aWorkerIsCaughtUpOnceItListenedLongerThanTheNoticesAreRepeated() {
        assertThat(runs.caughtUp()).as("not listening yet").isFalse();
        clock.advance(Duration.ofSeconds(1));
        runs.listening();
        clock.advance(CancelNotice.REPEAT);
        assertThat(runs.caughtUp()).as("heard one repeat at most").isFalse();
        clock.advance(CancelledRuns.CATCH_UP.minus(CancelNotice.REPEAT));
        assertThat(runs.caughtUp()).isTrue();
    }

    @Test
    void aWorkerThatCannotListenStopsWaitingForNotices() {
        clock.advance(CancelledRuns.GIVE_UP.minusSeconds(1));
        assertThat(runs.caughtUp()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(runs.caughtUp()).isTrue();
    }

    @Test
    void aSignedNoticeIsAdmittedAndCancelsItsRun() throws Refusal {
        CancelNotice notice = CancelNotice.of("run-1", NOW, NOW.plusSeconds(600));

        assertThat(guard.admitCancel(signed(notice, coordinator, "run-1"))).isEqualTo(notice);
    }

    @Test
    void anUnsignedForeignOrRedirectedNoticeIsRefused() {
        CancelNotice notice = CancelNotice.of("run-1", NOW, NOW.plusSeconds(600));
        Message unsigned = signed(notice, null, "run-1");
        Message foreign = signed(notice, SigningKey.generate(), "run-1");
        Message redirected = signed(notice, coordinator, "run-1");
        redirected.getMessageProperties().setHeader(Topology.HEADER_RUN_ID, "run-2");

        assertThatThrownBy(() -> guard.admitCancel(unsigned)).hasMessageStartingWith("unsigned");
        assertThatThrownBy(() -> guard.admitCancel(foreign)).hasMessageStartingWith("signed by unknown key");
        assertThatThrownBy(() -> guard.admitCancel(redirected)).hasMessageStartingWith("bad signature");
    }

    @Test
    void anInstallSignatureDoesNotPassForACancelNotice() {
        CancelNotice notice = CancelNotice.of("run-1", NOW, NOW.plusSeconds(600));
        byte[] body = Contracts.toJson(notice);
        Message message = signed(notice, null, "run-1");
        message.getMessageProperties().setHeader(InstallSignature.HEADER_KEY_ID, coordinator.keyId());
        message.getMessageProperties()
                .setHeader(
                        InstallSignature.HEADER_SIGNATURE,
                        InstallSignature.sign(
                                coordinator, new InstallSignature.Signed(notice.noticeId(), "run-1", null, 0, body)));

        assertThatThrownBy(() -> guard.admitCancel(message)).hasMessageStartingWith("bad signature");
    }

    @Test
    void aNoticeWhoseRunEndsTooFarAheadIsRefused() {
        CancelNotice notice = CancelNotice.of("run-1", NOW, NOW.plus(Duration.ofHours(49)));

        assertThatThrownBy(() -> guard.admitCancel(signed(notice, coordinator, "run-1")))
                .hasMessageContaining("lazarus.trust.max-deadline-ahead");
    }

    private static Message signed(CancelNotice notice, SigningKey key, String runIdHeader) {
        byte[] body = Contracts.toJson(notice);
        MessageProperties props = new MessageProperties();
        props.setMessageId(notice.noticeId());
        props.setHeader(Topology.HEADER_RUN_ID, runIdHeader);
        if (key != null) {
            props.setHeader(InstallSignature.HEADER_KEY_ID, key.keyId());
            props.setHeader(
                    InstallSignature.HEADER_SIGNATURE,
                    InstallSignature.signCancel(key, notice.noticeId(), runIdHeader, body));
        }
        return new Message(body, props);
    }
}
