package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.WorkerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the worker verified each node's host key is on the record, through the real worker, broker and SSH servers:
 * the JSON report, the JUnit XML and the summary say it, and {@code run --wait} ends with a warning when a key was
 * not checked against a known one. One worker at a time, each with its own policy, so no other takes the message.
 */
class HostKeyRecordTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("lab-01", NodeBehavior.succeed()).node("prod-01", NodeBehavior.succeed()));

    @Test
    void withThePolicyOffEveryRecordSaysNotVerifiedAndTheRunEndsWithAWarning() throws Exception {
        LazarusCli.Result result;
        try (WorkerProcess ignored = worker("off", system.file("kh-off"))) {
            result = run("off", "lab-01");
        }

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(jsonHostKey("off")).isEqualTo(HostKeyCheck.NOT_VERIFIED);
        assertThat(junitProperties("off"))
                .containsEntry("lazarus.hostKey", "NOT_VERIFIED")
                .hasEntrySatisfying(
                        "lazarus.hostKeyFingerprint", f -> assertThat(f).startsWith("SHA256:"));
        assertThat(result.stdout()).contains("host keys: 1 NOT VERIFIED");
        assertThat(result.stdoutLines().getLast())
                .as(result.toString())
                .startsWith("WARNING: host keys of 1 node(s) were NOT verified (host-key-policy=off)")
                .endsWith(": lab-01");
    }

    @Test
    void acceptNewRecordsTheFirstContactAsNewThenKnownAndStrictReadsWhatItRecorded() throws Exception {
        Path knownHosts = system.file("known_hosts");
        LazarusCli.Result first;
        LazarusCli.Result second;
        try (WorkerProcess ignored = worker("accept-new", knownHosts)) {
            first = run("first", "prod-01");
            second = run("second", "prod-01");
        }
        LazarusCli.Result strict;
        try (WorkerProcess ignored = worker("strict", knownHosts)) {
            strict = run("strict", "prod-01");
        }

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(jsonHostKey("first")).isEqualTo(HostKeyCheck.NEW_RECORDED);
        assertThat(junitProperties("first")).containsEntry("lazarus.hostKey", "NEW_RECORDED");
        assertThat(first.stdout()).contains("host keys: 1 new, recorded on first use");
        assertThat(first.stdoutLines().getLast())
                .as(first.toString())
                .startsWith("WARNING: host keys of 1 node(s) were trusted on first use")
                .endsWith(": prod-01");

        for (String name : List.of("second", "strict")) {
            LazarusCli.Result known = name.equals("second") ? second : strict;
            assertThat(known.exitCode()).as(known.toString()).isZero();
            assertThat(jsonHostKey(name)).as(name).isEqualTo(HostKeyCheck.KNOWN);
            assertThat(junitProperties(name)).as(name).containsEntry("lazarus.hostKey", "KNOWN");
            assertThat(known.stdout()).as(name).contains("host keys: 1 known").doesNotContain("WARNING");
        }
    }

    private static WorkerProcess worker(String policy, Path knownHosts) throws Exception {
        return system.startWorker(Map.of(
                "LAZARUS_SSH_HOST_KEY_POLICY",
                policy,
                "LAZARUS_SSH_CONNECT_ATTEMPTS",
                "1",
                "LAZARUS_SSH_KNOWN_HOSTS",
                knownHosts.toString()));
    }

    private static LazarusCli.Result run(String name, String nodeId) throws Exception {
        return system.lazarus(
                "run",
                "--inventory",
                system.inventory(name, nodeId),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json(name),
                "--junit",
                system.file(name + ".xml").toString());
    }

    private static HostKeyCheck jsonHostKey(String name) {
        return system.report(name).nodes().getFirst().hostKey();
    }

    private static Map<String, String> junitProperties(String name) throws Exception {
        return Reports.properties(Reports.junitCases(system.file(name + ".xml"))
                .values()
                .iterator()
                .next());
    }
}
