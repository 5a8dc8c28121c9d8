package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.OpenSshServer;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run variables, facts and connection data, end to end: the lazarus command and the worker jar as processes, the real
 * broker, a real OpenSSH sshd as the node. The script prints its {@code LAZARUS_*} environment; the report shows what
 * it printed and the run's variables.
 */
class VarsTest {

    private static final String TOKEN = "vars-token-0123456789";
    private static final String PRINT_ENV =
            "env | grep '^LAZARUS_' | sort\nprintf 'motd<%s>\\n' \"$LAZARUS_VAR_MOTD\"\n";

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    static Path dir;
    static OpenSshServer sshd;
    static LazarusCli lazarus;
    static Path inventory;
    static Path script;

    @BeforeAll
    static void system() throws Exception {
        dir = system.dir();
        sshd = system.closeAtEnd(OpenSshServer.start(
                Files.createDirectories(dir.resolve("sshd")),
                "127.0.9.8",
                system.sshKey().publicKeyLine()));
        system.startWorker(Map.of("LAZARUS_SSH_CONNECT_ATTEMPTS", "2"));
        lazarus = system.cli();
        inventory = Files.writeString(
                dir.resolve("hosts.txt"),
                sshd.user() + "@" + sshd.host() + ":" + sshd.port()
                        + " name=web-01 fact.zone=eu-west-1a fact.rack-id=r7\n");
        script = Files.writeString(dir.resolve("print-env.sh"), PRINT_ENV);
    }

    @Test
    void theScriptSeesTheVarsFileAndVarsOverItTheFactsAndWhereItRuns() throws Exception {
        Path vars = Files.writeString(dir.resolve("vars.yml"), """
                # the release
                version: 1.10
                mode: "blue green"
                motd: |
                  line one
                  it's "quoted" $HOME
                """);
        Path json = dir.resolve("yaml.json");

        LazarusCli.Result run = run(
                lazarus,
                "--vars-file",
                vars.toString(),
                "--var",
                "version=1.0",
                "--var",
                "version=2.0",
                "--var",
                "Extra=x=y",
                "--wait",
                "--json",
                json.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        RunReport report = Reports.read(json);
        assertThat(report.vars())
                .containsExactly(
                        entry("Extra", "x=y"),
                        entry("mode", "blue green"),
                        entry("motd", "line one\nit's \"quoted\" $HOME\n"),
                        entry("version", "2.0"));
        NodeReport node = report.nodes().getFirst();
        assertThat(node.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(node.stdoutTail())
                .contains(
                        "LAZARUS_ATTEMPT=1",
                        "LAZARUS_FACT_RACK_ID=r7",
                        "LAZARUS_FACT_ZONE=eu-west-1a",
                        "LAZARUS_NODE_ADDRESS=" + sshd.host(),
                        "LAZARUS_NODE_ID=web-01",
                        "LAZARUS_NODE_PORT=" + sshd.port(),
                        "LAZARUS_NODE_USER=" + sshd.user(),
                        "LAZARUS_RUN_ID=" + run.runId(),
                        "LAZARUS_VAR_EXTRA=x=y",
                        "LAZARUS_VAR_MODE=blue green",
                        "LAZARUS_VAR_VERSION=2.0",
                        "motd<line one\nit's \"quoted\" $HOME\n>");
        assertThat(run.stdout())
                .contains("vars: Extra=x=y mode=blue green motd=line one\\nit's \"quoted\" $HOME\\n version=2.0");

        LazarusCli.Result again = lazarus.run(
                "report", run.runId(), "--json", dir.resolve("again.json").toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(Reports.read(dir.resolve("again.json")).vars()).isEqualTo(report.vars());
    }

    @Test
    void aResurrectedAttemptGetsTheSameVariablesAndKnowsItIsTheSecond() throws Exception {
        // the first attempt fails as a held dpkg lock does, which the worker's default pattern calls transient
        Path flaky = Files.writeString(dir.resolve("flaky.sh"), """
                if [ "$LAZARUS_ATTEMPT" = 1 ]; then
                  echo 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)' >&2
                  exit 100
                fi
                """ + PRINT_ENV);
        Path json = dir.resolve("resurrected.json");

        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                inventory.toString(),
                "--script",
                flaky.toString(),
                "--var",
                "version=7",
                "--command-attempts",
                "1",
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "200ms",
                "--wait",
                "--json",
                json.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        NodeReport node = Reports.read(json).nodes().getFirst();
        assertThat(node.resurrections()).isEqualTo(1);
        assertThat(node.stdoutTail()).contains("LAZARUS_ATTEMPT=2", "LAZARUS_VAR_VERSION=7", "LAZARUS_NODE_ID=web-01");
    }

    @Test
    void aJsonVarsFileReachesTheScriptThroughTheServiceAndTheApiRefusesANestedValue() throws Exception {
        ServiceProcess service = system.closeAtEnd(system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN)));
        String server = "http://127.0.0.1:" + service.port();
        Path vars = Files.writeString(dir.resolve("vars.json"), "{\n\t\"version\": 3,\n\t\"canary\": true\n}\n");
        Path json = dir.resolve("server.json");

        LazarusCli.Result run = run(
                lazarus.withEnvironment(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN)),
                "--vars-file",
                vars.toString(),
                "--server",
                server,
                "--wait",
                "--json",
                json.toString(),
                "--progress-interval",
                "500ms");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        RunReport report = Reports.read(json);
        assertThat(report.vars()).containsExactly(entry("canary", "true"), entry("version", "3"));
        assertThat(report.nodes().getFirst().stdoutTail())
                .contains("LAZARUS_VAR_CANARY=true", "LAZARUS_VAR_VERSION=3", "LAZARUS_NODE_ID=web-01");

        ServiceApi api = ServiceApi.at(server + "/api/runs", TOKEN);
        HttpResponse<String> nested =
                api.post("", "{\"inventory\":\"a@h\",\"script\":\"true\",\"vars\":{\"db\":{\"host\":\"x\"}}}");
        HttpResponse<String> badKey =
                api.post("", "{\"inventory\":\"a@h\",\"script\":\"true\",\"vars\":{\"tomcat-version\":\"10\"}}");
        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(nested.body()).contains("vars.db must be a string, a number or a boolean");
        assertThat(badKey.statusCode()).as(badKey.body()).isEqualTo(400);
        assertThat(badKey.body()).contains("vars.tomcat-version is not a variable name");
    }

    @Test
    void aBadVarOrVarsFileIsRefusedBeforeAnythingIsSent() throws Exception {
        Path nested = Files.writeString(dir.resolve("nested.yml"), "version: 1\ndb:\n  host: x\n");

        LazarusCli.Result file = run(lazarus, "--vars-file", nested.toString());
        LazarusCli.Result name = run(lazarus, "--var", "1st=x");

        assertThat(file.exitCode()).as(file.toString()).isEqualTo(2);
        assertThat(file.stderr()).contains("--vars-file " + nested + ":2: key 'db': nested values are refused");
        assertThat(name.exitCode()).as(name.toString()).isEqualTo(2);
        assertThat(name.stderr()).contains("--var refused: vars.1st is not a variable name");
        assertThat(file.stdout() + name.stdout()).doesNotContain("run ");
    }

    /** {@code lazarus run} of the script on the node, with these options. */
    private static LazarusCli.Result run(LazarusCli cli, String... options) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("run", "--inventory", inventory.toString(), "--script", script.toString()));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new));
    }
}
