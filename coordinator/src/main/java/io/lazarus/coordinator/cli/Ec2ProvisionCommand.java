package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.ec2.AddressKind;
import io.lazarus.coordinator.ec2.Ec2Clients;
import io.lazarus.coordinator.ec2.Ec2Instance;
import io.lazarus.coordinator.ec2.Ec2Inventory;
import io.lazarus.coordinator.ec2.Ec2Nodes;
import io.lazarus.coordinator.ec2.Ec2Provisioner;
import io.lazarus.coordinator.ec2.Ec2Session;
import io.lazarus.coordinator.run.RunIds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "provision",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Launches EC2 instances for a run, each tagged lazarus:run=RUN, waits until they pass their"
                + " status checks, and writes the ready ones as an inventory.")
final class Ec2ProvisionCommand implements Callable<Integer> {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");
    private static final int MAX_COUNT = 10_000;

    private final Ec2Clients clients;

    @Option(names = "--count", required = true, paramLabel = "N", description = "instances to launch")
    int count;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "instance type, for example t3.micro")
    String type;

    @Option(names = "--ami", required = true, paramLabel = "AMI", description = "image id (ami-...)")
    String ami;

    @Option(
            names = "--key-name",
            required = true,
            paramLabel = "KEY",
            description = "EC2 key pair the workers log in with")
    String keyName;

    @Option(
            names = "--security-group",
            required = true,
            paramLabel = "SG",
            description = "security group id (sg-...); SSH from --ssh-cidr is added to it unless it is there")
    String securityGroup;

    @Option(
            names = "--ssh-cidr",
            required = true,
            paramLabel = "CIDR",
            description = "where SSH may come from: the workers' network (10.0.0.0/16) or address (203.0.113.7/32);"
                    + " repeat for more. Never assumed: 0.0.0.0/0 opens SSH to the internet and must be asked for")
    List<String> sshCidrs;

    @Option(names = "--subnet", paramLabel = "SUBNET", description = "subnet id (default: the default VPC's choice)")
    String subnet;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "another instance tag; repeat for more")
    List<String> tags = List.of();

    @Option(
            names = "--run-id",
            paramLabel = "RUN",
            description = "the run the instances belong to (default: a new id); provisioning again with the same id"
                    + " launches nothing twice")
    String runId;

    @Option(names = "--out", paramLabel = "FILE", description = "write the ready instances here as an inventory")
    Path out;

    @Option(
            names = "--user",
            paramLabel = "USER",
            description = "login user written into the inventory (ec2-user, ubuntu...; default: run's --user decides)")
    String user;

    @Option(
            names = "--port",
            defaultValue = "22",
            paramLabel = "PORT",
            description = "SSH port written into the inventory (default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--address",
            paramLabel = "private|public",
            description = "the address the inventory names (default private: workers in the VPC)")
    AddressKind address;

    @Option(
            names = "--wait-timeout",
            defaultValue = "10m",
            converter = RunCommand.DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "an instance that has not passed its status checks by then is dead on arrival (default ${DEFAULT-VALUE})")
    Duration waitTimeout;

    @Option(
            names = "--terminate-dead-on-arrival",
            description =
                    "terminate the instances that never passed their status checks (default: keep them to look at)")
    boolean terminateDeadOnArrival;

    @Mixin
    Ec2Options ec2;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "serve /actuator/prometheus on this port while the command runs (on 127.0.0.1 unless"
                    + " --metrics-address says otherwise)")
    Integer metricsPort;

    // read before Spring starts (Cli.metricsAddress); declared here so that picocli accepts it and --help shows it
    @Option(
            names = "--metrics-address",
            paramLabel = "ADDRESS",
            description =
                    "with --metrics-port: the address it listens on (default 127.0.0.1; 0.0.0.0 for every interface)")
    String metricsAddress;

    Ec2ProvisionCommand(Ec2Clients clients) {
        this.clients = clients;
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > MAX_COUNT) {
            throw new InputException("--count must be 1.." + MAX_COUNT + ", was " + count);
        }
        if (port < 1 || port > 65535) {
            throw new InputException("--port must be 1..65535, was " + port);
        }
        if (runId != null && !RUN_ID.matcher(runId).matches()) {
            throw new InputException("--run-id '" + runId + "': letters, digits, '.', '_', '-'; at most 50");
        }
        String run = runId != null ? runId : RunIds.next();
        Ec2Provisioner.Request request = new Ec2Provisioner.Request(
                run,
                count,
                type,
                ami,
                keyName,
                securityGroup,
                subnet,
                tags(),
                sshCidrs,
                waitTimeout,
                terminateDeadOnArrival);
        AddressKind kind = address != null ? address : AddressKind.PRIVATE;
        PrintStream stdout = System.out;
        stdout.println("run " + run);
        try (Ec2Session session = clients.open(ec2.overrides())) {
            stdout.printf("launching %d %s instance(s) of %s in %s%n", count, type, ami, session.region());
            Ec2Provisioner.Result result = new Ec2Provisioner(session).provision(request, stdout);
            Ec2Nodes nodes = Ec2Nodes.of(result.ready(), kind, user, port);
            if (out != null) {
                write(result, nodes, session.region());
            }
            report(result, nodes, session, stdout);
            return result.complete() && nodes.unaddressable().isEmpty() ? Cli.EXIT_OK : Cli.EXIT_NODES_FAILED;
        }
    }

    private Map<String, String> tags() {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String tag : tags) {
            int eq = tag.indexOf('=');
            String key = eq < 0 ? "" : tag.substring(0, eq);
            if (key.isBlank()) {
                throw new InputException("--tag '" + tag + "': expected KEY=VALUE, for example team=platform");
            }
            if (key.startsWith("aws:") || key.equals(Ec2Instance.RUN_TAG)) {
                throw new InputException("--tag '" + tag + "': " + key + " is not yours to set");
            }
            parsed.put(key, tag.substring(eq + 1));
        }
        return parsed;
    }

    private void write(Ec2Provisioner.Result result, Ec2Nodes nodes, String region) throws IOException {
        String text = Ec2Inventory.render(
                List.of(
                        "lazarus ec2 provision: run " + result.runId() + ", region " + region + ", " + Instant.now(),
                        nodes.nodes().size() + " ready instance(s) of " + result.requested() + " asked"),
                nodes.lines());
        Files.writeString(out, text);
    }

    private void report(Ec2Provisioner.Result result, Ec2Nodes nodes, Ec2Session session, PrintStream stdout) {
        stdout.printf(
                "run %s in %s: %d asked, %d launched, %d ready, %d dead on arrival%n",
                result.runId(),
                session.region(),
                result.requested(),
                result.launched(),
                result.ready().size(),
                result.deadOnArrival().size());
        if (!result.deadOnArrival().isEmpty()) {
            stdout.println("dead on arrival (never passed its status checks; not in the inventory):");
            result.deadOnArrival().forEach((id, why) -> stdout.println("  " + id + ": " + why));
        }
        if (!result.terminated().isEmpty()) {
            stdout.println("terminated, being dead on arrival:");
            result.terminated().forEach(t -> stdout.println("  " + t));
        }
        if (!result.shortfalls().isEmpty()) {
            stdout.println("not launched:");
            result.shortfalls().forEach(s -> stdout.println("  " + s));
        }
        if (!nodes.unaddressable().isEmpty()) {
            stdout.println("not in the inventory:");
            nodes.unaddressableLines().forEach(l -> stdout.println("  " + l));
        }
        if (out != null) {
            stdout.printf("inventory: %s (%d node(s))%n", out, nodes.nodes().size());
        }
        stdout.printf(
                "throttled EC2 calls: %d (retried with backoff)%n",
                session.throttles().count());
        stdout.println("install on them: lazarus run --ec2-filter tag:" + Ec2Instance.RUN_TAG + "=" + result.runId()
                + " --script FILE --wait");
        stdout.println("terminate them:  lazarus ec2 terminate --run " + result.runId());
    }
}
