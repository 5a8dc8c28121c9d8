package io.lazarus.coordinator.dashboard;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The dashboard's pages sit behind {@link DashboardFilter}, after the service's {@code Host} check. The API's bearer
 * tokens are untouched: {@code /api} never reads the session, and the dashboard never reads an Authorization header.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("lazarus.service.enabled")
class DashboardConfiguration {

    @Bean
    FilterRegistrationBean<DashboardFilter> dashboardSession() {
        FilterRegistrationBean<DashboardFilter> registration = new FilterRegistrationBean<>(new DashboardFilter());
        registration.addUrlPatterns("/dashboard", "/dashboard/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
