package io.lazarus.coordinator.cli;

import io.lazarus.common.topology.TopologySettings;
import io.lazarus.coordinator.broker.AdminLogin;
import io.lazarus.coordinator.broker.BrokerRole;
import io.lazarus.coordinator.broker.BrokerSetup;
import io.lazarus.coordinator.broker.BrokerUser;
import io.lazarus.coordinator.broker.CredentialFiles;
import io.lazarus.coordinator.broker.Definitions;
import io.lazarus.coordinator.broker.RabbitmqctlLines;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "setup",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Creates or updates the broker users lazarus-admin, lazarus-coordinator, lazarus-worker and"
                    + " lazarus-monitoring with the least rights each needs in the vhost of --admin-uri, and declares the"
                    + " topology, as the broker's administrator.",
            "Users go through the management API when it answers, else through rabbitmqctl on this machine."
                    + " Each role's login is written to <credentials-dir>/<role>.properties (0600), which the"
                    + " worker and the coordinator import. Running it again keeps the passwords."
        })
final class BrokerSetupCommand implements Callable<Integer> {

    enum Print {
        rabbitmqctl,
        definitions
    }

    private final TopologySettings topology;

    @Option(
            names = "--admin-uri",
            paramLabel = "URI",
            defaultValue = "${env:LAZARUS_BROKER_ADMIN_URI:-amqp://guest:guest@localhost:5672/}",
            description = "an administrator's AMQP login; its path is the vhost (env LAZARUS_BROKER_ADMIN_URI,"
                    + " default amqp://guest:***@localhost:5672/)")
    String adminUri;

    @Option(
            names = "--management-url",
            paramLabel = "URL",
            defaultValue = "${env:LAZARUS_BROKER_MANAGEMENT_URL:-http://127.0.0.1:15672}",
            description = "the broker's management API (env LAZARUS_BROKER_MANAGEMENT_URL, default ${DEFAULT-VALUE})")
    URI managementUrl;

    @Option(
            names = "--via",
            defaultValue = "auto",
            paramLabel = "auto|management|rabbitmqctl",
            description = "how the users are applied (default ${DEFAULT-VALUE}: the management API if it answers,"
                    + " else rabbitmqctl)")
    BrokerSetup.Via via;

    @Option(
            names = "--rabbitmqctl",
            defaultValue = "rabbitmqctl",
            paramLabel = "PATH",
            description = "the rabbitmqctl to use (default ${DEFAULT-VALUE})")
    String rabbitmqctl;

    @Option(
            names = "--print",
            paramLabel = "rabbitmqctl|definitions",
            description = "print the rabbitmqctl lines or a definitions file (load_definitions) and touch nothing")
    Print print;

    @Option(
            names = "--credentials-dir",
            paramLabel = "DIR",
            description = "where each role's login is kept (env LAZARUS_BROKER_CREDENTIALS_DIRECTORY, default"
                    + " ~/.lazarus/broker)")
    Path credentialsDir;

    @Option(
            names = "--password-file",
            paramLabel = "ROLE=FILE",
            description = "take ROLE's password (admin, coordinator, worker, monitoring) from FILE (repeatable)")
    Map<String, Path> passwordFiles;

    @Option(names = "--rotate-passwords", description = "new passwords, instead of those kept in the credentials files")
    boolean rotate;

    @Option(names = "--show-passwords", description = "print the passwords (never printed otherwise)")
    boolean showPasswords;

    @Option(
            names = "--user-prefix",
            defaultValue = "lazarus-",
            paramLabel = "PREFIX",
            description = "the users' names are PREFIX followed by the role (default ${DEFAULT-VALUE})")
    String userPrefix;

    BrokerSetupCommand(TopologySettings topology) {
        this.topology = topology;
    }

    @Override
    public Integer call() {
        BrokerSetup.Request request = request();
        PrintStream out = System.out;
        if (print != null) {
            BrokerSetup.Planned planned = BrokerSetup.plan(request);
            out.print(
                    print == Print.rabbitmqctl
                            ? RabbitmqctlLines.script(planned.users(), showPasswords)
                            : Definitions.render(planned.users(), topology));
            if (!planned.newPasswords().isEmpty() && !showPasswords && print == Print.definitions) {
                System.err.println("lazarus: new passwords for "
                        + planned.newPasswords().stream().map(BrokerRole::word).collect(Collectors.joining(", "))
                        + " are in the hashes only: give --password-file or"
                        + " --show-passwords to know them");
            }
            return Cli.EXIT_OK;
        }
        BrokerSetup.Result result = new BrokerSetup(topology).apply(request, out);
        for (BrokerUser user : result.users().users()) {
            out.printf(
                    "%-12s %-28s %s%s%s%n",
                    user.role().word(),
                    user.name(),
                    result.files().get(user.role()),
                    result.newPasswords().contains(user.role()) ? " (new password)" : "",
                    showPasswords ? "  password " + user.password() : "");
        }
        return Cli.EXIT_OK;
    }

    private BrokerSetup.Request request() {
        AdminLogin admin;
        try {
            admin = AdminLogin.of(URI.create(adminUri));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        if (!userPrefix.matches("[A-Za-z0-9_.-]*")) {
            throw new InputException(
                    "--user-prefix may hold letters, digits, '_', '.' and '-' only, was " + userPrefix);
        }
        Map<BrokerRole, String> given = new EnumMap<>(BrokerRole.class);
        if (passwordFiles != null) {
            passwordFiles.forEach((word, file) -> {
                try {
                    String password =
                            Files.readString(file, StandardCharsets.UTF_8).strip();
                    if (password.isEmpty()) {
                        throw new InputException("--password-file " + word + "=" + file + ": the file is empty");
                    }
                    given.put(BrokerRole.of(word), password);
                } catch (IllegalArgumentException e) {
                    throw new InputException("--password-file: " + e.getMessage());
                } catch (IOException e) {
                    throw new InputException("--password-file " + word + "=" + file + ": cannot read it (" + e + ")");
                }
            });
        }
        return new BrokerSetup.Request(
                admin,
                managementUrl,
                via,
                rabbitmqctl,
                userPrefix,
                new CredentialFiles(credentialsDir != null ? credentialsDir : CredentialFiles.defaultDirectory()),
                given,
                rotate);
    }
}
