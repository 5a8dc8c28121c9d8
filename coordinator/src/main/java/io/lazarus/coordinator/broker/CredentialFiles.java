package io.lazarus.coordinator.broker;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * Each role's login in {@code <directory>/<role>.properties} (by default {@code ~/.lazarus/broker}), readable by its
 * owner alone. The worker and the coordinator import their file ({@code spring.config.import}); the next set-up reads
 * the passwords back, so running it again changes nothing.
 */
public final class CredentialFiles {

    public static final String USERNAME = "spring.rabbitmq.username";
    public static final String PASSWORD = "spring.rabbitmq.password";

    private final Path directory;

    public CredentialFiles(Path directory) {
        this.directory = directory;
    }

    /** {@code lazarus.broker.credentials-directory}, else {@code ~/.lazarus/broker}. */
    public static Path defaultDirectory() {
        String configured = System.getenv("LAZARUS_BROKER_CREDENTIALS_DIRECTORY");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".lazarus", "broker");
    }

    public Path directory() {
        return directory;
    }

    public Path file(BrokerRole role) {
        return directory.resolve(role.word() + ".properties");
    }

    /** The password kept for {@code user}, if its role's file names that user. */
    public Optional<String> password(BrokerRole role, String user) {
        Path file = file(role);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return user.equals(properties.getProperty(USERNAME))
                ? Optional.ofNullable(properties.getProperty(PASSWORD))
                : Optional.empty();
    }

    /** Writes one role's file, 0600 in a 0700 directory, replacing the old one at once. */
    public Path write(BrokerUser user, String vhost) {
        Properties properties = new Properties();
        properties.setProperty(USERNAME, user.name());
        properties.setProperty(PASSWORD, user.password());
        properties.setProperty("spring.rabbitmq.virtual-host", vhost);
        String purpose = switch (user.role()) {
            case ADMIN -> "The administrator: declares the topology (lazarus broker setup --admin-uri)";
            case COORDINATOR -> "The coordinator (lazarus command and service) imports this file";
            case WORKER -> "The worker imports this file";
            case MONITORING -> "For KEDA and Prometheus: the management API and metrics, nothing over AMQP";
        };
        if (user.role() == BrokerRole.COORDINATOR || user.role() == BrokerRole.WORKER) {
            // this user may not configure the shared topology: it checks that it exists
            properties.setProperty("lazarus.topology.declare", "false");
        }
        StringWriter text = new StringWriter();
        try {
            properties.store(
                    text, "lazarus broker setup: the " + user.role().word() + " role's broker login. " + purpose);
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            Path file = file(user.role());
            Path temporary = Files.createTempFile(
                    directory,
                    user.role().word(),
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // no date line: a file that did not change stays the same
            Files.writeString(
                    temporary,
                    text.toString().replaceFirst("(?m)^#[A-Z][a-z]{2} [A-Z][a-z]{2} .*\\R", ""),
                    StandardCharsets.UTF_8);
            return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(user.role()) + ": " + e.getMessage(), e);
        }
    }
}
