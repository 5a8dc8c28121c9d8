package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.OpenSshServer;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.ServiceProcess;
import io.lazarus.testkit.process.WorkerProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Full output per node, end to end: the worker jar runs scripts on a real OpenSSH sshd, sends what they print through
 * the real broker, the registry keeps it, and {@code lazarus logs} and the service's API give it back, byte for byte,
 * its secret masked, cut at the worker's cap (256 KB here) with a line saying so. {@code --follow} shows output while
 * the script still runs and ends with the attempt. An OUTPUT event for an attempt nobody released is not taken.
 */
class NodeLogsTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    private static final String TOKEN = "node-logs-token-0123456789";
    private static final int CAP = 256 * 1024;

    static Path dir;
    static OpenSshServer sshd;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static ServiceProcess service;
    static ServiceApi api;
    static String password;

    @BeforeAll
    static void system() throws Exception {
        dir = system.dir();
        sshd = system.closeAtEnd(OpenSshServer.start(
                Files.createDirectories(dir.resolve("sshd")),
                "127.0.9.8",
                system.sshKey().publicKeyLine()));
        password = "Pw-" + ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50) + "-secret";
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("DB_PASSWORD"), password + "\n");
        worker = system.startWorker(Map.of(
                "LAZARUS_WORKER_SECRETS_DIRECTORY", secrets.toString(),
                // without a terminal the two streams stay apart and line ends stay as printed
                "LAZARUS_SSH_PTY", "false",
                "LAZARUS_WORKER_OUTPUT_CAP", "256KB"));
        lazarus = system.cli();
        // the service shares the command's registry: the API reads what lazarus logs reads
        service = system.startService(Map.of(
                "LAZARUS_SERVICE_API_TOKEN",
                TOKEN,
                "LAZARUS_REGISTRY_DIRECTORY",
                lazarus.registry().toString()));
        api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
    }

    @Test
    void theWholeOutputOfBothStreamsIsKeptExactlyWithItsSecretMasked() throws Exception {
        StringBuilder stdout = new StringBuilder();
        for (int i = 1; i <= 2500; i++) {
            stdout.append("line %06d %s%n".formatted(i, "0123456789abcdefghijklmnopqrstuvwxyz".repeat(2)));
        }
        stdout.append("the password is ****\n").append("ünïcödé \u001b[1mbold\u001b[0m\n");
        String stderr = "warning 1\non stderr ****\nwarning 2\n";
        Path script = Files.writeString(dir.resolve("loud.sh"), """
                awk 'BEGIN { for (i = 1; i <= 2500; i++) printf "line %%06d %%s%%s\\n", i, "%s", "%s" }'
                echo warning 1 >&2
                echo "the password is $DB_PASSWORD"
                printf 'on stderr %%s\\n' "$DB_PASSWORD" >&2
                printf '\\303\\274n\\303\\257c\\303\\266d\\303\\251 \\033[1mbold\\033[0m\\n'
                echo warning 2 >&2
                """.formatted(
                        "0123456789abcdefghijklmnopqrstuvwxyz", "0123456789abcdefghijklmnopqrstuvwxyz"));
        Path json = dir.resolve("loud.json");

        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                inventory(),
                "--script",
                script.toString(),
                "--secret",
                "DB_PASSWORD",
                "--wait",
                "--json",
                json.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(stdout.length()).as("more than a few chunks").isGreaterThan(200 * 1024);
        LazarusCli.Result out = lazarus.run("logs", run.runId(), "node-1", "--stream", "stdout");
        assertThat(out.exitCode()).as(out.stderr()).isZero();
        assertThat(out.stdout().equals(stdout.toString()))
                .as(
                        "stdout byte for byte (%d characters, got %d)",
                        stdout.length(), out.stdout().length())
                .isTrue();
        assertThat(lazarus.run("logs", run.runId(), "node-1", "--stream", "stderr")
                        .stdout())
                .isEqualTo(stderr);
        LazarusCli.Result both = lazarus.run("logs", run.runId(), "node-1", "--attempt", "1", "--follow");
        assertThat(both.exitCode()).as("--follow of a succeeded attempt").isZero();
        assertThat(both.stdout()).hasSize(stdout.length() + stderr.length()).startsWith("line 000001");
        NodeReport node = Reports.read(json).nodes().getFirst();
        assertThat(node.outputBytesDropped()).isZero();
        assertThat(node.stdoutTail()).as("the tail stays as it was").endsWith("bold\u001b[0m\n");

        HttpResponse<String> log = api.get("/" + run.runId() + "/nodes/node-1/log?stream=stdout");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(log.body().equals(stdout.toString()))
                .as("the API gives the same")
                .isTrue();
        assertThat(api.get("/" + run.runId() + "/nodes/node-1/log?attempt=1").body())
                .isEqualTo(both.stdout());
        assertThat(api.get("/" + run.runId() + "/nodes/node-1/log?attempt=2").statusCode())
                .isEqualTo(404);
        assertThat(api.get("/" + run.runId() + "/nodes/node-1/log?stream=neither")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> notANumber = api.get("/" + run.runId() + "/nodes/node-1/log?attempt=one");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.body()).as("names the parameter").contains("attempt");
        assertThat(api.get("/" + run.runId() + "/nodes/node-1/log?attempt=-1").statusCode())
                .as("no such attempt")
                .isEqualTo(404);
        for (String place : List.of(out.stdout(), both.stdout(), log.body(), out.stderr(), Files.readString(json))) {
            assertThat(place.contains(password)).as("a secret value").isFalse();
        }
    }

    @Test
    void outputBeyondTheCapIsDroppedAndBothTheLogAndTheReportSaySo() throws Exception {
        Path script = Files.writeString(dir.resolve("flood.sh"), """
                head -c 409600 /dev/zero | tr '\\0' 'z'
                echo
                echo done
                """);
        Path json = dir.resolve("flood.json");

        LazarusCli.Result run = lazarus.run(
                "run", "--inventory", inventory(), "--script", script.toString(), "--wait", "--json", json.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        long dropped = 409600 + "\ndone\n".length() - CAP;
        assertThat(lazarus.run("logs", run.runId(), "node-1").stdout())
                .isEqualTo("z".repeat(CAP) + "\n[lazarus: output cap of " + CAP + " bytes per attempt reached; "
                        + dropped + " more bytes of stdout dropped]\n");
        assertThat(Reports.read(json).nodes().getFirst().outputBytesDropped()).isEqualTo(dropped);
    }

    @Test
    void followShowsTheOutputWhileTheScriptRunsAndExitsWithTheAttemptsOutcome() throws Exception {
        // the script waits for the test (the node is this machine, logged in as the test's user) where a fixed sleep
        // would have to outlast the slowest start of a command
        Path gate = dir.resolve("follow-gate");
        Files.deleteIfExists(gate);
        Path script = Files.writeString(dir.resolve("slow.sh"), """
                echo first
                n=0; while [ ! -e '%s' ] && [ $n -lt 1200 ]; do sleep 0.1; n=$((n+1)); done
                echo second >&2
                exit 3
                """.formatted(gate));
        LazarusCli.Running run =
                lazarus.start("run", "--inventory", inventory(), "--script", script.toString(), "--wait");
        String runId = await("the run id")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Files.readAllLines(run.out()).stream().findFirst().orElse(""), l -> l.startsWith("run "))
                .substring("run ".length())
                .strip();

        LazarusCli.Running follow = lazarus.start("logs", runId, "node-1", "--follow");
        // a command's JVM takes up to 13 s to start on the shared 2-core machine (README "The registry")
        try {
            await("the first line, while the script sleeps")
                    .atMost(Duration.ofSeconds(35))
                    .until(() -> Files.readString(follow.out()), text -> text.equals("first\n"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("lazarus logs --follow said: " + Files.readString(follow.err()), e);
        }
        assertThat(follow.process().isAlive()).isTrue();
        Files.createFile(gate);

        LazarusCli.Result followed = follow.await(Duration.ofSeconds(60));
        assertThat(followed.stdout()).isEqualTo("first\nsecond\n");
        assertThat(followed.exitCode()).as("the attempt failed").isEqualTo(1);
        assertThat(run.await(Duration.ofSeconds(60)).exitCode()).isEqualTo(1);
    }

    @Test
    void anOutputEventForAnAttemptNobodyReleasedIsNotTaken() throws Exception {
        Path script = Files.writeString(dir.resolve("quiet.sh"), "echo quiet\n");
        LazarusCli.Result run = lazarus.run("run", "--inventory", inventory(), "--script", script.toString(), "--wait");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String forged = run.runId() + "/node-1/1/forged00";
        AttemptEvent event = new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.OUTPUT,
                forged,
                run.runId(),
                "node-1",
                1,
                Instant.now(),
                "worker-x",
                false,
                null,
                null,
                "x-1",
                List.of(new OutputChunk(OutputStreamName.STDOUT, 0, 0, "FORGED OUTPUT\n")));
        try (Connection connection = system.broker().newConnection("forger")) {
            Channel channel = connection.createChannel();
            // with the workers' login: it is the release, not the sender, that is missing
            channel.basicPublish(
                    Topology.REGISTRY_EXCHANGE,
                    event.routingKey(),
                    new AMQP.BasicProperties.Builder()
                            .userId(system.broker().uri().getUserInfo().split(":")[0])
                            .build(),
                    Contracts.toJson(event));
        }

        await("the service's gate drops it")
                .atMost(Duration.ofSeconds(20))
                .until(() -> service.output().contains("OUTPUT event for attempt " + forged));
        assertThat(service.output()).contains("dropped an event (not-dispatched)");
        LazarusCli.Result logs = lazarus.run("logs", run.runId(), "node-1");
        assertThat(logs.stdout()).isEqualTo("quiet\n");
        assertThat(api.get("/" + run.runId() + "/nodes/node-1/log").body()).isEqualTo("quiet\n");
    }

    private static String inventory() throws Exception {
        return Files.writeString(
                        dir.resolve("hosts.ini"),
                        "[app]\nnode-1 ansible_host=" + sshd.host() + " ansible_port=" + sshd.port() + " ansible_user="
                                + sshd.user() + "\n",
                        StandardCharsets.UTF_8)
                .toString();
    }
}
