package io.lazarus.worker.secrets;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.worker.secrets.*}: where the worker finds the values of the secrets a run names. A name is looked up
 * first as a file in {@code directory} (a mounted Kubernetes Secret: one file per key), then as the environment
 * variable {@code environmentPrefix + NAME}.
 *
 * @param directory         optional; a file named like the secret holds its value (one trailing newline dropped)
 * @param environmentPrefix the environment variable {@code LAZARUS_SECRET_DB_PASSWORD} holds {@code DB_PASSWORD}
 */
@ConfigurationProperties("lazarus.worker.secrets")
public record SecretsProperties(
        Path directory,
        @DefaultValue(SecretsProperties.PREFIX) String environmentPrefix) {

    static final String PREFIX = "LAZARUS_SECRET_";

    public SecretsProperties {
        environmentPrefix = environmentPrefix == null ? PREFIX : environmentPrefix;
    }
}
