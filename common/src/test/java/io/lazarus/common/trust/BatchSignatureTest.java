package io.lazarus.common.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A window of install messages under one signature: the root of a Merkle tree over the messages is signed, and each
 * message carries the path from itself to that root. What a stranger who can publish to the broker might try with
 * the pieces of sealed messages they saw, each refused as a bad signature.
 */
class BatchSignatureTest {

    private final SigningKey key = SigningKey.generate();
    private final TrustedKeys trusted = TrustedKeys.of(List.of(key.publicKey()));

    @Test
    void everyMessageOfABatchVerifiesUnderTheBatchsOneSignature() {
        for (int size : new int[] {1, 2, 3, 5, 8, 13, 500}) {
            List<InstallSignature.Signed> batch = batch("run-" + size, size);

            List<InstallSignature.Seal> seals = InstallSignature.sign(key, batch);

            assertThat(seals).hasSize(size);
            assertThat(seals.stream().map(InstallSignature.Seal::signature).distinct())
                    .as("one signature for a batch of " + size)
                    .hasSize(1);
            int depth = 32 - Integer.numberOfLeadingZeros(size - 1);
            for (int i = 0; i < size; i++) {
                InstallSignature.Seal seal = seals.get(i);
                assertThat(Base64.getDecoder().decode(seal.proof()).length)
                        .as("the path of message %d of %d", i, size)
                        .isLessThanOrEqualTo(depth * 33);
                assertThat(InstallSignature.verifySealed(trusted, key.keyId(), seal, batch.get(i))
                                .keyId())
                        .isEqualTo(key.keyId());
            }
        }
    }

