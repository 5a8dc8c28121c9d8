package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.DrainReport;
import io.lazarus.coordinator.resurrection.DrainRequest;
import io.lazarus.coordinator.resurrection.Judged;
import io.lazarus.coordinator.resurrection.Quarantine;
import io.lazarus.coordinator.resurrection.ResurrectionDrain;
import io.lazarus.coordinator.service.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The dead-letter and quarantine page: every resurrection candidate with what the gatekeeper would do with it (a dry
 * run), every quarantined node with what a release would do, and the buttons that do it ({@code operate} scope).
 */
@Controller
@RequestMapping("/dashboard/parked")
@ConditionalOnProperty("lazarus.service.enabled")
class ParkedController {

    private static final String FLASH = ParkedController.class.getName() + ".flash";
    private static final int SHOWN = 500;

    private final ResurrectionDrain drain;
    private final Quarantine quarantine;
    /** A pass holds every message it saw until it ends: two at once would each see part of the queue. */
    private final ReentrantLock passes = new ReentrantLock();

    ParkedController(ResurrectionDrain drain, Quarantine quarantine) {
        this.drain = drain;
        this.quarantine = quarantine;
    }

    @GetMapping
    String page(
            @RequestParam Optional<String> run,
            @RequestParam Optional<Integer> limit,
            @RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn,
            HttpSession session,
            Model model) {
        Optional<String> only = run.filter(id -> !id.isBlank()).map(ParkedController::bounded);
        int resurrectionLimit = limit(limit);
        DrainReport preview = exclusively(() -> drain.drain(
                DrainRequest.byOperator(only, candidate -> true, SHOWN, true, resurrectionLimit), judged -> {}));
        List<Quarantine.Released> parked = exclusively(() -> quarantine.release(ofRun(only), true));
        model.addAttribute("signedIn", signedIn);
        model.addAttribute("canOperate", signedIn.may(Scope.OPERATE));
        model.addAttribute("run", only.orElse(""));
        model.addAttribute("limit", resurrectionLimit);
        model.addAttribute("defaultLimit", drain.limit());
        model.addAttribute("candidates", CandidateGroup.byRun(preview.judged()));
        model.addAttribute("candidateCount", preview.judged().size());
        model.addAttribute("capped", preview.judged().size() == SHOWN);
        model.addAttribute(
                "quarantined", parked.stream().map(QuarantinedRow::of).toList());
        model.addAttribute("flash", session.getAttribute(FLASH));
        session.removeAttribute(FLASH);
        return "dashboard/parked";
    }

    @PostMapping("/resurrect")
    String resurrect(
            @RequestParam String run,
            @RequestParam Optional<String> node,
            @RequestParam Optional<Integer> limit,
            @RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn,
            HttpServletRequest request) {
        signedIn.require(Scope.OPERATE, "resurrecting");
        String runId = bounded(run);
        int resurrectionLimit = limit(limit);
        List<String> lines = new ArrayList<>();
        DrainReport report = exclusively(() -> drain.drain(
                DrainRequest.byOperator(Optional.of(runId), ofNode(node), Integer.MAX_VALUE, false, resurrectionLimit),
                (Judged judged) -> lines.add(judged.describe())));
        lines.add(report.judged().isEmpty() ? "no candidate of run " + runId + " to judge" : report.summary());
        Audit.operated(
                signedIn,
                request,
                "resurrect run " + runId + node.map(n -> " node " + n).orElse("") + " with limit " + resurrectionLimit,
                report.summary());
        return back(request.getSession(), lines, runId, limit);
    }

    @PostMapping("/release")
    String release(
            @RequestParam String run,
            @RequestParam Optional<String> node,
            @RequestAttribute(SignedIn.ATTRIBUTE) SignedIn signedIn,
            HttpServletRequest request) {
        signedIn.require(Scope.OPERATE, "releasing from quarantine");
        String runId = bounded(run);
        Predicate<DeadLetteredMessage> selected = ofRun(Optional.of(runId)).and(ofNode(node));
        List<Quarantine.Released> released = exclusively(() -> quarantine.release(selected, false));
        List<String> lines = new ArrayList<>(released.stream()
                .map(QuarantinedRow::of)
                .map(QuarantinedRow::released)
                .toList());
        long back = released.stream().filter(r -> r.stayed() == null).count();
        String summary = released.isEmpty()
                ? "no quarantined node of run " + runId + " to release"
                : back + " released, " + (released.size() - back) + " stayed";
        lines.add(summary);
        Audit.operated(
                signedIn,
                request,
                "release run " + runId + node.map(n -> " node " + n).orElse("") + " from quarantine",
                summary);
        return back(request.getSession(), lines, runId, Optional.empty());
    }

    private <T> T exclusively(Supplier<T> pass) {
        try {
            if (!passes.tryLock(30, TimeUnit.SECONDS)) {
                throw new ResponseStatusException(
                        HttpStatus.SERVICE_UNAVAILABLE, "another pass over the parked queues is under way: try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
        }
        try {
            return pass.get();
        } finally {
            passes.unlock();
        }
    }

    private int limit(Optional<Integer> limit) {
        int value = limit.orElse(drain.limit());
        if (value < 0 || value > 1000) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "limit: the resurrection limit must be 0 to 1000, was " + value);
        }
        return value;
    }

    private static String back(HttpSession session, List<String> lines, String runId, Optional<Integer> limit) {
        session.setAttribute(FLASH, new ArrayList<>(lines));
        UriComponentsBuilder to =
                UriComponentsBuilder.fromPath("/dashboard/parked").queryParam("run", runId);
        limit.ifPresent(l -> to.queryParam("limit", l));
        return "redirect:" + to.encode().build().toUriString();
    }

    private static Predicate<DeadLetteredMessage> ofRun(Optional<String> runId) {
        return message -> runId.isEmpty() || runId.get().equals(message.runId());
    }

    private static Predicate<DeadLetteredMessage> ofNode(Optional<String> nodeId) {
        Optional<String> only = nodeId.filter(id -> !id.isBlank()).map(ParkedController::bounded);
        return message -> only.isEmpty() || only.get().equals(message.nodeId());
    }

    /** Run and node ids are at most 128 characters: anything longer selects nothing and is refused. */
    private static String bounded(String id) {
        if (id.length() > 128) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "an id of " + id.length() + " characters");
        }
        return id;
    }
}
