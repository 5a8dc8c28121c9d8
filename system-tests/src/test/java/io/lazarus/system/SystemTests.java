package io.lazarus.system;

import io.lazarus.common.topology.Topology;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.WorkerProcess;

import java.util.List;

/** What every system test class does around its tests: start from the topology it declares, and clean up after. */
final class SystemTests {

    private SystemTests() {
    }

    /** Deletes Lazarus's queues and exchanges, so the test's processes declare them afresh. */
    static void freshTopology(RabbitBroker broker) {
        broker.delete(Topology.QUEUES, Topology.EXCHANGES);
    }

    /** Stops the worker, then the fleet; either may never have started. */
    static void stop(WorkerProcess worker, SimulatedFleet fleet) throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }
}
