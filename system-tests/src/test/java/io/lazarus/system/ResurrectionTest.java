package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Dead-lettering and resurrection through the real broker, worker and command line: the worker dead-letters what is
 * worth another try, the gatekeeper brings it back or parks it, and nothing loops.
 */
class ResurrectionTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("flaky-01", NodeBehavior.flaky(1))
                    .node("flaky-02", NodeBehavior.flaky(1))
                    .node("flaky-03", NodeBehavior.flaky(1))
                    .node("refuses-01", NodeBehavior.refuseConnection())
                    .node("rejects-auth-01", NodeBehavior.rejectAuth())
                    .node("refuses-a", NodeBehavior.refuseConnection())
                    .node("refuses-b", NodeBehavior.refuseConnection()))
            .worker(Map.of(
                    "LAZARUS_SSH_CONNECT_ATTEMPTS", "1",
                    "LAZARUS_WATCHDOG_COMMAND_RETRY_DELAY", "100ms"));

    /** Each test starts with no candidate and nothing parked, whatever the one before it left. */
    @BeforeEach
    void emptyDeadLetterQueues() {
        system.broker().purge(Topology.RESURRECTION_QUEUE);
        system.broker().purge(Topology.QUARANTINE_QUEUE);
    }

    @Test
    void flakyNodesSucceedAfterOneResurrection() throws Exception {
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("flaky", system.nodes("flaky-")),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("flaky"),
                "--command-attempts",
                "1",
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "200ms");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("resurrected as attempt 2");
        for (NodeReport node : system.report("flaky").nodes()) {
            String id = node.node();
            assertThat(node.state()).as(id).isEqualTo(NodeState.SUCCEEDED);
            assertThat(node.resurrections()).as(id).isEqualTo(1);
            assertThat(node.attempts()).as(id + ": the dpkg lock, then success").isEqualTo(2);
            assertThat(node.deadLetter()).as(id).isNull();
            assertThat(system.fleet().node(id).executions()).as(id).hasSize(2);
        }
    }

    @Test
    void aNodeThatAlwaysRefusesIsQuarantinedAfterThreeResurrectionsAndCanBeReleased() throws Exception {
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("refuses", "refuses-01"),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("refuses"),
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "100ms");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        String runId = result.runId();
        RunReport report = system.report("refuses");
        NodeReport node = report.nodes().getFirst();
        assertThat(node)
                .extracting(NodeReport::state, NodeReport::outcome, NodeReport::resurrections)
                .containsExactly(NodeState.QUARANTINED, Outcome.CONNECT_FAILED, 3);
        assertThat(node.attempts())
                .as("the first attempt and three resurrections")
                .isEqualTo(4);
        assertThat(node.deadLetter()).isEqualTo("rejected");
        assertThat(node.verdict()).isEqualTo("resurrection limit reached: 3 of 3");
        assertThat(report.reconciliation().quarantined()).isEqualTo(1);

        LazarusCli.Result listed = system.lazarus("quarantine", "list", "--run", runId);
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdout())
                .contains(runId + " refuses-01 attempt 4, 3 resurrection(s), dead-lettered rejected")
                .contains("1 node(s) in quarantine");
        JsonNode listedJson = json(system.lazarus("quarantine", "list", "--run", runId, "-o", "json"));
        assertThat(listedJson.get("count").asInt()).isEqualTo(1);
        JsonNode parkedNode = listedJson.get("parked").get(0);
        assertThat(parkedNode.get("runId").asString()).isEqualTo(runId);
        assertThat(parkedNode.get("nodeId").asString()).isEqualTo("refuses-01");
        assertThat(parkedNode.get("attempt").asInt()).isEqualTo(4);
        assertThat(parkedNode.get("deadLetter").get("reason").asString()).isEqualTo("rejected");
        assertThat(parkedNode.get("deadLetter").get("resurrections").asInt()).isEqualTo(3);
        assertThat(parkedNode.get("reason").asString()).isNotBlank();
        JsonNode status = json(system.lazarus("status", runId, "-o", "json"));
        assertThat(status.get("runId").asString()).isEqualTo(runId);
        assertThat(status.get("total").asInt()).isEqualTo(1);
        assertThat(status.get("states").get("QUARANTINED").asInt()).isEqualTo(1);
        assertThat(status.get("reconciliation").get("quarantined").asInt()).isEqualTo(1);
        LazarusCli.Result reportJson = system.lazarus("report", runId, "-o", "json");
        assertThat(reportJson.exitCode())
                .as("a quarantined node is not a success")
                .isEqualTo(1);
        assertThat(Contracts.mapper()
                        .readValue(reportJson.stdout(), RunReport.class)
                        .nodes()
                        .getFirst()
                        .state())
                .isEqualTo(NodeState.QUARANTINED);

        LazarusCli.Result released = system.lazarus("quarantine", "release", "--run", runId);
        assertThat(released.exitCode()).as(released.toString()).isZero();
        assertThat(released.stdout()).contains("refuses-01 attempt 4: released as attempt 5");
        assertThat(messages(Topology.QUARANTINE_QUEUE)).isZero();

        // refused again: a fresh candidate, counted from zero, which an operator's drain at limit 0 parks again
        awaitCandidates(1);
        LazarusCli.Result dryRun = system.lazarus("resurrect", runId, "--dry-run");
        assertThat(dryRun.stdout())
                .contains("refuses-01 attempt 5 (rejected): would come back as attempt 6: resurrection 1 of 3")
                .contains("dry run: 1 candidate(s) judged: would resurrect 1; nothing was changed")
                .doesNotContain("1 resurrected");
        JsonNode judged = json(system.lazarus("resurrect", runId, "--dry-run", "-o", "json"));
        assertThat(judged.get("dryRun").asBoolean()).isTrue();
        assertThat(judged.get("counts").get("RESURRECT").asInt()).isEqualTo(1);
        assertThat(judged.get("judged").get(0).get("nodeId").asString()).isEqualTo("refuses-01");
        assertThat(judged.get("judged").get(0).get("verdict").asString()).isEqualTo("RESURRECT");
        assertThat(judged.get("judged").get(0).get("nextAttempt").asInt()).isEqualTo(6);
        assertThat(messages(Topology.RESURRECTION_QUEUE))
                .as("a dry run leaves it in place")
                .isEqualTo(1);
        LazarusCli.Result parked = system.lazarus("resurrect", "--run", runId, "--resurrection-limit", "0");
        assertThat(parked.stdout())
                .contains("refuses-01 attempt 5 (rejected): quarantined: resurrection limit reached: 0 of 0");
        assertThat(messages(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(messages(Topology.QUARANTINE_QUEUE)).isEqualTo(1);
        system.lazarus("quarantine", "release", "--run", runId, "--dry-run");
        assertThat(messages(Topology.QUARANTINE_QUEUE))
                .as("a dry run releases nothing")
                .isEqualTo(1);
    }

    @Test
    void anAuthenticationFailureIsNeverResurrected() throws Exception {
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("auth", "rejects-auth-01"),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("auth"),
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "100ms");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(system.report("auth").nodes().getFirst())
                .extracting(NodeReport::state, NodeReport::outcome, NodeReport::attempts, NodeReport::resurrections)
                .containsExactly(NodeState.FAILED, Outcome.AUTH_FAILED, 1, 0);
        assertThat(messages(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(system.lazarus("resurrect", "--run", result.runId()).stdout())
                .contains("0 candidate(s) judged");
    }

    @Test
    void anOperatorsDrainOfOneRunLeavesTheOthersCandidatesAndAWatchFollowsTheNewAttempts() throws Exception {
        LazarusCli.Result a = system.lazarus(
                "run",
                "--inventory",
                system.inventory("run-a", "refuses-a"),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("run-a-first"));
        LazarusCli.Result b = system.lazarus(
                "run", "--inventory", system.inventory("run-b", "refuses-b"), "--script", system.script(), "--wait");
        assertThat(system.report("run-a-first").nodes().getFirst().state())
                .as(a.toString())
                .isEqualTo(NodeState.DEAD_LETTERED);
        awaitCandidates(2);

        LazarusCli.Result drained = system.lazarus("resurrect", "--run", a.runId(), "--max", "5");
        assertThat(drained.exitCode()).as(drained.toString()).isZero();
        assertThat(drained.stdout())
                .contains(a.runId() + " refuses-a attempt 1 (rejected): resurrected as attempt 2: resurrection 1 of 3")
                .contains("1 candidate(s) judged: 1 resurrected; 1 of other runs (or not due yet) left in place")
                .contains("follow it with lazarus watch " + a.runId())
                .doesNotContain("refuses-b");

        // the reopened run is followed again: its new attempt is refused and dead-lettered like the first
        LazarusCli.Result watched = system.lazarus("watch", a.runId(), "--json", system.json("run-a"));
        assertThat(watched.exitCode()).as(watched.toString()).isEqualTo(1);
        assertThat(system.report("run-a").nodes().getFirst())
                .extracting(NodeReport::state, NodeReport::attempts, NodeReport::resurrections, NodeReport::deadLetter)
                .containsExactly(NodeState.DEAD_LETTERED, 2, 1, "rejected");

        LazarusCli.Result rest = system.lazarus("resurrect", "--dry-run");
        assertThat(rest.stdout())
                .contains(b.runId() + " refuses-b attempt 1 (rejected): would come back as attempt 2")
                .contains(a.runId() + " refuses-a attempt 2 (rejected): would come back as attempt 3");
    }

    /** A command's standard output with -o json: one JSON document, and nothing else. */
    private static JsonNode json(LazarusCli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return Contracts.mapper().readTree(result.stdout());
    }

    private static void awaitCandidates(int count) {
        await("%d resurrection candidate(s)".formatted(count))
                .atMost(Duration.ofSeconds(20))
                .until(() -> messages(Topology.RESURRECTION_QUEUE) >= count);
        assertThat(messages(Topology.RESURRECTION_QUEUE)).isEqualTo(count);
    }

    private static long messages(String queue) {
        return system.broker().messageCount(queue);
    }
}
