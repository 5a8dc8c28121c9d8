package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.service.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard's perimeter: every page but the sign-in needs a signed-in session whose token has the {@code read}
 * scope; every request that is not a GET must carry the session's CSRF token; and no page may be framed, cached or run
 * a script from elsewhere.
 */
final class DashboardFilter extends OncePerRequestFilter {

    static final String SIGN_IN = "/dashboard/sign-in";
    private static final String ASSETS = "/dashboard/assets/";
    private static final Logger AUDIT = LoggerFactory.getLogger("io.lazarus.audit");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(ASSETS)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
        boolean reading =
                request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        HttpSession session = request.getSession(false);
        if (path.equals(SIGN_IN)) {
            if (!reading
                    && !csrfMatches(request, session == null ? null : session.getAttribute(Csrf.SIGN_IN_ATTRIBUTE))) {
                refuse(request, response, "the sign-in form's CSRF token is missing or stale: reload the page");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        SignedIn signedIn = session == null ? null : (SignedIn) session.getAttribute(SignedIn.ATTRIBUTE);
        if (signedIn == null) {
            if (reading) {
                response.sendRedirect(request.getContextPath() + SIGN_IN);
            } else {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "sign in first");
            }
            return;
        }
        if (!reading && !csrfMatches(request, signedIn.csrf())) {
            refuse(request, response, "token '" + signedIn.tokenName() + "': no valid CSRF token");
            return;
        }
        if (!signedIn.may(Scope.READ)) {
            response.sendError(
                    HttpServletResponse.SC_FORBIDDEN,
                    "token '" + signedIn.tokenName() + "' lacks the scope 'read' the dashboard needs");
            return;
        }
        request.setAttribute(SignedIn.ATTRIBUTE, signedIn);
        chain.doFilter(request, response);
    }

    private static boolean csrfMatches(HttpServletRequest request, Object expected) {
        String presented = request.getHeader(Csrf.HEADER);
        if (presented == null) {
            presented = request.getParameter(Csrf.FIELD);
        }
        return expected instanceof String token && Csrf.matches(token, presented);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String why)
            throws IOException {
        AUDIT.warn(
                "dashboard refused {} {} from {}: {}",
                request.getMethod(),
                request.getRequestURI(),
                request.getRemoteAddr(),
                why);
        response.sendError(HttpServletResponse.SC_FORBIDDEN, "refused: " + why);
    }
}
