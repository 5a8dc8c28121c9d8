package io.lazarus.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;

/** A refusal on a dashboard page is a page that says why, not the container's bare error. */
@ControllerAdvice(assignableTypes = {DashboardController.class, ParkedController.class})
@ConditionalOnProperty("lazarus.service.enabled")
class DashboardErrors {

    @ExceptionHandler(ResponseStatusException.class)
    String refused(
            ResponseStatusException refusal, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(refusal.getStatusCode().value());
        model.addAttribute("status", refusal.getStatusCode().value());
        model.addAttribute("reason", refusal.getReason());
        model.addAttribute("signedIn", request.getAttribute(SignedIn.ATTRIBUTE));
        return "dashboard/error";
    }
}
