package io.lazarus.fleet;

import io.lazarus.fleet.Execution.Ending;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One node of a {@link SimulatedFleet}: its own loopback address (or, on a shared address, its own port), host key,
 * behaviour and execution record. {@link #address()} is where clients reach it.
 */
public final class SimulatedNode {

    private final String id;
    private final String address;
    private final int port;
    private final NodeBehavior behavior;
    private final PublicKey advertisedHostKey;
    private final AtomicReference<KeyPair> hostKey;
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final AtomicInteger commands = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private final Object ended = new Object();

    /** {@code hostKey} is the key the fleet advertises; a {@link NodeBehavior.Fault#CHANGED_HOST_KEY} node presents another. */
    SimulatedNode(String id, String address, int port, NodeBehavior behavior, KeyPair hostKey) {
        this.id = id;
        this.address = address;
        this.port = port;
        this.behavior = behavior;
        this.advertisedHostKey = hostKey.getPublic();
        this.hostKey = new AtomicReference<>(
                behavior.fault() == NodeBehavior.Fault.CHANGED_HOST_KEY ? HostKeys.generate() : hostKey);
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public NodeBehavior behavior() {
        return behavior;
    }

    /** The host key the node presents right now. */
    public KeyPair hostKey() {
        return hostKey.get();
    }

    /**
     * The host key an operator recorded for this node when the fleet started, as {@link SimulatedFleet#writeKnownHosts}
     * writes it. It differs from {@link #hostKey()} for a {@link NodeBehavior.Fault#CHANGED_HOST_KEY} node and after
     * {@link #changeHostKey()}.
     */
    public PublicKey advertisedHostKey() {
        return advertisedHostKey;
    }

    /** Simulates a re-imaged node: from now on it presents a different host key. */
    public void changeHostKey() {
        hostKey.set(HostKeys.generate());
    }

    /** Every command this node started, in order, each as it has ended so far. */
    public List<Execution> executions() {
        return runs.stream().map(Run::execution).toList();
    }

    /** How many commands are running on this node right now. */
    public int running() {
        return (int) runs.stream()
                .filter(run -> run.execution().ending() == Ending.RUNNING)
                .count();
    }

    /** Waits until no command runs on this node; false if some still runs after {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ended) {
            while (running() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(ended, left);
            }
            return true;
        }
    }

    /** How many SSH connections to this node are open right now, authenticated or not. */
    public int openSessions() {
        return sessions.get();
    }

    void sessionOpened() {
        sessions.incrementAndGet();
    }

    void sessionClosed() {
        sessions.decrementAndGet();
    }

    /** Records a command as started and returns it, with how it answers: a flaky node answers by its count. */
    Run start(String user, String command) {
        NodeBehavior answer = behavior.forCommand(commands.incrementAndGet());
        Run run = new Run(answer, new Execution(user, command, Instant.now(), answer.exitCode(), Ending.RUNNING));
        runs.add(run);
        return run;
    }

    /** The inventory line for this node: {@code user@address:port name=id}. */
    public String inventoryLine(String user) {
        return user + "@" + address + ":" + port + " name=" + id;
    }

    /** A command this node runs: how it answers, and its execution record, which ends once. */
    final class Run {
        private final NodeBehavior answer;
        private final AtomicReference<Execution> execution;

        private Run(NodeBehavior answer, Execution execution) {
            this.answer = answer;
            this.execution = new AtomicReference<>(execution);
        }

        NodeBehavior answer() {
            return answer;
        }

        Execution execution() {
            return execution.get();
        }

        /** Records how the command ended unless it already has; true if this call did. */
        boolean end(Ending ending) {
            Execution running = execution.get();
            if (running.ending() != Ending.RUNNING || !execution.compareAndSet(running, running.endedAs(ending))) {
                return false;
            }
            synchronized (ended) {
                ended.notifyAll();
            }
            return true;
        }
    }
}
