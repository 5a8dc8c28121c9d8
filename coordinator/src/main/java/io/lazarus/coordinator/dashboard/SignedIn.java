package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.service.Scope;
import java.io.Serializable;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

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

    /** Refuses, with 403 naming the scope, what this token may not do. */
    void require(Scope scope, String doing) {
        if (!may(scope)) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN,
                    "token '" + tokenName + "' lacks the scope '" + scope.word() + "' that " + doing + " needs");
        }
    }
}
