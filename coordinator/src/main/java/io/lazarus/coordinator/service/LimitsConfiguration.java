package io.lazarus.coordinator.service;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The body cap on {@code /api}, ahead of every other filter. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("lazarus.service.enabled")
class LimitsConfiguration {

    @Bean
    FilterRegistrationBean<RequestSizeFilter> requestSize(ServiceLimits limits) {
        FilterRegistrationBean<RequestSizeFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeFilter(limits.maxRequestBytes().toBytes()));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
