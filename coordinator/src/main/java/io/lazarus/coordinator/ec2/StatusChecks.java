package io.lazarus.coordinator.ec2;

import io.lazarus.coordinator.run.ProgressLine;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;

/**
 * Waits until new instances are running and pass both status checks, asking DescribeInstanceStatus about at most 100
 * of them a call (its limit) and only about those still undecided. An instance whose check is impaired, or that
 * stops or terminates, is dead on arrival at once; one still undecided when the wait ends is dead on arrival too.
 */
final class StatusChecks {

    static final int IDS_PER_CALL = 100;
    private static final Set<String> GONE = Set.of("shutting-down", "terminated", "stopping", "stopped");
    private static final String NOT_FOUND = "InvalidInstanceID.NotFound";

    private final Ec2Session session;
    private final Duration pollInterval;

    StatusChecks(Ec2Session session, Duration pollInterval) {
        this.session = session;
        this.pollInterval = pollInterval;
    }

    /** How the wait ended: who passed, and why each of the others is dead on arrival. */
    record Outcome(List<String> passed, Map<String, String> dead) {}

    Outcome await(List<String> ids, Duration timeout, PrintStream out) throws InterruptedException {
        Instant started = Instant.now();
        Instant until = started.plus(timeout);
        Map<String, String> waiting = new LinkedHashMap<>();
        ids.forEach(id -> waiting.put(id, "not visible yet"));
        List<String> passed = new ArrayList<>();
        Map<String, String> dead = new LinkedHashMap<>();
        ProgressLine progress = new ProgressLine(out, pollInterval);
        while (!waiting.isEmpty()) {
            for (List<String> chunk : Ec2Calls.chunks(List.copyOf(waiting.keySet()), IDS_PER_CALL)) {
                for (InstanceStatus status : poll(chunk, out)) {
                    String id = status.instanceId();
                    if (!waiting.containsKey(id)) {
                        continue;
                    }
                    Verdict verdict = verdict(status);
                    switch (verdict.stage()) {
                        case PASSED -> {
                            waiting.remove(id);
                            passed.add(id);
                        }
                        case DEAD -> {
                            waiting.remove(id);
                            dead.put(id, verdict.text());
                        }
                        case WAITING -> waiting.put(id, verdict.text());
                    }
                }
            }
            boolean over =
                    waiting.isEmpty() || !Instant.now().plus(pollInterval).isBefore(until);
            progress.maybe(() -> line(started, ids.size(), passed.size(), dead.size(), waiting), over);
            if (over) {
                break;
            }
            Thread.sleep(pollInterval.toMillis());
        }
        waiting.forEach((id, last) -> dead.put(
                id, "did not pass its status checks within " + timeout.toSeconds() + "s (last seen: " + last + ")"));
        return new Outcome(List.copyOf(passed), dead);
    }

    /** One call; an instance EC2 does not show yet, or a passing failure, leaves the chunk for the next round. */
    private List<InstanceStatus> poll(List<String> chunk, PrintStream out) {
        DescribeInstanceStatusRequest request = DescribeInstanceStatusRequest.builder()
                .instanceIds(chunk)
                .includeAllInstances(true)
                .build();
        try {
            // the paginator follows EC2's tokens should it page even an answer about named ids
            return Ec2Calls.call(
                    "DescribeInstanceStatus",
                    () -> session.client().describeInstanceStatusPaginator(request).instanceStatuses().stream()
                            .toList());
        } catch (Ec2Exception e) {
            // new instances reach DescribeInstanceStatus a moment after RunInstances returns them
            if (NOT_FOUND.equals(e.code())) {
                return List.of();
            }
            if (!Ec2Calls.passing(e)) {
                throw e;
            }
            out.println("status checks: " + e.getMessage() + "; asking again next round");
            return List.of();
        }
    }

    private record Verdict(Stage stage, String text) {
        enum Stage {
            PASSED,
            DEAD,
            WAITING
        }
    }

    private static Verdict verdict(InstanceStatus status) {
        String state = status.instanceState() != null ? status.instanceState().nameAsString() : "unknown";
        if (GONE.contains(state)) {
            return new Verdict(Verdict.Stage.DEAD, "went " + state + " before passing its status checks");
        }
        String instance = summary(status.instanceStatus());
        String system = summary(status.systemStatus());
        if (instance.equals("impaired") || system.equals("impaired")) {
            return new Verdict(
                    Verdict.Stage.DEAD, (system.equals("impaired") ? "system" : "instance") + " status check impaired");
        }
        if (state.equals("running") && instance.equals("ok") && system.equals("ok")) {
            return new Verdict(Verdict.Stage.PASSED, "");
        }
        return new Verdict(Verdict.Stage.WAITING, state + ", instance " + instance + ", system " + system);
    }

    private static String summary(InstanceStatusSummary summary) {
        return summary != null && summary.status() != null ? summary.statusAsString() : "unknown";
    }

    private static String line(Instant started, int total, int passed, int dead, Map<String, String> waiting) {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        Map<String, Integer> stages = new TreeMap<>();
        waiting.values().forEach(stage -> stages.merge(stage, 1, Integer::sum));
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT,
                "[%02d:%02d] status checks: %d/%d passed, %d dead on arrival",
                seconds / 60,
                seconds % 60,
                passed,
                total,
                dead));
        stages.forEach(
                (stage, count) -> text.append("; ").append(count).append(' ').append(stage));
        return text.toString();
    }
}
