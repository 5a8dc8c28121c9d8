package io.lazarus.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Synchronizer tokens: one random value per session, put in every form (field {@value #FIELD}) or sent as header
 * {@value #HEADER}; a state-changing request without the session's value is refused.
 */
final class Csrf {

    static final String FIELD = "_csrf";
    static final String HEADER = "X-CSRF-Token";

    /** The session attribute of the token a sign-in form carries, before anyone is signed in. */
    static final String SIGN_IN_ATTRIBUTE = Csrf.class.getName() + ".sign-in";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {}

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code presented} is {@code expected}, compared in constant time. */
    static boolean matches(String expected, String presented) {
        return expected != null
                && presented != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
