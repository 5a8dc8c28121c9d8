package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lazarus.common.topology.Topology;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.WorkerProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code lazarus broker setup} on the test broker, then a real run with each process logged in as its role: the worker
 * and the command line find their login in the credentials files they import, declare nothing, and the run succeeds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerRolesRunTest {

    @RegisterExtension
    static final LazarusSystem system =
            LazarusSystem.create().fleet(fleet -> fleet.nodes(6, NodeBehavior.install(Duration.ofMillis(200), 3)));

    static final String PREFIX =
            "sys-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + "-";
    static Path credentials;
    static LazarusCli setup;

    @BeforeAll
    static void setUp() {
        credentials = system.file("broker");
        // the administrator: the test broker's own login
        setup = system.cli()
                .withEnvironment(Map.of(
                        "LAZARUS_BROKER_ADMIN_URI",
                        system.broker().uri().toString(),
                        "LAZARUS_BROKER_CREDENTIALS_DIRECTORY",
                        credentials.toString()));
    }

    @AfterAll
    static void deleteUsers() throws Exception {
        for (String role : List.of("admin", "coordinator", "worker", "monitoring")) {
            rabbitmqctl("delete_user", "--", PREFIX + role);
        }
    }

    /** The test broker's address without a login: the login comes from the credentials file. */
    private static URI withoutLogin() {
        URI uri = system.broker().uri();
        return URI.create(
                uri.getScheme() + "://" + uri.getHost() + ":" + system.broker().port() + uri.getRawPath());
    }

    private static Map<String, String> asRole() {
        return Map.of(
                "LAZARUS_BROKER_CREDENTIALS_DIRECTORY",
                credentials.toString(),
                // the registry's trust (issue 12): these users are the workers and the coordinator
                "LAZARUS_TRUST_WORKER_USERS",
                PREFIX + "worker",
                "LAZARUS_TRUST_COORDINATOR_USERS",
                PREFIX + "coordinator");
    }

    @Test
    @Order(1)
    void printingTouchesNothingAndShowsNoPassword() throws Exception {
        LazarusCli.Result lines = setup.run("broker", "setup", "--user-prefix", PREFIX, "--print", "rabbitmqctl");
        LazarusCli.Result definitions = setup.run("broker", "setup", "--user-prefix", PREFIX, "--print", "definitions");

        assertThat(lines.exitCode()).as(lines.toString()).isZero();
        assertThat(lines.stdout())
                .contains(
                        "rabbitmqctl set_permissions -p " + vhost() + " -- " + PREFIX
                                + "worker '^(lazarus\\.cancels\\.[A-Za-z0-9_-]+)$'",
                        "\"${LAZARUS_WORKER_PASSWORD:?}\"");
        assertThat(definitions.exitCode()).as(definitions.toString()).isZero();
        assertThat(definitions.stdout())
                .contains(
                        "\"password_hash\"",
                        "\"name\" : \"lazarus.install\"",
                        "\"user\" : \"" + PREFIX + "monitoring\"");
        assertThat(definitions.stdout()).doesNotContain("\"password\"");
        assertThat(credentials).doesNotExist();
    }

    @Test
    @Order(2)
    void setupCreatesTheUsersWithoutPrintingTheirPasswordsAndRunningItAgainKeepsThem() throws Exception {
        LazarusCli.Result first = setup.run("broker", "setup", "--user-prefix", PREFIX, "--via", "rabbitmqctl");
        String workerFile = Files.readString(credentials.resolve("worker.properties"));
        LazarusCli.Result again = setup.run("broker", "setup", "--user-prefix", PREFIX);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains("through rabbitmqctl", PREFIX + "worker", "(new password)");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).doesNotContain("(new password)");
        assertThat(Files.readString(credentials.resolve("worker.properties"))).isEqualTo(workerFile);
        for (String role : List.of("admin", "coordinator", "worker", "monitoring")) {
            String password = password(role);
            assertThat(first.stdout() + first.stderr() + again.stdout() + again.stderr())
                    .doesNotContain(password);
        }
    }

    @Test
    @Order(3)
    void aRunWithTheWorkerAndTheCommandLineLoggedInAsTheirRolesSucceeds() throws Exception {
        WorkerProcess worker = system.startWorker(withoutLogin(), asRole());

        LazarusCli.Result run = asRoleCli()
                .run(
                        "run",
                        "--inventory",
                        system.inventory("hosts", system.fleet().nodes()),
                        "--script",
                        system.script(),
                        "--wait");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("SUCCEEDED 6");
        String connections = rabbitmqctl("-q", "list_connections", "user", "vhost", "--no-table-headers");
        assertThat(connections).as("the worker is logged in as its role").contains(PREFIX + "worker\t" + vhost());
        assertThat(Files.readString(worker.log())).doesNotContain("ACCESS_REFUSED");
    }

    @Test
    @Order(4)
    void aRoleUserFindingNoTopologySaysWhatDeclaresIt() throws Exception {
        system.worker().close();
        system.freshTopology();

        LazarusCli.Result run = asRoleCli()
                .run(
                        "run",
                        "--inventory",
                        system.inventory("hosts", system.fleet().nodes()),
                        "--script",
                        system.script(),
                        "--wait");
        Throwable workerStart = catchThrowable(() -> system.startWorker(withoutLogin(), asRole()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr().strip())
                .isEqualTo("lazarus: RabbitMQ has no exchange " + Topology.INSTALL_EXCHANGE
                        + " in vhost " + vhost()
                        + ": `lazarus broker setup` declares it (lazarus.topology.declare=false: this"
                        + " application only checks the topology)");
        assertThat(workerStart).hasMessageContaining("worker exited");
        Path log = Path.of(workerStart.getMessage().replaceAll(".*see ", ""));
        assertThat(Files.readString(log))
                .contains("RabbitMQ has no exchange " + Topology.INSTALL_EXCHANGE + " in vhost " + vhost()
                        + ": `lazarus broker setup` declares it");
    }

    /** The command line logged in as the coordinator role, through the credentials file. */
    private static LazarusCli asRoleCli() {
        return system.cliOn(withoutLogin().toString()).withEnvironment(asRole());
    }

    private static String vhost() {
        String path = system.broker().uri().getPath();
        return path == null || path.length() <= 1 ? "/" : path.substring(1);
    }

    private static String password(String role) throws Exception {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(credentials.resolve(role + ".properties"), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties.getProperty("spring.rabbitmq.password");
    }

    private static String rabbitmqctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }
}
