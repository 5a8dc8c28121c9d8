package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.ec2.Ec2Clients;
import io.lazarus.coordinator.ec2.Ec2Filters;
import io.lazarus.coordinator.ec2.Ec2Instance;
import io.lazarus.coordinator.ec2.Ec2Session;
import io.lazarus.coordinator.ec2.Ec2Terminator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ec2.model.Filter;

@Command(
        name = "terminate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Terminates the EC2 instances of a run (or those matching filters); only instances Lazarus"
                + " launched, tagged " + Ec2Instance.RUN_TAG + ", are ever terminated.")
final class Ec2TerminateCommand implements Callable<Integer> {

    private final Ec2Clients clients;

    @Option(names = "--run", paramLabel = "RUN", description = "the run whose instances to terminate")
    String runId;

    @Option(
            names = "--filter",
            paramLabel = "FILTER",
            description = "DescribeInstances filter, as for run --ec2-filter; repeat for more (all must match)")
    List<String> filters = List.of();

    @Option(
            names = "--dry-run",
            description =
                    "list what would be terminated and ask EC2 (DryRun) whether the credentials may; terminate nothing")
    boolean dryRun;

    @Mixin
    Ec2Options ec2;

    Ec2TerminateCommand(Ec2Clients clients) {
        this.clients = clients;
    }

    @Override
    public Integer call() {
        if (runId == null && filters.isEmpty()) {
            throw new InputException("name the instances: --run RUN, or --filter FILTER");
        }
        List<Filter> all = new ArrayList<>(Ec2Filters.parse("--filter", filters));
        if (runId != null) {
            all.add(Ec2Terminator.run(runId));
        }
        PrintStream out = System.out;
        try (Ec2Session session = clients.open(ec2.overrides())) {
            Ec2Terminator terminator = new Ec2Terminator(session);
            List<Ec2Instance> found = terminator.find("--filter", all);
            String what =
                    String.join(" ", all.stream().map(Ec2Filters::describe).toList());
            if (found.isEmpty()) {
                out.printf(
                        "no instance launched by Lazarus matches %s in %s: nothing to terminate%n",
                        what, session.region());
            } else {
                out.printf("%d instance(s) match %s in %s:%n", found.size(), what, session.region());
                found.forEach(i -> out.println("  " + i.describe()));
                List<String> ids = found.stream().map(Ec2Instance::id).toList();
                if (dryRun) {
                    terminator.checkPermission(ids);
                    out.println("dry run: EC2 confirms the credentials may terminate them (DryRunOperation);"
                            + " nothing was terminated");
                } else {
                    List<Ec2Terminator.Transition> transitions = terminator.terminate(ids);
                    out.printf("terminated %d instance(s):%n", transitions.size());
                    transitions.forEach(t -> out.println("  " + t));
                }
            }
            out.printf(
                    "throttled EC2 calls: %d (retried with backoff)%n",
                    session.throttles().count());
            return Cli.EXIT_OK;
        }
    }
}
