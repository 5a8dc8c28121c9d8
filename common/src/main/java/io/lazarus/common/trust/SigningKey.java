package io.lazarus.common.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The coordinator's run-signing key: an Ed25519 pair from the JDK, kept as a PKCS#8 PEM file readable by its owner
 * only. The public half is derived from the private one, so the file alone is the key.
 */
public record SigningKey(TrustedKey publicKey, PrivateKey privateKey) {

    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    public String keyId() {
        return publicKey.keyId();
    }

    /** The RFC 8032 private key: the 32-byte seed the scalar and nonce key are hashed from. */
    public byte[] seed() {
        return ((EdECPrivateKey) privateKey).getBytes().orElseThrow();
    }

    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(TrustedKey.of(pair.getPublic(), "lazarus run-signing key"), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 25 JVM has Ed25519", e);
        }
    }

    /** Reads a key written by {@link #writeNew}; the message names the file and what is wrong with it. */
    public static SigningKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyFileException(file + ": cannot read the signing key: " + e.getMessage(), e);
        }
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new KeyFileException(file + ": not a PEM private key (" + PEM_BEGIN + " ... " + PEM_END + ")", null);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new SigningKey(TrustedKey.of(publicOf(key), "lazarus run-signing key"), key);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new KeyFileException(file + ": not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the key to a new file, 0600 in a 0700 directory; refuses to replace an existing file, so two processes
     * creating the key at once end with one key, the first one's.
     *
     * @throws FileAlreadyExistsException if the file exists
     */
    public void writeNew(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(
                directory,
                ".signing",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, toPem(), StandardCharsets.US_ASCII);
            // a hard link fails if the target exists: an atomic create-if-absent, unlike a move
            Files.createLink(file, temporary);
        } catch (UnsupportedOperationException e) {
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    String toPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(privateKey.getEncoded());
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    /** The public key is derived from the seed (RFC 8032, 5.1.5) and wrapped in its fixed X.509 header. */
    private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new GeneralSecurityException("not an Ed25519 private key");
        }
        byte[] x509 = HexFormat.of().parseHex("302a300506032b6570032100" + "00".repeat(Ed25519.PUBLIC_KEY_SIZE));
        Ed25519.generatePublicKey(ed.getBytes().get(), 0, x509, x509.length - Ed25519.PUBLIC_KEY_SIZE);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    /** A key file that cannot be used; the message names the file. */
    public static final class KeyFileException extends RuntimeException {
        public KeyFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
