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

/**
 * What signing costs per install message: the coordinator's signature and a worker's check, on this JVM, for a message
 * like the benchmark's (a 30-line script), after a warm-up.
 *
 * @param signMicros   mean time to serialise nothing, sign one message
 * @param verifyMicros mean time to check one signature
 */
record SignatureCost(double signMicros, double verifyMicros) {

    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 3_000;

    static SignatureCost measure() {
        SigningKey key = SigningKey.generate();
        TrustedKeys trusted = TrustedKeys.of(List.of(key.publicKey()));
        InstallMessage message = InstallMessage.firstAttempt(
                "20261130-120000-abcdef",
                new NodeTarget("node-00001", "127.1.0.1", 2222, "deploy"),
                InstallScript.of("install.sh", "echo installing\n".repeat(30)),
                null,
                Instant.now().plusSeconds(3600));
        byte[] body = Contracts.toJson(message);
        InstallSignature.Signed signed = new InstallSignature.Signed(
                message.attemptId(), message.runId(), message.node().id(), message.attempt(), body);
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
        return new SignatureCost(Numbers.round(sign), Numbers.round(verify));
    }
}
