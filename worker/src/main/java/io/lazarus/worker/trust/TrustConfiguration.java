package io.lazarus.worker.trust;

import io.lazarus.common.trust.TrustedKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TrustConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TrustConfiguration.class);

    /** A bad line refuses the start with its file and line; a missing file is waited for, loudly. */
    @Bean
    TrustedKeys trustedKeys(TrustProperties properties) {
        TrustedKeys keys = TrustedKeys.file(properties.trustedKeys());
        if (keys.all().isEmpty()) {
            log.warn(
                    "no trusted signing key in {}: every install message is refused until a coordinator's public key"
                            + " is there (lazarus keys show prints it; a coordinator on this machine adds it itself)",
                    properties.trustedKeys());
        } else {
            log.info("trusting install messages signed by {}", keys.describe());
        }
        return keys;
    }
}
