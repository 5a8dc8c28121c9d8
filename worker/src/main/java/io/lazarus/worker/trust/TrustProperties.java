package io.lazarus.worker.trust;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.trust.*}: what a worker believes. It runs only install messages signed by a key of
 * {@code trustedKeys}, whose deadline lies ahead of now by at most {@code maxDeadlineAhead}.
 *
 * @param trustedKeys      the coordinators' public keys, one {@code lazarus-ed25519 <base64>} line each; read again
 *                         when it changes, so keys rotate without a restart. By default {@code ~/.lazarus/trusted-keys},
 *                         where a coordinator on the same machine adds its key when it creates it
 * @param maxDeadlineAhead a message whose deadline lies further ahead is refused: it bounds how long a captured message
 *                         could be replayed and how long this worker must remember what it ran
 */
@ConfigurationProperties("lazarus.trust")
public record TrustProperties(
        Path trustedKeys, @DefaultValue("48h") Duration maxDeadlineAhead) {

    public TrustProperties {
        if (trustedKeys == null) {
            trustedKeys = Path.of(System.getProperty("user.home"), ".lazarus", "trusted-keys");
        }
        if (maxDeadlineAhead.isNegative() || maxDeadlineAhead.isZero()) {
            throw new IllegalArgumentException(
                    "lazarus.trust.max-deadline-ahead must be positive, was " + maxDeadlineAhead);
        }
    }
}
