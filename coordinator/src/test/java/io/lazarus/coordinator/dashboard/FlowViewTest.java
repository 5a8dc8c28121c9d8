package io.lazarus.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.run.FlowControl;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FlowViewTest {

    @Test
    void aRunWithoutLimitsSaysSoAndHowFarItGot() {
        FlowView view =
                FlowView.of(FlowControl.NONE, List.of(released(NodeState.RUNNING), released(NodeState.FAILED)), null);

        assertThat(view.limited()).isFalse();
        assertThat(view.released()).isEqualTo("2 of 2");
        assertThat(view.canary()).isEqualTo("none");
        assertThat(view.stopped()).isNull();
    }

    @Test
    void aWindowCountsTheNodesInFlightAndHeldBackAgainstItsMax() {
        FlowView view = FlowView.of(
                new FlowControl(3, null, null, 0),
                List.of(
                        released(NodeState.SUCCEEDED),
                        released(NodeState.RUNNING),
                        released(NodeState.DEAD_LETTERED),
                        released(NodeState.PENDING),
                        held(NodeState.PENDING),
                        held(NodeState.PENDING)),
                null);

        assertThat(view.limited()).isTrue();
        assertThat(view.released()).isEqualTo("4 of 6, 2 held back");
        assertThat(view.inFlight())
                .as("a dead-lettered node may come back: it keeps its place")
                .isEqualTo("3 now, at most 3");
        assertThat(view.failures()).isEqualTo("0 so far, no budget");
    }

    @Test
    void aCanaryWaitsThenPassesOrFails() {
        FlowControl canaryOfTwo = new FlowControl(0, null, null, 2);

        assertThat(FlowView.of(
                                canaryOfTwo,
                                List.of(held(NodeState.PENDING), held(NodeState.PENDING), held(NodeState.PENDING)),
                                null)
                        .canary())
                .isEqualTo("2 nodes: not released");
        assertThat(FlowView.of(
                                canaryOfTwo,
                                List.of(
                                        released(NodeState.SUCCEEDED),
                                        released(NodeState.RUNNING),
                                        held(NodeState.PENDING)),
                                null)
                        .canary())
                .isEqualTo("2 nodes: waiting, 1 of 2 finished");
        assertThat(FlowView.of(
                                canaryOfTwo,
                                List.of(
                                        released(NodeState.SUCCEEDED),
                                        released(NodeState.SUCCEEDED),
                                        released(NodeState.RUNNING)),
                                null)
                        .canary())
                .isEqualTo("2 nodes: passed, 2 of 2 succeeded");

        FlowView failed = FlowView.of(
                canaryOfTwo,
                List.of(released(NodeState.SUCCEEDED), released(NodeState.FAILED), held(NodeState.CANCELLED)),
                "canary failed: 1 of 2 canary node(s) did not succeed");
        assertThat(failed.canary()).isEqualTo("2 nodes: failed, 1 of 2 did not succeed");
        assertThat(failed.canaryFailed()).isTrue();
        assertThat(failed.released()).isEqualTo("2 of 3, 1 never released (cancelled)");
        assertThat(failed.stopped()).isEqualTo("canary failed: 1 of 2 canary node(s) did not succeed");
    }

    @Test
    void aCanaryAsLargeAsTheRunIsNone() {
        assertThat(FlowView.of(
                                new FlowControl(0, null, null, 2),
                                List.of(held(NodeState.PENDING), held(NodeState.PENDING)),
                                null)
                        .canary())
                .isEqualTo("none: 2 asked for, the whole run");
    }

    @Test
    void failuresAreCountedAgainstTheBudgetAsAPercentageOfTheRun() {
        List<NodeRecord> nodes = Stream.concat(
                        Stream.of(released(NodeState.FAILED), released(NodeState.CANCELLED)),
                        IntStream.range(0, 38).mapToObj(i -> held(NodeState.PENDING)))
                .toList();

        assertThat(FlowView.of(new FlowControl(0, 5, 5, 0), nodes, null).failures())
                .isEqualTo("2 so far, at most 2 allowed (5% of 40)");
    }

    private static NodeRecord released(NodeState state) {
        return node(state, "attempt");
    }

    private static NodeRecord held(NodeState state) {
        return node(state, null);
    }

    private static NodeRecord node(NodeState state, String attemptId) {
        return new NodeRecord("run", "n", "10.0.0.1", 22, "deploy", Map.of(), state, attemptId, null, 0, 1, 0, null);
    }
}
