package io.lazarus.coordinator.report;

import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.UploadResult;
import io.lazarus.common.trust.Printable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The readable summary a person sees at the end of a run. */
public final class SummaryPrinter {

    /** The service's answer with the summary says in this header whether every node succeeded: the exit code. */
    public static final String ALL_SUCCEEDED_HEADER = "Lazarus-All-Succeeded";

    private static final int LISTED_FAILURES = 50;
    private static final int VAR_VALUE_SHOWN = 60;

    private SummaryPrinter() {}

    private static void learnedStall(RunReport report, PrintStream out) {
        for (LearnedStall learned : report.learnedStall()) {
            out.printf(
                    Locale.ROOT,
                    "stall timeout of command %d: %.1fs, learned from %d successful run(s)%n",
                    learned.command() + 1,
                    learned.timeoutMs() / 1000.0,
                    learned.samples());
        }
    }

    /** The summary as {@link #print} prints it. */
    public static String text(RunReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8)) {
            print(report, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public static void print(RunReport report, PrintStream out) {
        int open = report.states().getOrDefault(NodeState.PENDING, 0)
                + report.states().getOrDefault(NodeState.RUNNING, 0);
        if (open == 0) {
            out.printf(
                    Locale.ROOT,
                    "run %s finished in %.1fs: %d nodes%n",
                    report.runId(),
                    report.elapsed().toMillis() / 1000.0,
                    report.total());
        } else {
            out.printf(
                    Locale.ROOT,
                    "run %s as it stands after %.1fs: %d nodes, %d without an outcome yet%n",
                    report.runId(),
                    report.elapsed().toMillis() / 1000.0,
                    report.total(),
                    open);
        }
        vars(report, out);
        for (Map.Entry<String, Integer> entry : report.summary().entrySet()) {
            out.printf(Locale.ROOT, "  %-18s %6d%n", entry.getKey(), entry.getValue());
        }
        Reconciliation books = report.reconciliation();
        if (books != null) {
            out.println("books: " + books.line());
        }
        hostKeys(report, out);
        uploads(report, out);
        learnedStall(report, out);
        List<NodeReport> repeated =
                report.nodes().stream().filter(NodeReport::executedMoreThanOnce).toList();
        if (!repeated.isEmpty()) {
            out.println("executed more than once (a message redelivered after a failure, or replayed):");
            repeated.stream()
                    .limit(LISTED_FAILURES)
                    .forEach(n -> out.printf(
                            Locale.ROOT,
                            "  %s: %d executions for %d attempt(s)%n",
                            n.node(),
                            n.executions(),
                            Math.max(1, n.attempts())));
        }
        List<NodeReport> failed = report.nodes().stream()
                .filter(n -> n.state() != NodeState.SUCCEEDED)
                .toList();
        if (!failed.isEmpty()) {
            out.println("not succeeded:");
            failed.stream()
                    .limit(LISTED_FAILURES)
                    .forEach(n -> out.printf(
                            Locale.ROOT,
                            "  %s (%s:%d) %s%s%n",
                            n.node(),
                            n.host(),
                            n.port(),
                            n.outcome() != null ? n.outcome() : n.state(),
                            n.reason().isEmpty() ? "" : ": " + n.reason()));
            if (failed.size() > LISTED_FAILURES) {
                out.printf("  ... and %d more (see the JSON report)%n", failed.size() - LISTED_FAILURES);
            }
            whatNext(report, failed, out);
        }
        hostKeyWarnings(report, out);
    }

    /** The run's variables on one line, each value cut short: the JSON report has them whole. */
    private static void vars(RunReport report, PrintStream out) {
        if (!report.vars().isEmpty()) {
            List<String> shown = new ArrayList<>();
            report.vars().forEach((key, value) -> shown.add(key + "=" + Printable.of(value, VAR_VALUE_SHOWN)));
            out.println("vars: " + String.join(" ", shown));
        }
    }

    /** How the nodes' host keys were verified: a run that verified nothing must not read like one that verified all. */
    private static void hostKeys(RunReport report, PrintStream out) {
        Map<HostKeyCheck, Integer> counts = new EnumMap<>(HostKeyCheck.class);
        int unchecked = 0;
        for (NodeReport node : report.nodes()) {
            if (node.hostKey() == null) {
                unchecked++;
            } else {
                counts.merge(node.hostKey(), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((check, count) -> parts.add(count + " " + check.words()));
        if (unchecked > 0) {
            parts.add(unchecked + " no key accepted");
        }
        out.println("host keys: " + String.join(", ", parts));
    }

    /** Per uploaded file: how many nodes got it, and how long it took them (median and slowest). */
    private static void uploads(RunReport report, PrintStream out) {
        Map<String, List<UploadOnNode>> byPath = new java.util.TreeMap<>();
        for (NodeReport node : report.nodes()) {
            for (UploadResult upload : node.uploads()) {
                byPath.computeIfAbsent(upload.remotePath(), path -> new ArrayList<>())
                        .add(new UploadOnNode(node.node(), upload));
            }
        }
        byPath.forEach((path, sent) -> {
            sent.sort(java.util.Comparator.comparingLong(u -> u.upload().durationMs()));
            UploadOnNode slowest = sent.getLast();
            out.printf(
                    Locale.ROOT,
                    "uploaded %s (%d bytes) to %d node(s): median %d ms, slowest %d ms (%s)%n",
                    path,
                    slowest.upload().bytes(),
                    sent.size(),
                    sent.get((sent.size() - 1) / 2).upload().durationMs(),
                    slowest.upload().durationMs(),
                    slowest.node());
        });
    }

    private record UploadOnNode(String node, UploadResult upload) {}

    /** The last lines of the summary, where a CI log is read: every node whose key was not checked against a record. */
    private static void hostKeyWarnings(RunReport report, PrintStream out) {
        List<String> unverified = withHostKey(report, HostKeyCheck.NOT_VERIFIED);
        List<String> firstUse = withHostKey(report, HostKeyCheck.NEW_RECORDED);
        if (!firstUse.isEmpty()) {
            out.printf(
                    "WARNING: host keys of %d node(s) were trusted on first use and recorded (accept-new), not"
                            + " checked against a known key: %s%n",
                    firstUse.size(), listed(firstUse));
        }
        if (!unverified.isEmpty()) {
            out.printf(
                    "WARNING: host keys of %d node(s) were NOT verified (host-key-policy=off): anyone on the path"
                            + " could have answered for them: %s%n",
                    unverified.size(), listed(unverified));
        }
    }

    private static List<String> withHostKey(RunReport report, HostKeyCheck check) {
        return report.nodes().stream()
                .filter(n -> n.hostKey() == check)
                .map(NodeReport::node)
                .toList();
    }

    /** Which of the nodes that did not succeed may still come back, which never will, and what brings them back. */
    private static void whatNext(RunReport report, List<NodeReport> failed, PrintStream out) {
        List<String> waiting = ids(failed, NodeState.DEAD_LETTERED);
        List<String> quarantined = ids(failed, NodeState.QUARANTINED);
        List<String> last = failed.stream()
                .filter(n -> n.state() == NodeState.FAILED
                        || n.state() == NodeState.GHOST
                        || n.state() == NodeState.CANCELLED)
                .map(NodeReport::node)
                .toList();
        if (!waiting.isEmpty()) {
            out.printf(
                    "waiting for resurrection (in lazarus.resurrection): %d node(s): %s%n  bring them back with:"
                            + " lazarus resurrect --run %s%n",
                    waiting.size(), listed(waiting), report.runId());
        }
        if (!quarantined.isEmpty()) {
            out.printf(
                    "quarantined (resurrection limit reached): %d node(s): %s%n  see lazarus quarantine list --run %s;"
                            + " lazarus quarantine release --run %s brings them back%n",
                    quarantined.size(), listed(quarantined), report.runId(), report.runId());
        }
        if (!last.isEmpty()) {
            out.printf(
                    "final (not resurrected): %d node(s): %s%n  fix the cause, then lazarus rerun %s (the whole run"
                            + " again)%n",
                    last.size(), listed(last), report.runId());
        }
    }

    private static List<String> ids(List<NodeReport> nodes, NodeState state) {
        return nodes.stream()
                .filter(n -> n.state() == state)
                .map(NodeReport::node)
                .toList();
    }

    private static String listed(List<String> ids) {
        return ids.size() <= 10
                ? String.join(", ", ids)
                : String.join(", ", ids.subList(0, 10)) + " and " + (ids.size() - 10) + " more";
    }
}
