package io.lazarus.coordinator.trust;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code lazarus.signing.*}: the run-signing key.
 *
 * @param keyFile        the Ed25519 private key (PKCS#8 PEM, 0600) every install message is signed with; by default
 *                       {@code ~/.lazarus/signing.key}, created by the first command that publishes when missing
 * @param localTrustFile where a key created here is trusted at once: the trusted-keys file of workers on this machine
 *                       ({@code ~/.lazarus/trusted-keys}, their default)
 */
@ConfigurationProperties("lazarus.signing")
public record SigningProperties(Path keyFile, Path localTrustFile) {

    public SigningProperties {
        Path home = Path.of(System.getProperty("user.home"), ".lazarus");
        keyFile = keyFile == null ? home.resolve("signing.key") : keyFile;
        localTrustFile = localTrustFile == null ? home.resolve("trusted-keys") : localTrustFile;
    }
}
