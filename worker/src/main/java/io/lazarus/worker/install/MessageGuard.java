package io.lazarus.worker.install;

import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.contract.ContractException;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.TrustedKeys;
import io.lazarus.common.trust.UntrustedMessageException;
import io.lazarus.worker.trust.TrustProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Everything a message must prove before a worker acts on it, cheapest and least trusting first: its size before
 * it is parsed, its signature before it is read, then its content. Whatever fails is refused with a reason that names
 * it; nothing of a refused message is run. A cancel notice proves the same, and only one it admitted makes the worker
 * drop the queued nodes of a run ({@link CancelledRuns}).
 */
@Component
class MessageGuard {

    private final TrustedKeys trusted;
    private final TrustProperties trust;
    private final int maxMessageBytes;
    private final Clock clock;
    private final CancelledRuns cancelled;

    @Autowired
    MessageGuard(TrustedKeys trusted, TrustProperties trust, WorkerProperties worker, CancelledRuns cancelled) {
        this(trusted, trust, worker.maxMessageBytes(), Clock.systemUTC(), cancelled);
    }

    MessageGuard(TrustedKeys trusted, TrustProperties trust, int maxMessageBytes, Clock clock) {
        this(trusted, trust, maxMessageBytes, clock, new CancelledRuns(clock));
    }

    MessageGuard(
            TrustedKeys trusted, TrustProperties trust, int maxMessageBytes, Clock clock, CancelledRuns cancelled) {
        this.trusted = trusted;
        this.trust = trust;
        this.maxMessageBytes = maxMessageBytes;
        this.clock = clock;
        this.cancelled = cancelled;
        InstallSignature.prepare();
    }

    InstallMessage admit(Message message) throws Refusal {
        MessageProperties props = message.getMessageProperties();
        byte[] body = message.getBody();
        checkSize(body);
        String runId = header(props, Topology.HEADER_RUN_ID);
        String nodeId = header(props, Topology.HEADER_NODE_ID);
        int attempt = attemptHeader(props);
        try {
            InstallSignature.verifySealed(
                    trusted,
                    header(props, InstallSignature.HEADER_KEY_ID),
                    new InstallSignature.Seal(
                            header(props, InstallSignature.HEADER_SIGNATURE),
                            header(props, InstallSignature.HEADER_PROOF)),
                    new InstallSignature.Signed(props.getMessageId(), runId, nodeId, attempt, body));
        } catch (UntrustedMessageException e) {
            throw new Refusal(e.getMessage());
        }
        InstallMessage install;
        try {
            install = Contracts.readInstall(body);
        } catch (ContractException e) {
            throw new Refusal(e.getMessage());
        }
        requireHeader("message id", props.getMessageId(), install.attemptId());
        requireHeader(Topology.HEADER_RUN_ID, runId, install.runId());
        requireHeader(Topology.HEADER_NODE_ID, nodeId, install.node().id());
        requireHeader(Topology.HEADER_ATTEMPT, Integer.toString(attempt), Integer.toString(install.attempt()));
        checkDeadline(install.deadline());
        checkScript(install.script());
        return install;
    }

    /**
     * Holds the first deliveries of a worker that just started until it has heard the cancel notices repeated
     * ({@link CancelledRuns}); false if interrupted (the worker stops): the message goes back unstarted.
     */
    boolean awaitCancelNotices() {
        try {
            cancelled.awaitCaughtUp();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the admitted message's run was cancelled: then it is not run, but reported CANCELLED. */
    boolean runCancelled(InstallMessage install) {
        return cancelled.cancelled(install.runId());
    }

    /**
     * A cancel notice from {@code lazarus.control}, admitted as an install message is: signed by a trusted key over its
     * id, its run and its body, in a domain of its own. Whoever may publish there without the key cancels nothing.
     */
    CancelNotice admitCancel(Message message) throws Refusal {
        MessageProperties props = message.getMessageProperties();
        byte[] body = message.getBody();
        checkSize(body);
        String runId = header(props, Topology.HEADER_RUN_ID);
        try {
            InstallSignature.verifyCancel(
                    trusted,
                    header(props, InstallSignature.HEADER_KEY_ID),
                    header(props, InstallSignature.HEADER_SIGNATURE),
                    props.getMessageId(),
                    runId,
                    body);
        } catch (UntrustedMessageException e) {
            throw new Refusal(e.getMessage());
        }
        CancelNotice notice;
        try {
            notice = Contracts.readCancel(body);
        } catch (ContractException e) {
            throw new Refusal(e.getMessage());
        }
        requireHeader("message id", props.getMessageId(), notice.noticeId());
        requireHeader(Topology.HEADER_RUN_ID, runId, notice.runId());
        if (notice.runDeadline().isAfter(clock.instant().plus(trust.maxDeadlineAhead()))) {
            throw new Refusal("run deadline " + notice.runDeadline()
                    + " lies more than lazarus.trust.max-deadline-ahead (" + trust.maxDeadlineAhead() + ") ahead");
        }
        return notice;
    }

    private void checkSize(byte[] body) throws Refusal {
        if (body.length > maxMessageBytes) {
            throw new Refusal("too large: " + body.length + " bytes, over lazarus.worker.max-message-bytes ("
                    + maxMessageBytes + ")");
        }
    }

    private void checkDeadline(Instant deadline) throws Refusal {
        if (deadline == null) {
            throw new Refusal("no deadline: every install message must carry one");
        }
        Instant now = clock.instant();
        if (!deadline.isAfter(now)) {
            throw new Refusal("deadline " + deadline + " has passed");
        }
        if (deadline.isAfter(now.plus(trust.maxDeadlineAhead()))) {
            throw new Refusal("deadline " + deadline + " lies more than lazarus.trust.max-deadline-ahead ("
                    + trust.maxDeadlineAhead() + ") ahead");
        }
    }

    private static void checkScript(InstallScript script) throws Refusal {
        if (!script.digestMatches()) {
            throw new Refusal("script sha256 " + script.sha256() + " does not match its commands");
        }
        for (String command : script.commands()) {
            if (command.getBytes(StandardCharsets.UTF_8).length > InstallScript.MAX_COMMAND_BYTES) {
                throw new Refusal("a script command exceeds " + InstallScript.MAX_COMMAND_BYTES + " bytes");
            }
        }
    }

    /** The headers route and account for a message: a signed body must say the same. */
    private static void requireHeader(String name, String header, String body) throws Refusal {
        if (!Objects.equals(header, body)) {
            throw new Refusal(name + " disagrees with the signed body");
        }
    }

    private static String header(MessageProperties props, String name) {
        Object value = props.getHeaders().get(name);
        return value == null ? null : value.toString();
    }

    /** Missing or not a number: -1, which no signature covers, so the message is refused as unsigned or altered. */
    private static int attemptHeader(MessageProperties props) {
        return props.getHeaders().get(Topology.HEADER_ATTEMPT) instanceof Number n ? n.intValue() : -1;
    }
}
