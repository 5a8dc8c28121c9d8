package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.service.Scope;
import java.io.Serializable;
import java.util.Set;

/**
 * An operator signed in to the dashboard, as the session keeps it: the name and scopes of the token they pasted (never
 * its value) and the session's CSRF token, which every form that changes something carries back.
 */
record SignedIn(String tokenName, Set<Scope> scopes, String csrf) implements Serializable {

    /** The session attribute that holds it. */
    static final String ATTRIBUTE = "io.lazarus.dashboard.signed-in";

    SignedIn {
        scopes = Set.copyOf(scopes);
    }

    boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
