package io.lazarus.coordinator.service;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.service.*}: the coordinator as a long-running service ({@code lazarus-coordinator.jar serve}).
 *
 * @param enabled  set by {@code serve}; the command-line commands run without it
 * @param apiToken the bearer token every {@code /api} request must carry; without one the service listens on
 *                 loopback only
 */
@ConfigurationProperties("lazarus.service")
public record ServiceProperties(@DefaultValue("false") boolean enabled, String apiToken) {

    public boolean hasToken() {
        return apiToken != null && !apiToken.isBlank();
    }
}