    @Test
    void aMessagesSealDoesNotCoverAnotherMessageOfItsBatch() {
        List<InstallSignature.Signed> batch = batch("run-1", 7);
        List<InstallSignature.Seal> seals = InstallSignature.sign(key, batch);

        for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < batch.size(); j++) {
                if (i != j) {
                    InstallSignature.Seal other = seals.get(j);
                    InstallSignature.Signed message = batch.get(i);
                    assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, key.keyId(), other, message))
                            .as("message %d with the seal of %d", i, j)
                            .isInstanceOf(UntrustedMessageException.class)
                            .hasMessageStartingWith("bad signature");
                }
            }
        }
    }

    @Test
    void aChangedBodyOrHeaderOfASealedMessageBreaksItsSeal() {
        List<InstallSignature.Signed> batch = batch("run-1", 4);
        InstallSignature.Seal seal = InstallSignature.sign(key, batch).get(2);
        InstallSignature.Signed sealed = batch.get(2);

        for (var changed : List.of(
                new InstallSignature.Signed(
                        sealed.messageId(), sealed.runId(), sealed.nodeId(), sealed.attempt(), bytes("{\"evil\":1}")),
                new InstallSignature.Signed(
                        sealed.messageId(), sealed.runId(), "web-99", sealed.attempt(), sealed.body()),
                new InstallSignature.Signed(
                        sealed.messageId(), sealed.runId(), sealed.nodeId(), sealed.attempt() + 1, sealed.body()))) {
            assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, key.keyId(), seal, changed))
                    .isInstanceOf(UntrustedMessageException.class)
                    .hasMessageStartingWith("bad signature");
        }
    }

    @Test
    void onePathWithAnotherBatchsSignatureIsRefused() {
        List<InstallSignature.Signed> first = batch("run-1", 6);
        List<InstallSignature.Signed> second = batch("run-2", 6);
        InstallSignature.Seal ofFirst = InstallSignature.sign(key, first).get(1);
        InstallSignature.Seal ofSecond = InstallSignature.sign(key, second).get(1);
        InstallSignature.verifySealed(trusted, key.keyId(), ofFirst, first.get(1));
        InstallSignature.verifySealed(trusted, key.keyId(), ofSecond, second.get(1));

        var mixed = new InstallSignature.Seal(ofSecond.signature(), ofFirst.proof());

        assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, key.keyId(), mixed, first.get(1)))
                .hasMessageStartingWith("bad signature");
    }

    /** Cut, lengthened or turned, a path leads to another root, which nobody signed. */
    @Test
    void aPathCutShortLengthenedOrTurnedIsRefused() {
        List<InstallSignature.Signed> batch = batch("run-1", 8);
        InstallSignature.Seal seal = InstallSignature.sign(key, batch).get(5);
        byte[] proof = Base64.getDecoder().decode(seal.proof());
        assertThat(proof).hasSize(3 * 33);
        byte[] turned = proof.clone();
        turned[33] ^= 1;
        byte[] lengthened = Arrays.copyOf(proof, proof.length + 33);
        lengthened[proof.length] = 1;

        for (byte[] altered : List.of(
                Arrays.copyOf(proof, 2 * 33), Arrays.copyOfRange(proof, 33, 3 * 33), turned, lengthened, new byte[0])) {
            var forged = new InstallSignature.Seal(
                    seal.signature(), Base64.getEncoder().encodeToString(altered));
            assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, key.keyId(), forged, batch.get(5)))
                    .as("a path of %d bytes", altered.length)
                    .isInstanceOf(UntrustedMessageException.class)
                    .hasMessageStartingWith("bad signature");
        }
    }

    @Test
    void aMalformedPathIsABadSignatureSayingWhy() {
        List<InstallSignature.Signed> batch = batch("run-1", 2);
        InstallSignature.Seal seal = InstallSignature.sign(key, batch).getFirst();

        assertThatThrownBy(() -> InstallSignature.verifySealed(
                        trusted,
                        key.keyId(),
                        new InstallSignature.Seal(seal.signature(), "not base64!"),
                        batch.getFirst()))
                .hasMessageStartingWith("bad signature")
                .hasMessageContaining(InstallSignature.HEADER_PROOF);
        assertThatThrownBy(() -> InstallSignature.verifySealed(
                        trusted,
                        key.keyId(),
                        new InstallSignature.Seal(
                                seal.signature(), Base64.getEncoder().encodeToString(new byte[34])),
                        batch.getFirst()))
                .hasMessageStartingWith("bad signature")
                .hasMessageContaining("34 bytes");
        assertThatThrownBy(() -> InstallSignature.verifySealed(
                        trusted,
                        key.keyId(),
                        new InstallSignature.Seal(
                                seal.signature(), Base64.getEncoder().encodeToString(new byte[33 * 33])),
                        batch.getFirst()))
                .hasMessageStartingWith("bad signature")
                .hasMessageContaining("33 steps");
        byte[] badSide = Base64.getDecoder().decode(seal.proof());
        badSide[0] = 7;
        assertThatThrownBy(() -> InstallSignature.verifySealed(
                        trusted,
                        key.keyId(),
                        new InstallSignature.Seal(
                                seal.signature(), Base64.getEncoder().encodeToString(badSide)),
                        batch.getFirst()))
                .hasMessageStartingWith("bad signature")
                .hasMessageContaining("side 7");
    }

    /** A root once verified is remembered with its signature: another signature does not ride on it. */
    @Test
    void aForgedSignatureOnARootAlreadyVerifiedIsRefused() {
        List<InstallSignature.Signed> batch = batch("run-1", 3);
        InstallSignature.Seal seal = InstallSignature.sign(key, batch).get(0);
        InstallSignature.verifySealed(trusted, key.keyId(), seal, batch.get(0));
        byte[] signature = Base64.getDecoder().decode(seal.signature());
        signature[10] ^= 1;

        var forged = new InstallSignature.Seal(Base64.getEncoder().encodeToString(signature), seal.proof());

        assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, key.keyId(), forged, batch.get(0)))
                .hasMessageStartingWith("bad signature");
    }

    /** A root once verified does not outlive the trust in its key (a rotation removes a key while workers run). */
    @Test
    void aRootVerifiedUnderAKeyNoLongerTrustedIsRefused() {
        List<InstallSignature.Signed> batch = batch("run-1", 3);
        InstallSignature.Seal seal = InstallSignature.sign(key, batch).get(0);
        InstallSignature.verifySealed(trusted, key.keyId(), seal, batch.get(0));

        assertThatThrownBy(
                        () -> InstallSignature.verifySealed(TrustedKeys.of(List.of()), key.keyId(), seal, batch.get(0)))
                .hasMessageStartingWith("signed by unknown key " + key.keyId());
    }

    @Test
    void aStrangersBatchUnderTheTrustedKeysIdIsRefused() {
        SigningKey stranger = SigningKey.generate();
        List<InstallSignature.Signed> batch = batch("run-1", 4);
        InstallSignature.Seal forged = InstallSignature.sign(stranger, batch).get(3);

        assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, key.keyId(), forged, batch.get(3)))
                .hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> InstallSignature.verifySealed(trusted, stranger.keyId(), forged, batch.get(3)))
                .hasMessageStartingWith("signed by unknown key " + stranger.keyId());
    }

    /**
     * A message signed alone (as before batches, still accepted) and a batch's root are signed in domains of their own:
     * neither signature passes for the other.
     */
    @Test
    void aSingleMessagesSignatureAndABatchsAreNotInterchangeable() {
        InstallSignature.Signed message = batch("run-1", 1).getFirst();
        String alone = InstallSignature.sign(key, message);
        InstallSignature.Seal sealed =
                InstallSignature.sign(key, List.of(message)).getFirst();
        assertThat(sealed.proof()).isEmpty();
        assertThat(InstallSignature.verify(trusted, key.keyId(), alone, message).keyId())
                .isEqualTo(key.keyId());

        assertThatThrownBy(() -> InstallSignature.verifySealed(
                        trusted, key.keyId(), new InstallSignature.Seal(alone, ""), message))
                .hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> InstallSignature.verify(trusted, key.keyId(), sealed.signature(), message))
                .hasMessageStartingWith("bad signature");
    }

    @Test
    void anEmptyBatchIsNotSigned() {
        assertThatThrownBy(() -> InstallSignature.sign(key, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no messages");
    }

    private static List<InstallSignature.Signed> batch(String runId, int size) {
        return IntStream.range(0, size)
                .mapToObj(i -> new InstallSignature.Signed(
                        runId + "/web-" + i + "/1/abcd",
                        runId,
                        "web-" + i,
                        1,
                        bytes("{\"schemaVersion\":1,\"node\":\"web-" + i + "\"}")))
                .toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
