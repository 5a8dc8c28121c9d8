package io.lazarus.coordinator.service;

import io.lazarus.coordinator.service.ServiceProperties.Token;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api} request carries {@code Authorization: Bearer <token>} of a token with the scope it needs (401
 * without one, 403 naming the scope); a state-changing request is JSON (415 otherwise), which no cross-site form can
 * send. The audit log names the token of every state-changing request and what came of it.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    /** The request attribute that holds the name of the token a request came with. */
    static final String TOKEN_NAME = BearerTokenFilter.class.getName() + ".token";

    private final ServiceTokens tokens;

    BearerTokenFilter(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Token> token = tokens.match(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            Refusals.refuse(
                    request,
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "Unauthorized",
                    "an Authorization: Bearer header with one of this service's tokens is required",
                    "no valid token");
            return;
        }
        String name = token.get().name();
        String who = "token '" + name + "'";
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Scope needed = Scope.required(request.getMethod(), path);
        if (needed != Scope.READ && !isJson(request.getContentType())) {
            Refusals.refuse(
                    request,
                    response,
                    HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    request.getMethod() + " requests must be sent with Content-Type: application/json, was "
                            + (request.getContentType() == null ? "none" : "'" + request.getContentType() + "'"),
                    who);
            return;
        }
        if (!token.get().scopes().contains(needed)) {
            Refusals.refuse(
                    request,
                    response,
                    HttpServletResponse.SC_FORBIDDEN,
                    "Forbidden",
                    who + " lacks the scope '" + needed.word() + "' that " + request.getMethod() + " " + path
                            + " needs; it has "
                            + token.get().scopes().stream()
                                    .map(Scope::word)
                                    .sorted()
                                    .toList(),
                    who);
            return;
        }
        request.setAttribute(TOKEN_NAME, name);
        chain.doFilter(request, response);
        if (needed != Scope.READ) {
            String created = response.getHeader(HttpHeaders.LOCATION);
            Refusals.AUDIT.info(
                    "{} from {}: {} {} -> {}{}",
                    who,
                    request.getRemoteAddr(),
                    request.getMethod(),
                    Refusals.printable(path),
                    response.getStatus(),
                    created == null ? "" : " " + created);
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application") && type.getSubtype().equals("json");
        } catch (InvalidMimeTypeException e) {
            return false;
        }
    }
}
