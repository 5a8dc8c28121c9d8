package io.lazarus.worker.ssh;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;

/**
 * Whether this JVM has the algorithms JSch otherwise probes for on every session (Java 24 and later do). Checked once;
 * if any is missing, JSch keeps probing and drops what it cannot use.
 */
final class JvmAlgorithms {

    static final boolean PRESENT = present("ML-KEM-768", "X25519", "X448", "Ed25519", "Ed448");

    private JvmAlgorithms() {}

    private static boolean present(String... keyPairAlgorithms) {
        try {
            for (String algorithm : keyPairAlgorithms) {
                KeyPairGenerator.getInstance(algorithm);
            }
            javax.crypto.KEM.getInstance("ML-KEM");
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
