package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.common.trust.TrustedKeys;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What signing costs per install message: the coordinator's signature and a worker's check, on this JVM, for a message
 * like the benchmark's (a 30-line script), after a warm-up. The coordinator signs each {@value #BATCH} messages
 * as one batch and a worker checks each batch's signature once; signed alone, as before, for comparison.
 *
 * @param signMicros        mean time to sign one message of a batch (its share of the signature, its path)
 * @param verifyMicros      mean time to check one message of a batch, for a worker that takes the whole batch
 * @param aloneSignMicros   mean time to sign one message alone
 * @param aloneVerifyMicros mean time to check one message signed alone
 */
record SignatureCost(double signMicros, double verifyMicros, double aloneSignMicros, double aloneVerifyMicros) {

    static final int BATCH = 64;
    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 3_000;
    private static final int BATCHES = 50;

    static SignatureCost measure() {
        SigningKey key = SigningKey.generate();
        TrustedKeys trusted = TrustedKeys.of(List.of(key.publicKey()));
        InstallSignature.Signed signed = signed(0);
        String signature = "";
        for (int i = 0; i < WARM_UP; i++) {
            signature = InstallSignature.sign(key, signed);
            InstallSignature.verify(trusted, key.keyId(), signature, signed);
        }
        long start = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            signature = InstallSignature.sign(key, signed);
        }
        double sign = (System.nanoTime() - start) / 1_000.0 / MEASURED;
        start = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            InstallSignature.verify(trusted, key.keyId(), signature, signed);
        }
        double verify = (System.nanoTime() - start) / 1_000.0 / MEASURED;

        List<List<InstallSignature.Signed>> batches = IntStream.range(0, 2 * BATCHES)
                .mapToObj(w -> IntStream.range(0, BATCH)
                        .mapToObj(i -> signed(w * BATCH + i))
                        .toList())
                .toList();
        long signNanos = 0;
        long verifyNanos = 0;
        for (int w = 0; w < batches.size(); w++) {
            List<InstallSignature.Signed> batch = batches.get(w);
            long began = System.nanoTime();
            List<InstallSignature.Seal> seals = InstallSignature.sign(key, batch);
            long signedAt = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                InstallSignature.verifySealed(trusted, key.keyId(), seals.get(i), batch.get(i));
            }
            if (w >= BATCHES) { // the first half warms up
                signNanos += signedAt - began;
                verifyNanos += System.nanoTime() - signedAt;
            }
        }
        int measuredMessages = BATCHES * BATCH;
        return new SignatureCost(
                Numbers.round(signNanos / 1_000.0 / measuredMessages),
                Numbers.round(verifyNanos / 1_000.0 / measuredMessages),
                Numbers.round(sign),
                Numbers.round(verify));
    }

    /** A message like the benchmark's, of node {@code n}. */
    private static InstallSignature.Signed signed(int n) {
        InstallMessage message = InstallMessage.firstAttempt(
                "20261130-120000-abcdef",
                new NodeTarget("node-%05d".formatted(n), "127.1.0.1", 2222, "deploy"),
                InstallScript.of("install.sh", "echo installing\n".repeat(30)),
                null,
                Instant.now().plusSeconds(3600));
        byte[] body = Contracts.toJson(message);
        return new InstallSignature.Signed(
                message.attemptId(), message.runId(), message.node().id(), message.attempt(), body);
    }
}
