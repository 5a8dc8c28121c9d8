package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.Execution;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 500 nodes with every fault of the simulator in one run, through the real worker and CLI: every node gets the outcome
 * its fault must produce, the remote commands the watchdog gave up on are dead, and the run ends.
 */
class MixedFaultFleetTest {

    /** Node id prefix, how many, how they behave, and the outcome the watchdog must give them. */
    private record Profile(String prefix, int count, NodeBehavior behavior, Outcome expected) {}

    private static final List<Profile> PROFILES = List.of(
            new Profile("ok", 330, NodeBehavior.succeedSlowly(3, Duration.ofMillis(100)), Outcome.SUCCEEDED),
            new Profile("slow", 20, NodeBehavior.succeedSlowly(6, Duration.ofMillis(500)), Outcome.SUCCEEDED),
            new Profile("flaky", 20, NodeBehavior.flaky(1), Outcome.SUCCEEDED),
            new Profile("apt", 20, NodeBehavior.aptFailure(), Outcome.COMMAND_FAILED),
            new Profile("refuses", 15, NodeBehavior.refuseConnection(), Outcome.CONNECT_FAILED),
            new Profile("no-banner", 15, NodeBehavior.noBanner(), Outcome.CONNECT_FAILED),
            new Profile("hangs-auth", 10, NodeBehavior.hangAuth(), Outcome.CONNECT_FAILED),
            new Profile("rejects-auth", 15, NodeBehavior.rejectAuth(), Outcome.AUTH_FAILED),
            new Profile("rekeyed", 15, NodeBehavior.changedHostKey(), Outcome.HOST_KEY_REJECTED),
            new Profile("stalls", 15, NodeBehavior.stallAfter(2), Outcome.STALLED),
            new Profile("drops", 15, NodeBehavior.dropAfter(2), Outcome.DISCONNECTED),
            new Profile("too-long", 10, NodeBehavior.succeedSlowly(60, Duration.ofMillis(250)), Outcome.TIMED_OUT));

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> PROFILES.forEach(profile -> {
                for (int i = 1; i <= profile.count(); i++) {
                    fleet.node("%s-%03d".formatted(profile.prefix(), i), profile.behavior());
                }
            }))
            // one resurrection each for the passing troubles, so the run shows the whole path to quarantine in time
            .cliEnvironment(Map.of("LAZARUS_RESURRECTION_LIMIT", "1"));

    @BeforeAll
    static void worker() throws Exception {
        // the operator's known_hosts: every node's advertised key, so a node presenting another one is caught
        Path knownHosts = system.fleet().writeKnownHosts(system.file("known_hosts"));
        system.startWorker(Map.of(
                "LAZARUS_SSH_KNOWN_HOSTS", knownHosts.toString(),
                "LAZARUS_WORKER_PREFETCH", "500",
                "LAZARUS_SSH_HOST_KEY_POLICY", "strict",
                "LAZARUS_SSH_CONNECT_ATTEMPTS", "2",
                "LAZARUS_SSH_CONNECT_BACKOFF", "100ms",
                "LAZARUS_SSH_CONNECT_BACKOFF_MAX", "200ms",
                "LAZARUS_WATCHDOG_COMMAND_RETRY_DELAY", "200ms"));
    }

    @Test
    void everyNodeGetsTheOutcomeItsFaultMustProduceAndTheRunEnds() throws Exception {
        SimulatedFleet fleet = system.fleet();
        assertThat(fleet.nodes()).hasSize(500);
        long started = System.nanoTime();

        // per-run overrides of the watchdog, as an operator would give them; generous enough for 500 handshakes at
        // once on two cores shared with the fleet
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("mixed", fleet.nodes()),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("mixed"),
                "--connect-timeout",
                "8s",
                "--auth-timeout",
                "8s",
                "--stall-timeout",
                "3s",
                "--stall-retries",
                "1",
                "--command-timeout",
                "10s",
                "--command-attempts",
                "2",
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "200ms");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        RunReport report = system.report("mixed");
        Map<String, NodeReport> nodes = Reports.byNode(report);
        assertThat(nodes).hasSize(500);
        Map<String, String> wrong = new LinkedHashMap<>();
        for (Profile profile : PROFILES) {
            system.nodes(profile.prefix() + "-").forEach(node -> {
                NodeReport line = nodes.get(node.id());
                if (line.outcome() != profile.expected()) {
                    wrong.put(node.id(), line.outcome() + ": " + line.reason());
                }
            });
        }
        assertThat(wrong)
                .as("nodes whose outcome is not what their fault must produce")
                .isEmpty();
        // every node ends SUCCEEDED, FAILED with a final reason, or QUARANTINED: none lost, none looping
        List<String> resurrectedToSuccess = new ArrayList<>();
        for (Profile profile : PROFILES) {
            boolean passing = profile.expected().resurrectableByDefault();
            boolean succeeding = profile.expected() == Outcome.SUCCEEDED;
            NodeState state = passing ? NodeState.QUARANTINED : succeeding ? NodeState.SUCCEEDED : NodeState.FAILED;
            system.nodes(profile.prefix() + "-").forEach(node -> {
                NodeReport line = nodes.get(node.id());
                // a succeeding node whose first attempt met a passing trouble of the loaded machine (a handshake past
                // its timeout, a stall) was brought back once and passed: the resurrection doing its job
                boolean broughtBack = succeeding && line.resurrections() == 1;
                if (broughtBack) {
                    resurrectedToSuccess.add(node.id());
                }
                int resurrections = passing || broughtBack ? 1 : 0;
                assertThat(line)
                        .as(node.id())
                        .extracting(NodeReport::state, NodeReport::resurrections, NodeReport::attempts)
                        .containsExactly(state, resurrections, resurrections + 1);
            });
        }
        int succeeding = PROFILES.stream()
                .filter(p -> p.expected() == Outcome.SUCCEEDED)
                .mapToInt(Profile::count)
                .sum();
        assertThat(resurrectedToSuccess)
                .as("succeeding nodes that needed a resurrection: a few under load, not a pattern")
                .hasSizeLessThan(succeeding / 10);
        assertThat(report.reconciliation().balanced()).isTrue();
        RabbitBroker broker = system.broker();
        assertThat(broker.messageCount(Topology.QUARANTINE_QUEUE))
                .isEqualTo(PROFILES.stream()
                        .filter(p -> p.expected().resurrectableByDefault())
                        .mapToInt(Profile::count)
                        .sum());
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).isZero();
        Map<String, Integer> expectedSummary = PROFILES.stream()
                .collect(Collectors.groupingBy(
                        p -> p.expected().name(), LinkedHashMap::new, Collectors.summingInt(Profile::count)));
        assertThat(report.summary()).containsExactlyInAnyOrderEntriesOf(expectedSummary);

        List<String> flakyFailureUnseen = new ArrayList<>();
        for (SimulatedNode node : fleet.nodes()) {
            NodeReport line = nodes.get(node.id());
            if (node.id().startsWith("flaky-")) {
                // the dpkg lock failed one run and the next one passed; under load a run may also stall once and be
                // run again, which is the stall retry doing its job, not the flaky fault; the failing run itself may
                // be the one that stalled (its exit unseen within the stall timeout: [STALLED, SUCCEEDED] in CI)
                List<Outcome> runs = line.steps().stream()
                        .filter(step -> step.phase().equals(AttemptStep.COMMAND))
                        .map(AttemptStep::outcome)
                        .toList();
                assertThat(runs)
                        .as(node.id())
                        .hasSizeGreaterThan(1)
                        .endsWith(Outcome.SUCCEEDED)
                        .isSubsetOf(Outcome.COMMAND_FAILED, Outcome.STALLED, Outcome.SUCCEEDED);
                assertThat(runs.stream().filter(Outcome.COMMAND_FAILED::equals))
                        .as(node.id() + ": the lock fails one run")
                        .hasSizeLessThanOrEqualTo(1);
                if (!runs.contains(Outcome.COMMAND_FAILED)) {
                    flakyFailureUnseen.add(node.id());
                }
                assertThat(line.commands().getFirst().attempts()).as(node.id()).isEqualTo(runs.size());
            }
            if (node.id().startsWith("stalls-")) {
                assertThat(line.steps()).as("connect, stall, reconnect, stall").hasSize(4);
                assertThat(node.awaitIdle(Duration.ofSeconds(5)))
                        .as(node.id() + " still runs its command")
                        .isTrue();
                assertThat(node.executions()).extracting(Execution::ending).containsOnly(Execution.Ending.TORN_DOWN);
            }
            if (node.id().startsWith("rekeyed-") || node.id().startsWith("rejects-auth-")) {
                assertThat(node.executions()).as(node.id()).isEmpty();
            }
            assertThat(line.watchdog().stall()).isEqualTo(Duration.ofSeconds(3));
        }
        // a tenth was too tight for CI's busiest hours (3 of 20 once, on 2026-12-04); a quarter still fails when the
        // flaky fault stops showing as COMMAND_FAILED, which would leave all 20 unseen
        assertThat(flakyFailureUnseen)
                .as("flaky nodes whose failing run stalled instead: a few under load, not a pattern")
                .hasSizeLessThanOrEqualTo(system.nodes("flaky-").size() / 4);
        // the slowest faults: a banner or a login that never comes (2 x 8 s), twice, plus JVM start-ups
        assertThat(took).isLessThan(Duration.ofSeconds(150));
        assertThat(result.stdout()).contains("500/500 done");
    }
}
