package io.lazarus.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The audit log's line for what a signed-in operator changed through the dashboard: who, from where, what, and how it ended. */
final class Audit {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.lazarus.audit");

    private Audit() {}

    static void operated(SignedIn who, HttpServletRequest request, String what, String result) {
        AUDIT.info("token '{}' from {} (dashboard): {} -> {}", who.tokenName(), request.getRemoteAddr(), what, result);
    }
}
