package io.lazarus.coordinator.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** New passwords, and RabbitMQ's hash of one for a definitions file. */
public final class Passwords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    /** 32 random bytes, base64url without padding: 43 characters that need no quoting anywhere. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code rabbit_password_hashing_sha256}: base64(salt ++ sha256(salt ++ password)), with a 4-byte salt. */
    public static String rabbitSha256(String password) {
        byte[] salt = new byte[4];
        RANDOM.nextBytes(salt);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            byte[] hash = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] salted = new byte[salt.length + hash.length];
            System.arraycopy(salt, 0, salted, 0, salt.length);
            System.arraycopy(hash, 0, salted, salt.length, hash.length);
            return Base64.getEncoder().encodeToString(salted);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
