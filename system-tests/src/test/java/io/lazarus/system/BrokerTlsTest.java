package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import io.lazarus.testkit.rabbit.RabbitNode;
import io.lazarus.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker and the lazarus command through {@code amqps://}, as the README sets them up: a RabbitMQ node of this
 * test's own with a TLS listener and a CA made for the test, trusted through a Spring Boot SSL bundle. The peer's
 * certificate and its host name are both verified: an untrusted CA or a certificate for another host is refused.
 */
class BrokerTlsTest {

    @TempDir
    static Path dir;
    static TestCa ca;
    static RabbitNode node;
    static SimulatedFleet fleet;
    static WorkerProcess worker;

    @BeforeAll
    static void system() throws Exception {
        ca = TestCa.create(dir, "lazarus-test-ca");
        TestCa.ServerCertificate localhost = ca.issue("localhost", List.of("DNS:localhost", "IP:127.0.0.1"));
        node = RabbitNode.builder()
                .tls(new RabbitNode.Tls(localhost.certificate(), localhost.key(), ca.certificate()))
                .keepLogsIn(Processes.logs("system-tests"))
                .start();
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine()).nodes(5, NodeBehavior.succeed()).start();
        worker = WorkerProcess.start(node.amqpsUri(), key.privateKey(), dir.resolve("known_hosts"),
                trusting(ca), List.of(), Processes.logs("system-tests"));
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
        if (node != null) {
            node.close();
        }
    }

    /** What the README tells a user to set: the CA the broker's certificate is checked against, as an SSL bundle. */
    static Map<String, String> trusting(TestCa authority) {
        return Map.of(
                "SPRING_RABBITMQ_SSL_BUNDLE", "broker",
                "SPRING_SSL_BUNDLE_PEM_BROKER_TRUSTSTORE_CERTIFICATE", "file:" + authority.certificate());
    }

    @Test
    void aRunThroughTheTlsListenerSucceedsOnEveryNodeAndEveryConnectionIsEncrypted() throws Exception {
        Path inventory = Files.write(dir.resolve("tls.inventory"),
                fleet.nodes().stream().map(n -> n.inventoryLine("deploy")).toList());
        Path script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
        Path json = dir.resolve("tls.json");
        LazarusCli lazarus = new LazarusCli(node.amqpsUri().toString()).withEnvironment(trusting(ca));

        int workerConnections = connections().size();
        LazarusCli.Running run = lazarus.start("run", "--inventory", inventory.toString(), "--script",
                script.toString(), "--wait", "--json", json.toString());
        SystemTests.awaitTrue("the command connects", () -> connections().size() > workerConnections, java.time.Duration.ofSeconds(60));
        List<String> whileRunning = connections();
        LazarusCli.Result result = run.await();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":5}");
        assertThat(report.get("reconciliation").get("balanced").asBoolean()).isTrue();
        fleet.nodes().forEach(n -> assertThat(n.executions()).as(n.id()).hasSize(1));
        assertThat(whileRunning).as("the worker's and the command's connections: ssl, port").isNotEmpty()
                .allSatisfy(c -> assertThat(c).isEqualTo("true\t" + node.tlsPort()));
    }

    @Test
    void aCommandThatDoesNotTrustTheBrokersCaIsRefusedInOneLine() throws Exception {
        TestCa stranger = TestCa.create(dir, "unrelated-ca");
        Path script = Files.writeString(dir.resolve("refused.sh"), "true\n");
        Path inventory = Files.writeString(dir.resolve("refused.inventory"), fleet.nodes().getFirst().inventoryLine("deploy"));

        LazarusCli.Result otherCa = new LazarusCli(node.amqpsUri().toString()).withEnvironment(trusting(stranger))
                .run("run", "--inventory", inventory.toString(), "--script", script.toString());
        LazarusCli.Result jdkDefaults = new LazarusCli(node.amqpsUri().toString())
                .run("run", "--inventory", inventory.toString(), "--script", script.toString());

        for (LazarusCli.Result refused : List.of(otherCa, jdkDefaults)) {
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.stderr().strip()).as(refused.toString()).doesNotContain("\n")
                    .startsWith("lazarus: cannot reach RabbitMQ at localhost:" + node.tlsPort() + ": ")
                    .contains("unable to find valid certification path");
        }
    }

    @Test
    void aWorkerThatDoesNotTrustTheBrokersCaNeverConnectsAndSaysWhy() throws Exception {
        TestCa stranger = TestCa.create(dir, "worker-stranger-ca");
        int before = connections().size();

        try (WorkerProcess refused = WorkerProcess.start(node.amqpsUri(), dir.resolve("id_ecdsa"),
                dir.resolve("known_hosts"), trusting(stranger), List.of(), Processes.logs("system-tests"))) {
            SystemTests.awaitTrue("the worker logs the refusal", () -> log(refused)
                    .contains("unable to find valid certification path"), java.time.Duration.ofSeconds(60));
            assertThat(connections()).as("no connection from the refused worker").hasSize(before);
        }
    }

    private static String log(WorkerProcess worker) {
        try {
            return Files.readString(worker.log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBrokerWhoseCertificateNamesAnotherHostIsRefusedThoughItsCaIsTrusted() throws Exception {
        TestCa.ServerCertificate elsewhere = ca.issue("broker.elsewhere.test", List.of("DNS:broker.elsewhere.test"));
        try (RabbitNode impostor = RabbitNode.builder()
                .tls(new RabbitNode.Tls(elsewhere.certificate(), elsewhere.key(), ca.certificate()))
                .keepLogsIn(Processes.logs("system-tests")).start()) {
            Path script = Files.writeString(dir.resolve("impostor.sh"), "true\n");
            Path inventory = Files.writeString(dir.resolve("impostor.inventory"),
                    fleet.nodes().getLast().inventoryLine("deploy"));

            LazarusCli.Result refused = new LazarusCli(impostor.amqpsUri().toString()).withEnvironment(trusting(ca))
                    .run("run", "--inventory", inventory.toString(), "--script", script.toString());

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.stderr().strip()).as(refused.toString()).doesNotContain("\n")
                    .startsWith("lazarus: cannot reach RabbitMQ at localhost:" + impostor.tlsPort() + ": ")
                    .contains("No subject alternative DNS name matching localhost found");
            assertThat(impostor.rabbitmqctl("list_queues", "--quiet", "name")).as("nothing declared").isBlank();
        }
    }

    /** {@code ssl<TAB>port} of every client connection the TLS node has. */
    private static List<String> connections() {
        return node.rabbitmqctl("list_connections", "--quiet", "--no-table-headers", "ssl", "port").lines()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
