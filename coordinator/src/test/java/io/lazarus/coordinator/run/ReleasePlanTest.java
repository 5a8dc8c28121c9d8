package io.lazarus.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleasePlanTest {

    @Test
    void withoutLimitsEverythingIsReleasedAtOnce() {
        ReleasePlan plan = new ReleasePlan(100, FlowControl.NONE);

        assertThat(plan.releasable(0, 0, 0)).isEqualTo(100);
        assertThat(plan.releasable(100, 40, 60)).isZero();
        assertThat(plan.stopped()).isNull();
    }

    @Test
    void theWindowKeepsAtMostNInFlight() {
        ReleasePlan plan = new ReleasePlan(10, new FlowControl(3, null, null, 0));

        assertThat(plan.releasable(0, 0, 0)).isEqualTo(3);
        assertThat(plan.releasable(3, 0, 0)).isZero();
        assertThat(plan.releasable(3, 1, 1)).isEqualTo(2);
        assertThat(plan.releasable(9, 6, 1)).isEqualTo(1);
    }

    @Test
    void releaseStopsForGoodOnceMoreNodesFailedThanTheBudgetAllows() {
        ReleasePlan plan = new ReleasePlan(10, new FlowControl(2, 3, null, 0));

        assertThat(plan.releasable(4, 1, 3))
                .as("3 failures are within a budget of 3")
                .isEqualTo(2);
        assertThat(plan.releasable(6, 1, 4)).isZero();
        assertThat(plan.stopped()).isEqualTo("failure budget spent: 4 node(s) failed, 3 allowed");
        assertThat(plan.releasable(6, 5, 4)).as("stopped stays stopped").isZero();
    }

    @Test
    void aPercentageBudgetIsAShareOfTheRun() {
        ReleasePlan plan = new ReleasePlan(200, new FlowControl(0, null, 5, 0));

        assertThat(plan.releasable(0, 0, 0)).isEqualTo(200);
        assertThat(plan.releasable(200, 100, 10)).isZero();
        assertThat(plan.stopped()).isNull();
        assertThat(plan.releasable(200, 100, 11)).isZero();
        assertThat(plan.stopped()).contains("11 node(s) failed, 10 allowed");
    }

    @Test
    void theCanaryGoesFirstAndTheRestFollowOnlyIfEveryCanarySucceeds() {
        ReleasePlan good = new ReleasePlan(10, new FlowControl(0, null, null, 2));
        assertThat(good.releasable(0, 0, 0)).isEqualTo(2);
        assertThat(good.releasable(2, 1, 0)).as("waiting for the canary").isZero();
        assertThat(good.releasable(2, 2, 0)).isEqualTo(8);

        ReleasePlan bad = new ReleasePlan(10, new FlowControl(0, null, null, 2));
        assertThat(bad.releasable(0, 0, 0)).isEqualTo(2);
        assertThat(bad.releasable(2, 1, 1)).isZero();
        assertThat(bad.stopped()).isEqualTo("canary failed: 1 of 2 canary node(s) did not succeed");
    }
}
