package io.lazarus.common.trust;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
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
 *
 * <p>The coordinator signs messages in batches (of 64): the root of a {@link MerkleTree} over them, each message
 * carrying its path to the root in {@code x-lazarus-proof}. At the command line's quick JIT tier one signature cost
 * about 0.3 ms, a quarter of the command's own thread in a 5000-node run; a worker checks each root once. A message
 * without that header is checked as signed alone, as coordinators before batches did.
 */
public final class InstallSignature {

    public static final String HEADER_KEY_ID = "x-lazarus-key-id";
    public static final String HEADER_SIGNATURE = "x-lazarus-signature";
    public static final String HEADER_PROOF = "x-lazarus-proof";
    private static final String DOMAIN = "lazarus-install-v1";
    /** A batch's root is signed in a domain of its own: no message's signature can pass for a root's. */
    private static final String BATCH_DOMAIN = "lazarus-install-batch-v1";
    /** A cancel notice is signed in a domain of its own: no signature of one can pass for the other. */
    private static final String CANCEL_DOMAIN = "lazarus-cancel-v1";

    private static final VerifiedRoots VERIFIED = new VerifiedRoots(256);

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

    /** A message's headers from its batch: the root's signature and the message's path to the root, both base64. */
    public record Seal(String signature, String proof) {}

    /** The base64 signature for {@code x-lazarus-signature} of a message signed alone. */
    public static String sign(SigningKey key, Signed signed) {
        return sign(key, DOMAIN, signed);
    }

    /** Signs a batch with one signature: the seals for {@code x-lazarus-signature} and {@code x-lazarus-proof}. */
    public static List<Seal> sign(SigningKey key, List<Signed> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("no messages to sign");
        }
        MerkleTree tree = new MerkleTree(batch.stream()
                .map(signed -> canonical(DOMAIN, key.keyId(), signed))
                .toList());
        String signature = Base64.getEncoder().encodeToString(signature(key, root(key.keyId(), tree.root())));
        return IntStream.range(0, batch.size())
                .mapToObj(i -> new Seal(signature, Base64.getEncoder().encodeToString(tree.proof(i))))
                .toList();
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
        return Base64.getEncoder().encodeToString(signature(key, canonical(domain, key.keyId(), signed)));
    }

    private static byte[] signature(SigningKey key, byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(key.seed(), 0, key.publicKey().raw(), 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * Returns the key that signed the message, or throws with the reason it is not trusted: no signature, a key id
     * that is not trusted, or a signature that does not match.
     */
    public static TrustedKey verify(TrustedKeys trusted, String keyId, String signature, Signed signed) {
        return verify(trusted, DOMAIN, keyId, signature, signed);
    }

    /**
     * As {@link #verify(TrustedKeys, String, String, Signed)}, for a message of a signed batch; a root already
     * verified with this key and signature is not verified again. A seal without a path is that of a message signed
     * alone.
     */
    public static TrustedKey verifySealed(TrustedKeys trusted, String keyId, Seal seal, Signed signed) {
        if (seal.proof() == null) {
            return verify(trusted, keyId, seal.signature(), signed);
        }
        TrustedKey key = trustedKey(trusted, keyId, seal.signature());
        byte[] root;
        try {
            root = MerkleTree.rootOf(
                    canonical(DOMAIN, keyId, signed), Base64.getDecoder().decode(seal.proof()));
        } catch (IllegalArgumentException e) {
            throw new UntrustedMessageException("bad signature: " + HEADER_PROOF + " is no path in a signed batch ("
                    + Printable.of(e.getMessage(), 120) + ")");
        }
        byte[] signature = decode(seal.signature());
        byte[] message = root(keyId, root);
        if (!VERIFIED.contains(key, message, signature)) {
            requireValid(key, signature, message);
            VERIFIED.add(key, message, signature);
        }
        return key;
    }

    private static TrustedKey verify(
            TrustedKeys trusted, String domain, String keyId, String signature, Signed signed) {
        TrustedKey key = trustedKey(trusted, keyId, signature);
        requireValid(key, decode(signature), canonical(domain, keyId, signed));
        return key;
    }

    private static TrustedKey trustedKey(TrustedKeys trusted, String keyId, String signature) {
        if (keyId == null || keyId.isBlank() || signature == null || signature.isBlank()) {
            throw new UntrustedMessageException(
                    "unsigned: no " + HEADER_KEY_ID + " or " + HEADER_SIGNATURE + " header");
        }
        return trusted.find(keyId)
                .orElseThrow(() -> new UntrustedMessageException(
                        "signed by unknown key " + Printable.of(keyId, 32) + " (trusted: " + trusted.describe() + ")"));
    }

    /** The signature's bytes, or none (which no key verifies) when it is not base64. */
    private static byte[] decode(String signature) {
        try {
            return Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static void requireValid(TrustedKey key, byte[] signature, byte[] message) {
        boolean valid = signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, key.raw(), 0, message, 0, message.length);
        if (!valid) {
            throw new UntrustedMessageException("bad signature: the body or headers were changed after key "
                    + key.keyId() + " signed them, or the signature is forged");
        }
    }

    /** What a batch's signature covers: its root, under the key's id. */
    private static byte[] root(String keyId, byte[] root) {
        return canonical(BATCH_DOMAIN, keyId, new Signed(null, null, null, 0, root));
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
