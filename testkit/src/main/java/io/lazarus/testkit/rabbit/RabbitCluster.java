package io.lazarus.testkit.rabbit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A RabbitMQ cluster of {@link RabbitNode}s on this machine: each with its own name, ports, data and logs, one shared
 * Erlang cookie, the others joined to the first ({@code stop_app}, {@code join_cluster}, {@code start_app}). Users,
 * permissions and vhosts live in the cluster's shared schema, so {@code guest} (loopback) logs in on every node.
 * Closing it stops every node, also those a test killed and never restarted.
 */
public final class RabbitCluster implements AutoCloseable {

    private static final Pattern DRAWING = Pattern.compile("\u001B[()][0-9A-Z]|\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern WORD = Pattern.compile("[\\w.@-]{2,}");

    private final List<RabbitNode> nodes;

    private RabbitCluster(List<RabbitNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts {@code size} nodes side by side and joins them; their logs are kept in {@code keepLogsIn}. */
    public static RabbitCluster start(int size, Path keepLogsIn) {
        String cookie = RabbitNode.newCookie();
        List<RabbitNode> started = new ArrayList<>();
        RuntimeException failure = null;
        try (ExecutorService boot = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RabbitNode>> booting = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                booting.add(boot.submit(() -> RabbitNode.builder()
                        .cookie(cookie)
                        .keepLogsIn(keepLogsIn)
                        .start()));
            }
            for (Future<RabbitNode> node : booting) {
                try {
                    started.add(node.get());
                } catch (ExecutionException e) {
                    failure =
                            failure == null ? new IllegalStateException("a node did not start", e.getCause()) : failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IllegalStateException("interrupted while starting a cluster", e);
        }
        try {
            if (failure != null) {
                throw failure;
            }
            for (RabbitNode node : started.subList(1, size)) {
                node.stopApp();
                node.rabbitmqctl("join_cluster", started.getFirst().nodeName());
                node.startApp();
            }
            RabbitCluster cluster = new RabbitCluster(started);
            cluster.checkMembers();
            return cluster;
        } catch (RuntimeException e) {
            started.reversed().forEach(RabbitNode::close);
            throw e;
        }
    }

    private void checkMembers() {
        String status = nodes.getFirst().rabbitmqctl("cluster_status", "--formatter", "erlang");
        for (RabbitNode node : nodes) {
            if (!status.contains(node.nodeName())) {
                throw new IllegalStateException(node.nodeName() + " did not join the cluster: " + status);
            }
        }
    }

    public List<RabbitNode> nodes() {
        return nodes;
    }

    /** The node of this name ({@code lazarus-test-5781@localhost}). */
    public RabbitNode node(String nodeName) {
        return nodes.stream()
                .filter(n -> n.nodeName().equals(nodeName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(nodeName + " is not a node of " + this));
    }

    /** One running node, to ask about the cluster. */
    public RabbitNode anyRunning() {
        return nodes.stream()
                .filter(RabbitNode::isRunning)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
    }

    /**
     * Every node's plain listener, as {@code SPRING_RABBITMQ_ADDRESSES} takes them:
     * {@code amqp://guest:guest@127.0.0.1:P1,amqp://guest:guest@127.0.0.1:P2,...}.
     */
    public String addresses() {
        return nodes.stream().map(n -> n.amqpUri().toString()).collect(Collectors.joining(","));
    }

    /**
     * A quorum queue's members as {@code rabbitmq-queues quorum_status} reports them on a running node, each with its
     * Raft state: {@code leader}, {@code follower}, or {@code noproc} for a member whose node is down.
     */
    public List<QuorumMember> quorumStatus(String queue) {
        String table = anyRunning().tool("rabbitmq-queues", "quorum_status", queue, "--quiet");
        List<QuorumMember> members = new ArrayList<>();
        for (String line : table.strip().split("\n")) {
            // a header (Node Name, Raft State, Log Index, ...), then a row per member, in a table drawn with VT100
            // line-drawing characters (ESC ( 0 ... ESC ( B) that no --formatter of this command avoids on 3.10
            List<String> cells = WORD.matcher(DRAWING.matcher(line).replaceAll(" "))
                    .results()
                    .map(MatchResult::group)
                    .toList();
            for (int i = 0; i + 1 < cells.size(); i++) {
                if (cells.get(i).contains("@")) {
                    members.add(new QuorumMember(cells.get(i), cells.get(i + 1)));
                    break;
                }
            }
        }
        if (members.isEmpty()) {
            throw new IllegalStateException(
                    "no member of " + queue + " in rabbitmq-queues quorum_status: " + table.replace("\u001B", "ESC"));
        }
        return members;
    }

    /** The node whose member of the quorum queue is its leader. */
    public RabbitNode leaderOf(String queue) {
        return quorumStatus(queue).stream()
                .filter(QuorumMember::leads)
                .map(m -> node(m.node()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(queue + " has no leader: " + quorumStatus(queue)));
    }

    public record QuorumMember(String node, String raftState) {
        public boolean leads() {
            return raftState.equals("leader");
        }
    }

    /** Stops every node, last joined first; a node a test killed is only cleaned up. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (RabbitNode node : nodes.reversed()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "RabbitMQ cluster " + nodes;
    }
}
