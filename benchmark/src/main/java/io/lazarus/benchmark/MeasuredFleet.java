package io.lazarus.benchmark;

import java.time.Duration;
import java.util.List;

/** The SSH fleet a benchmark runs its installs on: its nodes, how they log in, what they run and what they cost. */
interface MeasuredFleet extends AutoCloseable {

    /** {@code simulated} or {@code openssh}, as the result file names it. */
    String kind();

    /** What serves the nodes, for the line printed when the fleet is up. */
    String description();

    List<FleetNode> nodes();

    /** The user every node logs in. */
    String user();

    /** The install every node runs: the benchmark's script, one command. */
    String installCommand();

    /** How many installs these nodes have started so far; -1 when the fleet cannot tell. */
    long installsStarted(List<FleetNode> nodes);

    /**
     * Milliseconds from {@code from} to each node's first install start since then, ascending; empty when the fleet
     * cannot tell. A node that has not started since is left out.
     */
    long[] millisToStart(List<FleetNode> nodes, java.time.Instant from);

    /** Processes of its own serving the fleet (0: it runs inside the benchmark's JVM). */
    int processes();

    /** CPU time those processes used so far, their finished sessions and installs included. */
    Duration processCpu();

    @Override
    void close();
}
