package io.lazarus.coordinator.service;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The service's perimeter, in the order a request meets it: its {@code Host} must be one of the service's names, then
 * {@code /api} needs a token with the request's scope, and a state-changing request a JSON body.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("lazarus.service.enabled")
class ServiceConfiguration {

    @Bean
    ServiceTokens serviceTokens(ServiceProperties service) {
        return ServiceTokens.of(service);
    }

    @Bean
    FilterRegistrationBean<AllowedHostFilter> allowedHosts(ServiceProperties service, Environment environment) {
        FilterRegistrationBean<AllowedHostFilter> registration = new FilterRegistrationBean<>(new AllowedHostFilter(
                AllowedHostFilter.allowed(service.allowedHosts(), environment.getProperty("server.address"))));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerToken(ServiceTokens tokens) {
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(tokens));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
