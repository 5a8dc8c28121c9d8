package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the worker verified each node's host key is on the record, through the real worker, broker and SSH servers:
 * the JSON report, the JUnit XML and the summary say it, and {@code run --wait} ends with a warning when a key was
 * not checked against a known one. One worker at a time, each with its own policy, so no other takes the message.
 */
class HostKeyRecordTest {

    @TempDir
    static Path dir;
    static RabbitBroker broker;
    static SimulatedFleet fleet;
    static ClientKey key;
    static LazarusCli lazarus;
    static Path script;

    @BeforeAll
    static void system() throws Exception {
        broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("lab-01", NodeBehavior.succeed())
                .node("prod-01", NodeBehavior.succeed())
                .start();
        lazarus = new LazarusCli(broker);
        script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void withThePolicyOffEveryRecordSaysNotVerifiedAndTheRunEndsWithAWarning() throws Exception {
        LazarusCli.Result result;
        try (WorkerProcess ignored = worker("off", dir.resolve("kh-off"))) {
            result = run("off", "lab-01");
        }

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(jsonHostKey("off")).isEqualTo("NOT_VERIFIED");
        assertThat(junitProperties("off")).containsEntry("lazarus.hostKey", "NOT_VERIFIED")
                .hasEntrySatisfying("lazarus.hostKeyFingerprint", f -> assertThat(f).startsWith("SHA256:"));
        assertThat(result.stdout()).contains("host keys: 1 NOT VERIFIED");
        assertThat(result.stdoutLines().getLast()).as(result.toString())
                .startsWith("WARNING: host keys of 1 node(s) were NOT verified (host-key-policy=off)")
                .endsWith(": lab-01");
    }

    @Test
    void acceptNewRecordsTheFirstContactAsNewThenKnownAndStrictReadsWhatItRecorded() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
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
        assertThat(jsonHostKey("first")).isEqualTo("NEW_RECORDED");
        assertThat(junitProperties("first")).containsEntry("lazarus.hostKey", "NEW_RECORDED");
        assertThat(first.stdout()).contains("host keys: 1 new, recorded on first use");
        assertThat(first.stdoutLines().getLast()).as(first.toString())
                .startsWith("WARNING: host keys of 1 node(s) were trusted on first use").endsWith(": prod-01");

        for (String name : List.of("second", "strict")) {
            LazarusCli.Result known = name.equals("second") ? second : strict;
            assertThat(known.exitCode()).as(known.toString()).isZero();
            assertThat(jsonHostKey(name)).as(name).isEqualTo("KNOWN");
            assertThat(junitProperties(name)).as(name).containsEntry("lazarus.hostKey", "KNOWN");
            assertThat(known.stdout()).as(name).contains("host keys: 1 known").doesNotContain("WARNING");
        }
    }

    private static WorkerProcess worker(String policy, Path knownHosts) throws Exception {
        return WorkerProcess.start(broker.uri(), key.privateKey(), knownHosts, Map.of(
                "LAZARUS_SSH_HOST_KEY_POLICY", policy,
                "LAZARUS_SSH_CONNECT_ATTEMPTS", "1"), List.of(), Processes.logs("system-tests"));
    }

    private static LazarusCli.Result run(String name, String nodeId) throws Exception {
        Path inventory = Files.writeString(dir.resolve(name + ".hosts"), fleet.node(nodeId).inventoryLine("deploy") + "\n");
        return lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString(), "--wait",
                "--json", dir.resolve(name + ".json").toString(), "--junit", dir.resolve(name + ".xml").toString());
    }

    private static String jsonHostKey(String name) throws Exception {
        JsonNode node = Contracts.mapper().readTree(dir.resolve(name + ".json").toFile()).get("nodes").get(0);
        return node.get("hostKey").asString();
    }

    private static Map<String, String> junitProperties(String name) throws Exception {
        Element testCase = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve(name + ".xml").toFile()).getElementsByTagName("testcase").item(0);
        NodeList properties = testCase.getElementsByTagName("property");
        Map<String, String> byName = new HashMap<>();
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            byName.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        return byName;
    }
}
