package io.lazarus.worker.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.bc.SignatureEd25519;
import com.jcraft.jsch.bc.SignatureEd448;
import com.jcraft.jsch.bc.XDH;

/**
 * The public-key work of every JSch session of this JVM on BouncyCastle instead of the JDK: a worker runs at the quick
 * JIT tier ({@code -XX:TieredStopAtLevel=1}), where the JDK's curve arithmetic leans on what only the optimising JIT
 * makes fast. Measured there, per operation: an Ed25519 host-key verification 0.75 ms against 0.10, an X25519 key
 * exchange (a key pair and a secret) about 0.36 ms against 0.13, an ECDSA P-256 verification 1.3 ms against 0.1. The
 * signatures are the same; JSch ships the Edwards-curve and X25519 classes, {@link BouncyCastleEcdsa} is ours.
 */
final class QuickTierCrypto {

    private QuickTierCrypto() {}

    /** JSch reads these classes from its global config as each session starts. */
    static void install() {
        JSch.setConfig(BouncyCastleEcdsa.Nistp256.NAME, BouncyCastleEcdsa.Nistp256.class.getName());
        JSch.setConfig(BouncyCastleEcdsa.Nistp384.NAME, BouncyCastleEcdsa.Nistp384.class.getName());
        JSch.setConfig(BouncyCastleEcdsa.Nistp521.NAME, BouncyCastleEcdsa.Nistp521.class.getName());
        JSch.setConfig("ssh-ed25519", SignatureEd25519.class.getName());
        JSch.setConfig("ssh-ed448", SignatureEd448.class.getName());
        JSch.setConfig("xdh", XDH.class.getName());
    }
}
