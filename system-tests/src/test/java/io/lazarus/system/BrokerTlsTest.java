package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import io.lazarus.testkit.rabbit.RabbitNode;
import io.lazarus.testkit.tls.TestCa;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker and the lazarus command through {@code amqps://}, as the README sets them up: a RabbitMQ node of this
 * test's own with a TLS listener and a CA made for the test, trusted through a Spring Boot SSL bundle. The peer's
 * certificate and its host name are both verified: an untrusted CA or a certificate for another host is refused.
 */
class BrokerTlsTest {

    static TestCa ca;

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .brokerNode(dir -> {
                ca = TestCa.create(dir, "lazarus-test-ca");
                TestCa.ServerCertificate localhost = ca.issue("localhost", List.of("DNS:localhost", "IP:127.0.0.1"));
                return RabbitNode.builder()
                        .tls(new RabbitNode.Tls(localhost.certificate(), localhost.key(), ca.certificate()))
                        .keepLogsIn(Processes.logs("system-tests"))
                        .start();
            })
            // an install of some seconds keeps the command's connection open long enough for rabbitmqctl to list it
            .fleet(fleet -> fleet.nodes(5, NodeBehavior.succeedSlowly(3, Duration.ofSeconds(2))));

    @BeforeAll
    static void worker() throws Exception {
        system.startWorker(system.node().amqpsUri(), trusting(ca));
    }

    /** What the README tells a user to set: the CA the broker's certificate is checked against, as an SSL bundle. */
    static Map<String, String> trusting(TestCa authority) {
        return Map.of(
                "SPRING_RABBITMQ_SSL_BUNDLE",
                "broker",
                "SPRING_SSL_BUNDLE_PEM_BROKER_TRUSTSTORE_CERTIFICATE",
                "file:" + authority.certificate());
    }

    @Test
    void aRunThroughTheTlsListenerSucceedsOnEveryNodeAndEveryConnectionIsEncrypted() throws Exception {
        LazarusCli lazarus = system.cliOn(amqps()).withEnvironment(trusting(ca));

        int workerConnections = connections().size();
        LazarusCli.Running run = lazarus.start(
                "run",
                "--inventory",
                system.inventory("tls", system.fleet().nodes()),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("tls"));
        await("the command connects")
                .atMost(Duration.ofSeconds(60))
                .until(() -> connections().size() > workerConnections);
        List<String> whileRunning = connections();
        LazarusCli.Result result = run.await();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = system.report("tls");
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 5));
        assertThat(report.reconciliation().balanced()).isTrue();
        system.fleet()
                .nodes()
                .forEach(n -> assertThat(n.executions()).as(n.id()).hasSize(1));
        assertThat(whileRunning)
                .as("the worker's and the command's connections: ssl, port")
                .isNotEmpty()
                .allSatisfy(
                        c -> assertThat(c).isEqualTo("true\t" + system.node().tlsPort()));
    }

    @Test
    void aCommandThatDoesNotTrustTheBrokersCaIsRefusedInOneLine() throws Exception {
        TestCa stranger = TestCa.create(system.dir(), "unrelated-ca");
        String[] run = {
            "run",
            "--inventory",
            system.inventory("refused", List.of(system.fleet().nodes().getFirst())),
            "--script",
            system.write("refused.sh", "true\n")
        };

        LazarusCli.Result otherCa =
                system.cliOn(amqps()).withEnvironment(trusting(stranger)).run(run);
        LazarusCli.Result jdkDefaults = system.cliOn(amqps()).run(run);

        for (LazarusCli.Result refused : List.of(otherCa, jdkDefaults)) {
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.stderr().strip())
                    .as(refused.toString())
                    .doesNotContain("\n")
                    .startsWith("lazarus: cannot reach RabbitMQ at localhost:"
                            + system.node().tlsPort() + ": ")
                    .contains("unable to find valid certification path");
        }
    }

    @Test
    void aWorkerThatDoesNotTrustTheBrokersCaNeverConnectsAndSaysWhy() throws Exception {
        TestCa stranger = TestCa.create(system.dir(), "worker-stranger-ca");
        int before = connections().size();

        try (WorkerProcess refused = system.startWorker(system.node().amqpsUri(), trusting(stranger))) {
            await("the worker logs the refusal")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(refused.log()).contains("unable to find valid certification path"));
            assertThat(connections())
                    .as("no connection from the refused worker")
                    .hasSize(before);
        }
    }

    @Test
    void aBrokerWhoseCertificateNamesAnotherHostIsRefusedThoughItsCaIsTrusted() throws Exception {
        TestCa.ServerCertificate elsewhere = ca.issue("broker.elsewhere.test", List.of("DNS:broker.elsewhere.test"));
        try (RabbitNode impostor = RabbitNode.builder()
                .tls(new RabbitNode.Tls(elsewhere.certificate(), elsewhere.key(), ca.certificate()))
                .keepLogsIn(Processes.logs("system-tests"))
                .start()) {
            LazarusCli.Result refused = system.cliOn(impostor.amqpsUri().toString())
                    .withEnvironment(trusting(ca))
                    .run(
                            "run",
                            "--inventory",
                            system.inventory(
                                    "impostor", List.of(system.fleet().nodes().getLast())),
                            "--script",
                            system.write("impostor.sh", "true\n"));

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.stderr().strip())
                    .as(refused.toString())
                    .doesNotContain("\n")
                    .startsWith("lazarus: cannot reach RabbitMQ at localhost:" + impostor.tlsPort() + ": ")
                    .contains("No subject alternative DNS name matching localhost found");
            assertThat(impostor.rabbitmqctl("list_queues", "--quiet", "name"))
                    .as("nothing declared")
                    .isBlank();
        }
    }

    private static String amqps() {
        return system.node().amqpsUri().toString();
    }

    /** {@code ssl<TAB>port} of every client connection the TLS node has. */
    private static List<String> connections() {
        return system.node()
                .rabbitmqctl("list_connections", "--quiet", "--no-table-headers", "ssl", "port")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }
}
