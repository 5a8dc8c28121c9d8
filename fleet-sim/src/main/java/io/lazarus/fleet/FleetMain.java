package io.lazarus.fleet;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** The demo fleet: {@code java -jar fleet-sim/target/lazarus-fleet-sim.jar --nodes 50 --authorized-key ~/.ssh/id_ecdsa.pub}. */
@Command(name = "lazarus-fleet-sim", mixinStandardHelpOptions = true,
        description = "Serves a fleet of simulated SSH nodes on loopback addresses 127.<subnet>.x.y until stopped.")
public final class FleetMain implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "50", description = "nodes that install successfully (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--failing", defaultValue = "0", description = "extra nodes whose install exits 100 like a broken apt-get")
    int failing;

    @Option(names = "--unreachable", defaultValue = "0", description = "extra nodes that refuse connections")
    int unreachable;

    @Option(names = "--subnet", defaultValue = "200", description = "second octet of the addresses (default ${DEFAULT-VALUE})")
    int subnet;

    @Option(names = "--port", defaultValue = "2222", description = "SSH port of every node (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--output-lines", defaultValue = "5", description = "lines each install prints")
    int outputLines;

    @Option(names = "--output-interval", defaultValue = "PT0.2S", description = "pause between lines (ISO-8601, default ${DEFAULT-VALUE})")
    Duration outputInterval;

    @Option(names = "--authorized-key", required = true, description = "OpenSSH public key file the nodes accept")
    Path authorizedKey;

    @Option(names = "--inventory", description = "write a Lazarus inventory of the fleet to this file")
    Path inventory;

    @Option(names = "--user", defaultValue = "lazarus", description = "user written into the inventory")
    String user;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(authorizedKey)) {
            System.err.println("lazarus-fleet-sim: cannot read --authorized-key " + authorizedKey);
            return 2;
        }
        SimulatedFleet.Builder builder = SimulatedFleet.builder().subnet(subnet).port(port)
                .authorizedKey(Files.readString(authorizedKey))
                .nodes(nodes, NodeBehavior.succeedSlowly(outputLines, outputInterval))
                .nodes(failing, NodeBehavior.aptFailure())
                .nodes(unreachable, NodeBehavior.refuseConnection());
        try (SimulatedFleet fleet = builder.start()) {
            if (inventory != null) {
                fleet.writeInventory(inventory, user);
            }
            System.out.printf("serving %d simulated nodes on 127.%d.x.y:%d%s%n", fleet.nodes().size(), subnet, port,
                    inventory == null ? "" : "; inventory in " + inventory);
            Runtime.getRuntime().addShutdownHook(new Thread(fleet::close));
            long reported = -1;
            while (true) {
                long ran = fleet.nodes().stream().mapToLong(n -> n.executions().size()).sum();
                if (ran != reported) {
                    System.out.printf("%d commands run so far%n", ran);
                    reported = ran;
                }
                Thread.sleep(5_000);
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetMain()).execute(args));
    }
}
