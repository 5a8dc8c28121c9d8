package io.lazarus.worker.secrets;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    @Bean
    Masker masker(MaskingProperties properties) {
        return Masker.of(properties);
    }
}
