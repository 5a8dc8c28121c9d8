package io.lazarus.common.trust;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The coordinator's signature on an install message: Ed25519 over the body's exact bytes and the headers a worker
 * acts on, each length-prefixed so no field can be shifted into another. A worker checks it before it reads anything
 * else of the message.
 *
 * <p>The keys are the JDK's (PKCS#8 and X.509 files, interchangeable with openssl's); the arithmetic is
 * BouncyCastle's RFC 8032 code. Ed25519 is deterministic, so both make the same signature, but the JDK's takes about
 * 0.6 ms to sign and 0.7 ms to verify on a 2-core machine, BouncyCastle's 0.06 and 0.08: at a thousand messages a
 * run, the JDK's cost moved the benchmark's makespan by 5%.
 */
public final class InstallSignature {

    public static final String HEADER_KEY_ID = "x-lazarus-key-id";
    public static final String HEADER_SIGNATURE = "x-lazarus-signature";
    private static final String DOMAIN = "lazarus-install-v1";
    /** A cancel notice is signed in a domain of its own: no signature of one can pass for the other. */
    private static final String CANCEL_DOMAIN = "lazarus-cancel-v1";

    private InstallSignature() {}

    /**
     * Builds the curve tables signing and verifying use (about 0.3 s of CPU, once per JVM), so the first messages do
     * not pay for them: a worker calls it before it consumes, a coordinator before a run starts.
     */
    public static void prepare() {
        Ed25519.precompute();
    }

    /** What a signature covers. */
    public record Signed(String messageId, String runId, String nodeId, int attempt, byte[] body) {}

    /** The base64 signature for {@code x-lazarus-signature}. */
    public static String sign(SigningKey key, Signed signed) {
        return sign(key, DOMAIN, signed);
    }

    /** The signature of a cancel notice ({@code lazarus.control}): its id, its run and its body. */
    public static String signCancel(SigningKey key, String noticeId, String runId, byte[] body) {
        return sign(key, CANCEL_DOMAIN, cancel(noticeId, runId, body));
    }

    /** As {@link #verify}, for a cancel notice. */
    public static TrustedKey verifyCancel(
            TrustedKeys trusted, String keyId, String signature, String noticeId, String runId, byte[] body) {
        return verify(trusted, CANCEL_DOMAIN, keyId, signature, cancel(noticeId, runId, body));
    }

    private static Signed cancel(String noticeId, String runId, byte[] body) {
        return new Signed(noticeId, runId, null, 0, body);
    }

    private static String sign(SigningKey key, String domain, Signed signed) {
        byte[] message = canonical(domain, key.keyId(), signed);
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(key.seed(), 0, key.publicKey().raw(), 0, message, 0, message.length, signature, 0);
        return Base64.getEncoder().encodeToString(signature);
    }

    /**
     * Returns the key that signed the message, or throws with the reason it is not trusted: no signature, a key id
     * that is not trusted, or a signature that does not match.
     */
    public static TrustedKey verify(TrustedKeys trusted, String keyId, String signature, Signed signed) {
        return verify(trusted, DOMAIN, keyId, signature, signed);
    }

    private static TrustedKey verify(
            TrustedKeys trusted, String domain, String keyId, String signature, Signed signed) {
        if (keyId == null || keyId.isBlank() || signature == null || signature.isBlank()) {
            throw new UntrustedMessageException(
                    "unsigned: no " + HEADER_KEY_ID + " or " + HEADER_SIGNATURE + " header");
        }
        TrustedKey key = trusted.find(keyId)
                .orElseThrow(() -> new UntrustedMessageException(
                        "signed by unknown key " + Printable.of(keyId, 32) + " (trusted: " + trusted.describe() + ")"));
        boolean valid;
        try {
            byte[] bytes = Base64.getDecoder().decode(signature);
            byte[] message = canonical(domain, keyId, signed);
            valid = bytes.length == Ed25519.SIGNATURE_SIZE
                    && Ed25519.verify(bytes, 0, key.raw(), 0, message, 0, message.length);
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw new UntrustedMessageException("bad signature: the body or headers were changed after key " + keyId
                    + " signed them, or the signature is forged");
        }
        return key;
    }

    static byte[] canonical(String keyId, Signed signed) {
        return canonical(DOMAIN, keyId, signed);
    }

    private static byte[] canonical(String domain, String keyId, Signed signed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(signed.body().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String field : new String[] {
                domain, keyId, signed.messageId(), signed.runId(), signed.nodeId(), Integer.toString(signed.attempt())
            }) {
                byte[] utf8 = field == null ? new byte[0] : field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(field == null ? -1 : utf8.length);
                out.write(utf8);
            }
            out.writeInt(signed.body().length);
            out.write(signed.body());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream", e);
        }
        return bytes.toByteArray();
    }
}
