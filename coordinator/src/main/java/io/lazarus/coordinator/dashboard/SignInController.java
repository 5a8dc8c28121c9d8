package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.service.ServiceProperties.Token;
import io.lazarus.coordinator.service.ServiceTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in with one of the service's API tokens, pasted by the operator: the session then keeps the token's name and
 * scopes (never the token), under a new session id.
 */
@Controller
@RequestMapping("/dashboard")
@ConditionalOnProperty("lazarus.service.enabled")
class SignInController {

    private static final Logger AUDIT = LoggerFactory.getLogger("io.lazarus.audit");

    private final ServiceTokens tokens;

    SignInController(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/sign-in")
    String form(HttpServletRequest request, Model model) {
        model.addAttribute("csrf", signInCsrf(request.getSession()));
        return "dashboard/sign-in";
    }

    @PostMapping("/sign-in")
    String signIn(
            @RequestParam(defaultValue = "") String token,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<Token> match = tokens.match("Bearer " + token.strip());
        if (match.isEmpty()) {
            AUDIT.warn("dashboard sign-in from {} refused: no valid token", request.getRemoteAddr());
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute("csrf", signInCsrf(request.getSession()));
            model.addAttribute("error", "That is not one of this service's tokens.");
            return "dashboard/sign-in";
        }
        request.changeSessionId();
        HttpSession session = request.getSession();
        session.removeAttribute(Csrf.SIGN_IN_ATTRIBUTE);
        session.setAttribute(
                SignedIn.ATTRIBUTE, new SignedIn(match.get().name(), match.get().scopes(), Csrf.newToken()));
        AUDIT.info(
                "dashboard sign-in from {} with token '{}'",
                request.getRemoteAddr(),
                match.get().name());
        return "redirect:/dashboard/runs";
    }

    @PostMapping("/sign-out")
    String signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "redirect:/dashboard/sign-in";
    }

    private static String signInCsrf(HttpSession session) {
        Object csrf = session.getAttribute(Csrf.SIGN_IN_ATTRIBUTE);
        if (csrf instanceof String token) {
            return token;
        }
        String token = Csrf.newToken();
        session.setAttribute(Csrf.SIGN_IN_ATTRIBUTE, token);
        return token;
    }
}
