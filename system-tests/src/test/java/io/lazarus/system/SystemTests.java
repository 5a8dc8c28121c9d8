package io.lazarus.system;

import io.lazarus.common.topology.Topology;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.WorkerProcess;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

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

    /** Waits until {@code condition} holds; fails saying {@code what} did not happen within {@code timeout}. */
    static void awaitTrue(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** An IPv4 address of this machine that is not loopback, if it has one: where a loopback-only port must not answer. */
    static java.util.Optional<java.net.InetAddress> nonLoopbackAddress() throws java.io.IOException {
        return java.net.NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(java.net.NetworkInterface::inetAddresses).filter(a -> a instanceof java.net.Inet4Address).findFirst();
    }

    /** Whether something accepts connections on {@code address:port}. */
    static boolean listens(java.net.InetAddress address, int port) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), 2000);
            return true;
        } catch (java.net.ConnectException refused) {
            return false;
        }
    }
}
