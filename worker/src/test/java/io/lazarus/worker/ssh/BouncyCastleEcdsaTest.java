package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worker's ECDSA against the JDK's, an independent implementation, both ways; and what a node could send to fool
 * the verification of its host key.
 */
class BouncyCastleEcdsaTest {

    private static final byte[] EXCHANGE_HASH = "the session's exchange hash".getBytes(StandardCharsets.UTF_8);

    enum Curve {
        P256("ecdsa-sha2-nistp256", "secp256r1", "SHA256withECDSA", BouncyCastleEcdsa.Nistp256::new),
        P384("ecdsa-sha2-nistp384", "secp384r1", "SHA384withECDSA", BouncyCastleEcdsa.Nistp384::new),
        P521("ecdsa-sha2-nistp521", "secp521r1", "SHA512withECDSA", BouncyCastleEcdsa.Nistp521::new);

        final String sshName;
        final String jdkCurve;
        final String jdkAlgorithm;
        final Supplier<BouncyCastleEcdsa> ours;

        Curve(String sshName, String jdkCurve, String jdkAlgorithm, Supplier<BouncyCastleEcdsa> ours) {
            this.sshName = sshName;
            this.jdkCurve = jdkCurve;
            this.jdkAlgorithm = jdkAlgorithm;
            this.ours = ours;
        }

        KeyPair keyPair() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(jdkCurve));
            return generator.generateKeyPair();
        }
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void aHostKeySignatureMadeByTheJdkVerifies(Curve curve) throws Exception {
        KeyPair host = curve.keyPair();

        assertThat(verify(curve, host, sshBlob(curve, jdkSign(curve, host, EXCHANGE_HASH)), EXCHANGE_HASH))
                .isTrue();
        assertThat(verify(curve, host, jdkSign(curve, host, EXCHANGE_HASH), EXCHANGE_HASH))
                .as("DER, which JSch accepts too")
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void aLoginSignedHereVerifiesWithTheJdk(Curve curve) throws Exception {
        KeyPair worker = curve.keyPair();
        BouncyCastleEcdsa signer = curve.ours.get();
        signer.init();
        signer.setPrvKey(unsigned(((ECPrivateKey) worker.getPrivate()).getS()));
        signer.update(EXCHANGE_HASH);
        BigInteger[] rs = mpints(signer.sign());

        Signature jdk = Signature.getInstance(curve.jdkAlgorithm);
        jdk.initVerify(worker.getPublic());
        jdk.update(EXCHANGE_HASH);
        assertThat(jdk.verify(StandardDSAEncoding.INSTANCE.encode(order(curve), rs[0], rs[1])))
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void aSignatureOverOtherDataOrByAnotherKeyIsRefused(Curve curve) throws Exception {
        KeyPair host = curve.keyPair();
        KeyPair impostor = curve.keyPair();
        byte[] genuine = sshBlob(curve, jdkSign(curve, host, EXCHANGE_HASH));

        assertThat(verify(curve, host, genuine, "another exchange".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(verify(curve, host, sshBlob(curve, jdkSign(curve, impostor, EXCHANGE_HASH)), EXCHANGE_HASH))
                .isFalse();
        byte[] flipped = genuine.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThat(verify(curve, host, flipped, EXCHANGE_HASH)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Curve.class)
    void malformedSignaturesAreRefusedNotThrown(Curve curve) throws Exception {
        KeyPair host = curve.keyPair();
        BigInteger order = order(curve);
        byte[] genuine = sshBlob(curve, jdkSign(curve, host, EXCHANGE_HASH));

        assertThat(verify(curve, host, blob(curve.sshName, BigInteger.ZERO, BigInteger.ONE), EXCHANGE_HASH))
                .as("r = 0")
                .isFalse();
        assertThat(verify(curve, host, blob(curve.sshName, BigInteger.ONE, order), EXCHANGE_HASH))
                .as("s = n")
                .isFalse();
        assertThat(verify(curve, host, Arrays.copyOf(genuine, genuine.length - 3), EXCHANGE_HASH))
                .as("cut short")
                .isFalse();
        assertThat(verify(curve, host, Arrays.copyOf(genuine, genuine.length + 1), EXCHANGE_HASH))
                .as("trailing bytes")
                .isFalse();
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(order, jdkSign(curve, host, EXCHANGE_HASH));
        assertThat(verify(curve, host, blob("ssh-ed25519", rs[0], rs[1]), EXCHANGE_HASH))
                .as("another algorithm's name")
                .isFalse();
        byte[] hugeLength = genuine.clone();
        hugeLength[0] = 0x7f;
        assertThat(verify(curve, host, hugeLength, EXCHANGE_HASH))
                .as("a length past the end")
                .isFalse();
    }

    /** The invalid-curve attack: a "public key" off the curve would leak or fool; it is refused before any use. */
    @ParameterizedTest
    @EnumSource(Curve.class)
    void aPublicPointOffTheCurveIsRefused(Curve curve) throws Exception {
        ECPublicKey host = (ECPublicKey) curve.keyPair().getPublic();
        BouncyCastleEcdsa verifier = curve.ours.get();
        verifier.init();

        assertThatThrownBy(() -> verifier.setPubKey(
                        unsigned(host.getW().getAffineX()),
                        unsigned(host.getW().getAffineY().add(BigInteger.ONE))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean verify(Curve curve, KeyPair host, byte[] signature, byte[] data) throws Exception {
        ECPublicKey key = (ECPublicKey) host.getPublic();
        BouncyCastleEcdsa verifier = curve.ours.get();
        verifier.init();
        verifier.setPubKey(
                unsigned(key.getW().getAffineX()), unsigned(key.getW().getAffineY()));
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static byte[] jdkSign(Curve curve, KeyPair keys, byte[] data) throws Exception {
        Signature jdk = Signature.getInstance(curve.jdkAlgorithm);
        jdk.initSign(keys.getPrivate());
        jdk.update(data);
        return jdk.sign();
    }

    /** The JDK's DER signature as a server sends it in SSH: {@code string name, string (mpint r, mpint s)}. */
    private static byte[] sshBlob(Curve curve, byte[] der) throws Exception {
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(order(curve), der);
        return blob(curve.sshName, rs[0], rs[1]);
    }

    private static BigInteger order(Curve curve) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve.jdkCurve));
        return parameters.getParameterSpec(ECParameterSpec.class).getOrder();
    }

    private static byte[] blob(String name, BigInteger r, BigInteger s) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        field(inner, r.toByteArray());
        field(inner, s.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, name.getBytes(StandardCharsets.US_ASCII));
        field(out, inner.toByteArray());
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static BigInteger[] mpints(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        BigInteger[] values = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            byte[] value = new byte[buffer.getInt()];
            buffer.get(value);
            values[i] = new BigInteger(value);
        }
        assertThat(buffer.hasRemaining()).isFalse();
        return values;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
