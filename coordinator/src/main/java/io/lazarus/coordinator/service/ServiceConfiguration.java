package io.lazarus.coordinator.service;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The service's guard: a bearer token on {@code /api}, and without one no listening beyond loopback. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("lazarus.service.enabled")
class ServiceConfiguration {

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerToken(ServiceProperties service, Environment environment) {
        String address = environment.getProperty("server.address", "0.0.0.0");
        if (!service.hasToken() && !isLoopback(address)) {
            throw new IllegalStateException("refusing to serve the API on " + address + " without a token: set"
                    + " lazarus.service.api-token (LAZARUS_SERVICE_API_TOKEN), or listen on loopback only");
        }
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(
                new BearerTokenFilter(service.hasToken() ? service.apiToken() : ""));
        registration.addUrlPatterns("/api/*");
        registration.setEnabled(service.hasToken());
        return registration;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
