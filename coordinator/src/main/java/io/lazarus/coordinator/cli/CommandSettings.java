package io.lazarus.coordinator.cli;

import java.util.List;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The settings of a command that needs no Spring context, read as Spring Boot reads them for every other command
 * (application.yml and the {@code cli} profile's, the imported broker credentials, {@code SPRING_PROFILES_ACTIVE},
 * environment variables and system properties, bound with the same relaxed names and defaults), without the beans,
 * the registry or the broker a context would bring: a tenth of the start-up.
 */
final class CommandSettings {

    private final Binder binder;

    private CommandSettings(Binder binder) {
        this.binder = binder;
    }

    static CommandSettings load() {
        // nothing logs before the command's own logging is set up: logback's fallback writes to standard output,
        // where scripts read the run id
        LoggingSystem.get(CommandSettings.class.getClassLoader()).beforeInitialize();
        StandardEnvironment environment = new StandardEnvironment();
        ConfigDataEnvironmentPostProcessor.applyTo(
                environment,
                new DefaultResourceLoader(CommandSettings.class.getClassLoader()),
                null,
                List.of(Cli.COMMAND_PROFILE));
        return new CommandSettings(Binder.get(environment));
    }

    /** The {@code @ConfigurationProperties} record under {@code prefix}, its defaults where nothing is set. */
    <T> T bind(String prefix, Class<T> type) {
        return binder.bindOrCreate(prefix, type);
    }
}
