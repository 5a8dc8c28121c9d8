package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.topology.Topology;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a user sees when the input or the broker is wrong: one clear line and the documented exit code. */
class CommandLineTest {

    @RegisterExtension
    final LazarusSystem system = LazarusSystem.create();

    /** Spring's AOT (README "The command line's start and exit"): no configuration classes parsed as a command starts. */
    @Test
    void aCommandStartsFromTheApplicationContextTheBuildGenerated() throws Exception {
        String initializer = "io.lazarus.coordinator.CoordinatorApplication__ApplicationContextInitializer ";
        String parser = "org.springframework.context.annotation.ConfigurationClassParser ";
        // the JDK's AOT cache off: it loads every class it holds as the JVM starts, used or not
        String classLoading = "-XX:AOTMode=off -Xlog:class+load=info";

        LazarusCli.Result generated = system.cli()
                .withEnvironment(Map.of("LAZARUS_JAVA_OPTS", classLoading))
                .run("status", "no-such-run");
        LazarusCli.Result optedOut = system.cli()
                .withEnvironment(Map.of("LAZARUS_JAVA_OPTS", classLoading + " -Dspring.aot.enabled=false"))
                .run("status", "no-such-run");

        assertThat(generated.stdout())
                .as(generated.stderr())
                .contains(initializer)
                .doesNotContain(parser);
        assertThat(optedOut.stdout()).as(optedOut.stderr()).contains(parser).doesNotContain(initializer);
        assertThat(List.of(generated, optedOut))
                .as("the same answer either way")
                .allSatisfy(status -> {
                    assertThat(status.stderr()).contains("lazarus: no run no-such-run in this registry");
                    assertThat(status.exitCode()).isEqualTo(2);
                });
    }

