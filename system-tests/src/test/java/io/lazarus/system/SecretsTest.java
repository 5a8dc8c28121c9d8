package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.OpenSshServer;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secrets by reference, end to end: the lazarus command and the worker jar as processes, the real broker, a real
 * OpenSSH sshd as the node. The run names a secret; the worker holds its value; the script gets it; nothing that leaves
 * the worker (event, registry, reports, the worker's log) shows it. An Ansible inventory's playbook variables are not
 * stored, and the registry's files are private.
 */
class SecretsTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    static Path dir;
    static OpenSshServer sshd;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static String password;
    static String token;

    @BeforeAll
    static void system() throws Exception {
        dir = system.dir();
        sshd = system.closeAtEnd(OpenSshServer.start(
                Files.createDirectories(dir.resolve("sshd")),
                "127.0.9.7",
                system.sshKey().publicKeyLine()));
        long random = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        password = "Db-" + random + "-pass";
        token = "tok-" + random + "-env";
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        // as a mounted Kubernetes Secret: one file per key
        Files.writeString(secrets.resolve("DB_PASSWORD"), password + "\n");
        worker = system.startWorker(Map.of(
                "LAZARUS_WORKER_SECRETS_DIRECTORY",
                secrets.toString(),
                "LAZARUS_SECRET_API_TOKEN",
                token,
                "LAZARUS_SSH_CONNECT_ATTEMPTS",
                "2"));
        lazarus = system.cli();
    }

    @Test
    void aScriptGetsItsSecretsAndWhatItPrintsOfThemIsMaskedEverywhere() throws Exception {
        Path cmdline = dir.resolve("cmdline");
        Path script = Files.writeString(dir.resolve("print-secret.sh"), """
                set -e
                test "$(printf %%s "$DB_PASSWORD" | sha256sum | cut -c1-64)" = %s
                test "$(printf %%s "$API_TOKEN" | sha256sum | cut -c1-64)" = %s
                tr '\\0' ' ' < /proc/$$/cmdline > %s
                echo "marker-%s-visible"
                echo "the password is $DB_PASSWORD and the token $API_TOKEN"
                exit 3
                """.formatted(
                        sha256(password), sha256(token), cmdline, password.length()));
        Path json = dir.resolve("secret.json");
        Path junit = dir.resolve("secret.xml");
        // a registry directory others could read: the run makes it private
        Files.setPosixFilePermissions(lazarus.registry(), PosixFilePermissions.fromString("rwxr-xr-x"));

        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                ansibleInventory().toString(),
                "--script",
                script.toString(),
                "--secret",
                "DB_PASSWORD",
                "--secret",
                "API_TOKEN",
                "--wait",
                "--json",
                json.toString(),
                "--junit",
                junit.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        NodeReport node = Reports.read(json).nodes().getFirst();
        assertThat(node.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(node.exitCode())
                .as("both tests passed: the values reached the script")
                .isEqualTo(3);
        assertThat(node.stdoutTail())
                .contains("marker-" + password.length() + "-visible", "the password is **** and the token ****");
        assertThat(node.reason()).isEqualTo("command 1/1 exited 3: the password is **** and the token ****");
        assertThat(Files.readString(cmdline))
                .as("the script's command line, as ps shows it")
                .contains("__lz_env");

        LazarusCli.Result report = lazarus.run(
                "report",
                run.runId(),
                "--json",
                dir.resolve("again.json").toString(),
                "--junit",
                dir.resolve("again.xml").toString());
        assertThat(report.exitCode()).as(report.toString()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("again.json"))).contains("the password is ****");

        String registry = registryBytes();
        assertThat(registry.contains("marker-" + password.length() + "-visible"))
                .as("the registry's files hold the run's output as text")
                .isTrue();
        Map<String, String> places = Map.of(
                "the command's output",
                run.stdout() + run.stderr(),
                "the JSON report",
                Files.readString(json),
                "the JUnit report",
                Files.readString(junit),
                "the JSON report from the registry",
                Files.readString(dir.resolve("again.json")),
                "the JUnit report from the registry",
                Files.readString(dir.resolve("again.xml")),
                "the registry's files",
                registry,
                "the worker's log",
                Files.readString(worker.log()),
                "the script's command line",
                Files.readString(cmdline));
        places.forEach((place, text) -> assertThat(text.contains(password) || text.contains(token))
                .as(place + " shows a secret value")
                .isFalse());
        assertThat(Files.readString(worker.log())).contains("the password is **** and the token ****");

        // item 5: the inventory as stored keeps the nodes and names what it dropped
        assertThat(registry.contains("# variables not stored: db_password, http_port"))
                .as("the note")
                .isTrue();
        assertThat(registry.contains("node-1")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lazarus.registry())))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(lazarus.registry())) {
            List<Path> registryFiles = files.filter(
                            f -> f.getFileName().toString().startsWith("registry."))
                    .toList();
            assertThat(registryFiles).isNotEmpty();
            registryFiles.forEach(
                    f -> assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------"));
        }
    }

    @Test
    void aRunNamingASecretTheWorkerLacksIsRejectedWithTheNameAndRunsNothing() throws Exception {
        Path ran = dir.resolve("ran");
        Path script = Files.writeString(dir.resolve("touch.sh"), "touch " + ran + "\n");
        Path json = dir.resolve("missing.json");

        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                ansibleInventory().toString(),
                "--script",
                script.toString(),
                "--secret",
                "DB_PASSWORD",
                "--secret",
                "NOT_ON_THIS_WORKER",
                "--wait",
                "--json",
                json.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        NodeReport node = Reports.read(json).nodes().getFirst();
        assertThat(node.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(node.reason()).contains("no secret NOT_ON_THIS_WORKER").doesNotContain(password);
        assertThat(ran).as("nothing ran").doesNotExist();
        assertThat(Files.readString(worker.log()))
                .contains("NOT_ON_THIS_WORKER")
                .doesNotContain(password);
    }

    @Test
    void aSecretNameThatIsNotAnEnvironmentVariableIsRefusedBeforeAnythingIsSent() throws Exception {
        Path script = Files.writeString(dir.resolve("true.sh"), "true\n");

        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                ansibleInventory().toString(),
                "--script",
                script.toString(),
                "--secret",
                "db-password",
                "--wait");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("--secret refused: secret name 'db-password' must match");
    }

    /** A playbook's inventory: its db_password is the playbooks' business, not Lazarus's. */
    private static Path ansibleInventory() throws Exception {
        return Files.writeString(
                dir.resolve("hosts.ini"),
                String.join(
                        "\n",
                        "[app]",
                        "node-1 ansible_host=" + sshd.host() + " ansible_port=" + sshd.port() + " ansible_user="
                                + sshd.user() + " http_port=8080",
                        "",
                        "[app:vars]",
                        "db_password=inventory-" + password,
                        ""),
                StandardCharsets.UTF_8);
    }

    private static String registryBytes() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(lazarus.registry())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private static String sha256(String value) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
