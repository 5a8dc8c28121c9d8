package io.lazarus.common.trust;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;

/**
 * The coordinator's signature on an install message: Ed25519 over the body's exact bytes and the headers a worker
 * acts on, each length-prefixed so no field can be shifted into another. A worker checks it before it reads anything
 * else of the message.
 */
public final class InstallSignature {

    public static final String HEADER_KEY_ID = "x-lazarus-key-id";
    public static final String HEADER_SIGNATURE = "x-lazarus-signature";
    private static final String DOMAIN = "lazarus-install-v1";

    private InstallSignature() {
    }

    /** What a signature covers. */
    public record Signed(String messageId, String runId, String nodeId, int attempt, byte[] body) {
    }

    /** The base64 signature for {@code x-lazarus-signature}. */
    public static String sign(SigningKey key, Signed signed) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key.privateKey());
            signer.update(canonical(key.keyId(), signed));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the key that signed the message, or throws with the reason it is not trusted: no signature, a key id
     * that is not trusted, or a signature that does not match.
     */
    public static TrustedKey verify(TrustedKeys trusted, String keyId, String signature, Signed signed) {
        if (keyId == null || keyId.isBlank() || signature == null || signature.isBlank()) {
            throw new UntrustedMessageException("unsigned: no " + HEADER_KEY_ID + " or " + HEADER_SIGNATURE + " header");
        }
        TrustedKey key = trusted.find(keyId).orElseThrow(() -> new UntrustedMessageException(
                "signed by unknown key " + Printable.of(keyId, 32) + " (trusted: " + trusted.describe() + ")"));
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key.key());
            verifier.update(canonical(keyId, signed));
            valid = verifier.verify(Base64.getDecoder().decode(signature));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new UntrustedMessageException("bad signature: the body or headers were changed after key " + keyId
                    + " signed them, or the signature is forged");
        }
        return key;
    }

    private static byte[] canonical(String keyId, Signed signed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(signed.body().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String field : new String[] {DOMAIN, keyId, signed.messageId(), signed.runId(), signed.nodeId(),
                    Integer.toString(signed.attempt())}) {
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
