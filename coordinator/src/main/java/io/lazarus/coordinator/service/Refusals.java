package io.lazarus.coordinator.service;

import io.lazarus.common.contract.Contracts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;

/** The perimeter's refusals: an RFC 9457 problem body for the client, an audit line for the operator. */
final class Refusals {

    /** The service's audit log: who (which token, from where) did or tried what; never a token's value. */
    static final Logger AUDIT = LoggerFactory.getLogger("io.lazarus.audit");

    private Refusals() {}

    static void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String title,
            String detail,
            String who)
            throws IOException {
        AUDIT.warn(
                "refused {} {} from {} ({}): {} {}",
                request.getMethod(),
                printable(request.getRequestURI()),
                request.getRemoteAddr(),
                who,
                status,
                printable(detail));
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Contracts.mapper().writeValueAsString(problem));
    }

    /** A value from a request, fit for one log line: control characters escaped, so no line can be forged. */
    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                out.append(
                        switch (c) {
                            case '\n' -> "\\n";
                            case '\r' -> "\\r";
                            case '\t' -> "\\t";
                            default -> String.format("\\u%04x", (int) c);
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
