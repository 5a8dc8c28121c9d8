package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.TrustedKeys;
import io.lazarus.common.trust.UntrustedMessageException;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RunRecord;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A dead letter's body is evidence, never a recipe: what comes back is rebuilt from the registry. The evidence must
 * still hold up, or the candidate is quarantined as tampered: it carries this coordinator's signature over its body
 * and headers, and its body says what the registry recorded for the run and the node.
 */
final class Evidence {

    private Evidence() {}

    /** Why the candidate is not what this coordinator sent; empty when it is. */
    static Optional<String> tampering(
            String messageId,
            Map<String, Object> headers,
            byte[] body,
            InstallMessage install,
            TrustedKeys trusted,
            RunRecord run,
            NodeRecord node) {
        try {
            InstallSignature.verifySealed(
                    trusted,
                    text(headers.get(InstallSignature.HEADER_KEY_ID)),
                    new InstallSignature.Seal(
                            text(headers.get(InstallSignature.HEADER_SIGNATURE)),
                            text(headers.get(InstallSignature.HEADER_PROOF))),
                    new InstallSignature.Signed(
                            messageId,
                            text(headers.get(Topology.HEADER_RUN_ID)),
                            text(headers.get(Topology.HEADER_NODE_ID)),
                            headers.get(Topology.HEADER_ATTEMPT) instanceof Number n ? n.intValue() : -1,
                            body));
        } catch (UntrustedMessageException e) {
            return Optional.of("tampered: " + e.getMessage());
        }
        if (!Objects.equals(install.attemptId(), messageId)) {
            return disagrees("attempt id", install.attemptId(), messageId);
        }
        if (!install.runId().equals(run.runId()) || !install.node().id().equals(node.nodeId())) {
            return disagrees(
                    "run and node", install.runId() + "/" + install.node().id(), run.runId() + "/" + node.nodeId());
        }
        if (!install.node().address().equals(node.target().address())) {
            return disagrees("target", install.node().address(), node.target().address());
        }
        if (!install.script().sha256().equals(run.scriptSha256())
                || !install.script().commands().equals(run.commands())) {
            return disagrees("script", install.script().sha256(), run.scriptSha256());
        }
        return Optional.empty();
    }

    private static Optional<String> disagrees(String what, String body, String record) {
        return Optional.of("tampered: its body names " + what + " " + body + ", the registry recorded " + record);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
