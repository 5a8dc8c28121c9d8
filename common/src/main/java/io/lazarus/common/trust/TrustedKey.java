package io.lazarus.common.trust;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A public key a worker trusts to sign install messages, as one line of a trusted-keys file:
 * {@code lazarus-ed25519 <base64 of the X.509 encoding> [comment]}. Its id is the first 16 hex digits of the
 * encoding's SHA-256: what a message names in {@code x-lazarus-key-id}.
 */
public record TrustedKey(String keyId, PublicKey key, String comment) {

    public static final String TYPE = "lazarus-ed25519";

    public static TrustedKey of(PublicKey key, String comment) {
        return new TrustedKey(idOf(key), key, comment == null ? "" : comment);
    }

    /** Parses one line; the message says what is wrong, the caller adds the file and line. */
    public static TrustedKey parse(String line) {
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2 || !parts[0].equals(TYPE)) {
            throw new IllegalArgumentException("expected '" + TYPE + " <base64> [comment]'");
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(parts[1])));
            return of(key, parts.length > 2 ? parts[2] : "");
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The RFC 8032 public key: the 32 bytes that end the X.509 encoding, after its fixed 12-byte header. */
    public byte[] raw() {
        byte[] encoded = key.getEncoded();
        return java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    public String line() {
        return TYPE + " " + Base64.getEncoder().encodeToString(key.getEncoded())
                + (comment.isEmpty() ? "" : " " + comment);
    }

    static String idOf(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
