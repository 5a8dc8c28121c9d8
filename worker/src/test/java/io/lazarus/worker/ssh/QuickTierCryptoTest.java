package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.SignatureEdDSA;
import com.jcraft.jsch.XDH;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classes every JSch session of a worker gets for Edwards-curve signatures and X25519 agree with the JDK's (the
 * ECDSA ones: {@link BouncyCastleEcdsaTest}); a real sshd with an Ed25519 host key: {@link OpenSshInstallerTest}.
 */
class QuickTierCryptoTest {

    private static final byte[] EXCHANGE_HASH = "the exchange hash a node signs".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void install() {
        QuickTierCrypto.install();
    }

    @Test
    void everyJschSessionGetsBouncyCastlesClasses() {
        assertThat(JSch.getConfig("ecdsa-sha2-nistp256")).isEqualTo(BouncyCastleEcdsa.Nistp256.class.getName());
        assertThat(JSch.getConfig("ecdsa-sha2-nistp384")).isEqualTo(BouncyCastleEcdsa.Nistp384.class.getName());
        assertThat(JSch.getConfig("ecdsa-sha2-nistp521")).isEqualTo(BouncyCastleEcdsa.Nistp521.class.getName());
        assertThat(JSch.getConfig("ssh-ed25519")).isEqualTo("com.jcraft.jsch.bc.SignatureEd25519");
        assertThat(JSch.getConfig("ssh-ed448")).isEqualTo("com.jcraft.jsch.bc.SignatureEd448");
        assertThat(JSch.getConfig("xdh")).isEqualTo("com.jcraft.jsch.bc.XDH");
    }

    @Test
    void anEd25519HostKeySignatureMadeByTheJdkVerifiesAndNothingElseDoes() throws Exception {
        KeyPair host = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] signature = blob("ssh-ed25519", jdkSign(host, EXCHANGE_HASH));

        assertThat(verify(host, signature, EXCHANGE_HASH)).isTrue();
        assertThat(verify(host, signature, "another exchange".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
        assertThat(verify(other, signature, EXCHANGE_HASH)).isFalse();
        byte[] tampered = signature.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(verify(host, tampered, EXCHANGE_HASH)).isFalse();
    }

    @Test
    void anX25519ExchangeAgreesWithJschsJdkImplementation() throws Exception {
        XDH ours = (XDH)
                Class.forName(JSch.getConfig("xdh")).getDeclaredConstructor().newInstance();
        XDH jdk = new com.jcraft.jsch.jce.XDH();
        ours.init("X25519", 32);
        jdk.init("X25519", 32);

        byte[] ourSecret = ours.getSecret(jdk.getQ());
        byte[] jdkSecret = jdk.getSecret(ours.getQ());

        assertThat(ourSecret).hasSize(32).isEqualTo(jdkSecret);
        assertThat(ours.validate(jdk.getQ())).isTrue();
        assertThat(ours.validate(new byte[31])).isFalse();
    }

    private static boolean verify(KeyPair host, byte[] signature, byte[] data) throws Exception {
        SignatureEdDSA verifier = (SignatureEdDSA) Class.forName(JSch.getConfig("ssh-ed25519"))
                .getDeclaredConstructor()
                .newInstance();
        verifier.init();
        verifier.setPubKey(raw(host));
        verifier.update(data);
        return verifier.verify(signature);
    }

    /** The 32 bytes of the public key, as an SSH key blob carries it: the end of its X.509 encoding. */
    private static byte[] raw(KeyPair keys) {
        byte[] encoded = keys.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static byte[] jdkSign(KeyPair keys, byte[] data) throws Exception {
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(keys.getPrivate());
        jdk.update(data);
        return jdk.sign();
    }

    /** {@code string name, string signature}, as a server sends it. */
    private static byte[] blob(String name, byte[] signature) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, name.getBytes(StandardCharsets.US_ASCII));
        field(out, signature);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