    @Test
    void aBadInventoryNamesFileAndLineAndExitsTwo() throws Exception {
        String inventory = system.write("hosts", "# fleet\nroot@web-1\nweb-2:abc\nweb-1\n");

        LazarusCli.Result result =
                system.lazarus("run", "--inventory", inventory, "--script", system.write("install.sh", "true\n"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr())
                .contains(
                        inventory + ":3: port 'abc' is not a number in 'web-2:abc'",
                        inventory + ":4: duplicate node 'web-1' (first at line 2)");
        assertThat(result.stdout()).isEmpty();
        // the registry opens while the inventory is read: a refused inventory still leaves no run in it, and sends none
        assertThat(system.cli().recordedRuns()).as("runs recorded").isZero();
        assertThat(installMessages()).as("install messages queued").isZero();
    }

    @Test
    void aBadAnsibleInventoryOrLimitNamesItAndExitsTwo() throws Exception {
        String inventory = system.write(
                "hosts.yml",
                "all:\n  children:\n    web:\n      hosts:\n"
                        + "        web[1:2]:\n          ansible_ssh_pass: hunter2\n");
        String fixed = system.write("fixed.yml", "all:\n  children:\n    web:\n      hosts:\n" + "        web[1:2]:\n");
        String script = system.write("install.sh", "true\n");

        LazarusCli.Result secret =
                system.lazarus("run", "--inventory", inventory, "--script", script, "--limit", "web");
        LazarusCli.Result typo = system.lazarus("run", "--inventory", fixed, "--script", script, "--limit", "wbe");

        assertThat(secret.exitCode()).as(secret.toString()).isEqualTo(2);
        assertThat(secret.stderr()).contains(inventory + ":6: ansible_ssh_pass is refused");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(2);
        assertThat(typo.stderr().strip())
                .isEqualTo("lazarus: --limit 'wbe': 'wbe' matches no group or host of " + fixed);
        assertThat(secret.stdout() + typo.stdout()).isEmpty();
    }

    @Test
    void badUsageExitsTwo() throws Exception {
        String inventory = system.write("hosts", "web-1\n");

        LazarusCli.Result missingScript = system.lazarus(
                "run",
                "--inventory",
                inventory,
                "--script",
                system.file("nope.sh").toString());
        LazarusCli.Result unknownOption =
                system.lazarus("run", "--inventory", inventory, "--script", "x", "--frobnicate");
        LazarusCli.Result badDuration =
                system.lazarus("run", "--inventory", inventory, "--script", "x", "--deadline", "soon");
        LazarusCli.Result reportWithoutWait =
                system.lazarus("run", "--inventory", inventory, "--script", "x", "--json", "r.json");

        assertThat(missingScript.exitCode()).isEqualTo(2);
        assertThat(missingScript.stderr()).contains("nope.sh: no such script file");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.stderr())
                .contains("Unknown option: '--frobnicate'", "see lazarus run --help")
                .doesNotContain("picocli WARN", "Usage:");
        assertThat(unknownOption.stderr().lines().count())
                .as(unknownOption.stderr())
                .isLessThanOrEqualTo(3);
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.stderr()).contains("'soon' is not a positive duration");
        assertThat(reportWithoutWait.exitCode()).isEqualTo(2);
        assertThat(reportWithoutWait.stderr()).contains("--json and --junit need --wait");
    }

    @Test
    void helpIsACommandAndTheHelpHasNoFormatWarnings() throws Exception {
        LazarusCli.Result help = system.lazarus("help");
        LazarusCli.Result runHelp = system.lazarus("help", "run");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.stdout()).contains("Usage: lazarus", "130").doesNotContain("Did you mean");
        assertThat(runHelp.exitCode()).as(runHelp.toString()).isZero();
        assertThat(runHelp.stdout()).contains("Usage: lazarus run", "(or P% of").doesNotContain("P%%");
        assertThat(help.stderr() + runHelp.stderr()).doesNotContain("WARN");
    }

    @Test
    void helpAndUsageErrorsNeedNoSpringContext() throws Exception {
        // a configuration Spring cannot start with: whatever still answers did not start Spring
        LazarusCli broken = system.cli()
                .withEnvironment(Map.of(
                        "SPRING_CONFIG_IMPORT", system.file("absent.properties").toString()));

        LazarusCli.Result help = broken.run("run", "--help");
        LazarusCli.Result version = broken.run("--version");
        LazarusCli.Result usage = broken.run("run", "--script");
        LazarusCli.Result group = broken.run("ec2");
        LazarusCli.Result work = broken.run("status", "20261130-232546-b04606");

        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.stdout()).startsWith("Usage: lazarus run");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).startsWith("lazarus ");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.stderr())
                .contains("Missing required parameter for option '--script'", "see lazarus run --help");
        assertThat(group.exitCode()).as(group.toString()).isEqualTo(2);
        assertThat(group.stderr()).contains("Missing required subcommand", "see lazarus ec2 --help");
        // and the same configuration does stop a command that needs the context
        assertThat(work.exitCode()).as(work.toString()).isEqualTo(2);
        assertThat(work.stderr()).contains("lazarus: cannot start", "absent.properties");
    }

    @Test
    void listHostsPrintsTheNodesInTheInventorysOrderWithoutTouchingTheBroker() throws Exception {
        String inventory = system.write("hosts.yml", """
                all:
                  children:
                    db:
                      hosts:
                        db-2:
                          ansible_host: 10.0.0.9
                          ansible_user: postgres
                        db-1:
                          ansible_port: 2222
                    web:
                      hosts:
                        web[1:2]:
                """);
        String plain = system.write("hosts", "deploy@[2001:db8::7] name=v6 fact.zone=b fact.az=1\n");
        String script = system.write("install.sh", "true\n");
        // a broker nobody answers at: listing must not need one
        LazarusCli offline = system.cliOn("amqp://guest:guest@127.0.0.1:1");

        LazarusCli.Result listed = offline.run("run", "--inventory", inventory, "--script", script, "--list-hosts");
        LazarusCli.Result limited = offline.run(
                "run", "--inventory", inventory, "--script", script, "--list-hosts", "--limit", "web", "--json", "-");
        LazarusCli.Result withFacts = offline.run("run", "--inventory", plain, "--script", script, "--list-hosts");
        LazarusCli.Result refused =
                offline.run("run", "--inventory", inventory, "--script", script, "--list-hosts", "--wait");

        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdoutLines())
                .containsExactly(
                        "db-2 postgres@10.0.0.9:22", "db-1 root@db-1:2222", "web1 root@web1:22", "web2 root@web2:22");
        assertThat(listed.stderr()).contains("4 node(s); nothing was sent");
        assertThat(limited.exitCode()).as(limited.toString()).isZero();
        assertThat(io.lazarus.common.contract.Contracts.mapper()
                        .readTree(limited.stdout())
                        .toString())
                .isEqualTo("[{\"id\":\"web1\",\"user\":\"root\",\"host\":\"web1\",\"port\":22,\"facts\":{}},"
                        + "{\"id\":\"web2\",\"user\":\"root\",\"host\":\"web2\",\"port\":22,\"facts\":{}}]");
        assertThat(withFacts.stdoutLines()).containsExactly("v6 deploy@[2001:db8::7]:22 az=1 zone=b");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("--list-hosts only lists the nodes");
    }

    /** Issue 17, item 6: what Ansible 2.14 would select and how it would connect, through the command line. */
    @Test
    void listHostsReadsAnInventoryAsAnsibleDoes() throws Exception {
        String inventory = system.write("ansible-hosts", """
                mail.example.com
                badwolf.example.com:5309

                [web]
                web1 ansible_port=2222
                [local]
                localhost ansible_connection=local
                [all:vars]
                ansible_ssh_port=22
                """);
        String script = system.write("install.sh", "true\n");
        LazarusCli offline = system.cliOn("amqp://guest:guest@127.0.0.1:1");

        LazarusCli.Result listed = offline.run(
                "run", "--inventory", inventory, "--script", script, "--list-hosts", "--limit", "all:!local");
        LazarusCli.Result refused = offline.run("run", "--inventory", inventory, "--script", script, "--list-hosts");

        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        // ansible_ssh_port in [all:vars] beats host:5309 and ansible_port=2222, as in Ansible
        assertThat(listed.stdoutLines())
                .containsExactly(
                        "mail.example.com root@mail.example.com:22",
                        "badwolf.example.com root@badwolf.example.com:22",
                        "web1 root@web1:22");
        assertThat(listed.stderr())
                .contains("warning: " + inventory + ":7: ansible_connection=local is not supported")
                .contains("(ignored: the limit leaves out every host it concerns)");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains(inventory + ":7: ansible_connection=local is not supported");
    }

    @Test
    void aLoginTheBrokerRefusesIsNamedWithWhereItCameFromAndHowToMakeIt() throws Exception {
        String user = "gone-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        Path credentials = loginsOfAnotherBroker(user);

        LazarusCli.Result result = runOneNode(system.cliOn(withoutLogin())
                .withEnvironment(Map.of("LAZARUS_BROKER_CREDENTIALS_DIRECTORY", credentials.toString())));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr().strip())
                .doesNotContain("\n")
                .startsWith("lazarus: RabbitMQ at " + system.broker().uri().getHost() + ":"
                        + system.broker().port() + " refused the login " + user + " (from ")
                .contains(credentials.resolve("coordinator.properties").toString())
                .contains("ACCESS_REFUSED")
                .doesNotContain("..")
                .endsWith("lazarus broker setup creates it.")
                .doesNotContain("kept-for-another-broker");
    }

    /** A careless or hostile login file cannot forge a line of the command's output or drive the terminal. */
    @Test
    void aRefusedLoginsNameIsPrintedAsOneLineWithItsControlCharactersEscaped() throws Exception {
        // the file's escapes for a newline and an escape character, which its reader turns into them
        Path credentials = loginsOfAnotherBroker("gone\\n\\u001b[2Jlazarus: every node succeeded");

        LazarusCli.Result result = runOneNode(system.cliOn(withoutLogin())
                .withEnvironment(Map.of("LAZARUS_BROKER_CREDENTIALS_DIRECTORY", credentials.toString())));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr().strip())
                .doesNotContain("\n")
                .doesNotContain("\u001b")
                .contains("refused the login gone\\n\\u001b[2Jlazarus: every node succeeded (from ");
    }

    /** Install messages waiting in this test's broker; none when the queue was never declared. */
    private long installMessages() {
        try {
            return system.broker().messageCount(Topology.INSTALL_QUEUE);
        } catch (IllegalStateException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (String.valueOf(cause.getMessage()).contains("NOT_FOUND")) {
                return 0;
            }
            throw e;
        }
    }

    /** The test broker's address without a login: the login comes from the credentials file. */
    private String withoutLogin() {
        URI uri = system.broker().uri();
        return uri.getScheme() + "://" + uri.getHost() + ":" + system.broker().port() + uri.getRawPath();
    }

    /** A credentials directory naming a coordinator login this broker does not have. */
    private Path loginsOfAnotherBroker(String usernameInFile) throws Exception {
        Path credentials = Files.createDirectories(system.dir()
                .resolve("another-brokers-logins-" + ThreadLocalRandom.current().nextInt(1_000_000)));
        Files.writeString(
                credentials.resolve("coordinator.properties"),
                "spring.rabbitmq.username=" + usernameInFile + "\nspring.rabbitmq.password=kept-for-another-broker\n");
        return credentials;
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitThree() throws Exception {
        LazarusCli unreachable = system.cliOn("amqp://guest:guest@127.0.0.1:1");
        LazarusCli.Result result = runOneNode(unreachable);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr().strip())
                .doesNotContain("\n")
                .startsWith("lazarus: cannot reach RabbitMQ at 127.0.0.1:1")
                .contains("Connection refused");
        assertThat(result.stdoutLines().getFirst()).startsWith("run ");
        // the run is worked out while the broker is tried, but nothing of it is recorded before the broker answers
        assertThat(unreachable.recordedRuns()).as("runs recorded").isZero();
    }

    private LazarusCli.Result runOneNode(LazarusCli cli) throws Exception {
        return cli.run(
                "run",
                "--inventory",
                system.write("hosts", "web-1\n"),
                "--script",
                system.write("install.sh", "true\n"),
                "--wait");
    }
}
