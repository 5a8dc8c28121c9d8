package io.lazarus.coordinator.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Only requests addressed to one of the service's own names are answered: a web page that rebinds its DNS name to
 * 127.0.0.1 still sends its own name as {@code Host}, and is refused with 421.
 */
final class AllowedHostFilter extends OncePerRequestFilter {

    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowed;

    AllowedHostFilter(Set<String> allowed) {
        this.allowed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(allowed));
    }

    /** The configured names, or loopback's and {@code server.address} (unless it is a wildcard). */
    static Set<String> allowed(List<String> configured, String serverAddress) {
        Set<String> names = new LinkedHashSet<>();
        if (configured.isEmpty()) {
            names.addAll(LOOPBACK);
            if (serverAddress != null
                    && !serverAddress.isBlank()
                    && !serverAddress.equals("0.0.0.0")
                    && !serverAddress.equals("::")
                    && !serverAddress.equals("[::]")) {
                names.add(
                        serverAddress.contains(":") && !serverAddress.startsWith("[")
                                ? "[" + serverAddress + "]"
                                : serverAddress);
            }
        } else {
            configured.forEach(name -> names.add(name.strip()));
        }
        return names.stream()
                .map(n -> n.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }

    /** The name in a {@code Host} header, without its port; empty when the header is missing or malformed. */
    static Optional<String> hostName(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String host = header.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? Optional.empty() : Optional.of(host.substring(0, end + 1));
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && host.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        return Optional.of(colon < 0 ? host : host.substring(0, colon));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Host");
        Optional<String> name = hostName(header);
        if (name.isPresent() && allowed.contains(name.get())) {
            chain.doFilter(request, response);
            return;
        }
        Refusals.refuse(
                request,
                response,
                421,
                "Misdirected request",
                "the Host header '" + header + "' is not a name" + " of this service; its names are " + allowed
                        + " (lazarus.service.allowed-hosts)",
                "no token checked");
    }
}
