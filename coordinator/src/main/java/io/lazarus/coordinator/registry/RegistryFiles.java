package io.lazarus.coordinator.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The H2 file registry holds every run's script, outputs and reasons: its directory is 0700 before H2 opens it (so
 * whatever H2 creates there later, with the process's umask, is out of other users' reach) and its files 0600 once
 * the schema is in place. A PostgreSQL registry, or H2 in memory, is left alone.
 */
@Component
class RegistryFiles implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(RegistryFiles.class);
    private static final String H2_FILE = "jdbc:h2:file:";

    private final Path database;
    private boolean directoryDone;

    RegistryFiles(Environment environment) {
        this.database = h2File(environment.getProperty("spring.datasource.url"));
    }

    /** {@code jdbc:h2:file:/home/me/.lazarus/registry;MODE=...} gives {@code /home/me/.lazarus/registry}. */
    static Path h2File(String url) {
        if (url == null || !url.startsWith(H2_FILE)) {
            return null;
        }
        String path = url.substring(H2_FILE.length());
        int options = path.indexOf(';');
        path = options < 0 ? path : path.substring(0, options);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Path.of(path).toAbsolutePath();
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (!directoryDone && bean instanceof javax.sql.DataSource && database != null) {
            directoryDone = true;
            lockDirectory(database.getParent());
        }
        return bean;
    }

    @EventListener(ContextRefreshedEvent.class)
    void lockFiles() {
        if (database == null || !posix()) {
            return;
        }
        Path directory = database.getParent();
        lockDirectory(directory);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, database.getFileName() + ".*")) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            log.warn("could not make the registry files in {} private (0600): {}", directory, e.getMessage());
        }
    }

    private static void lockDirectory(Path directory) {
        if (!posix()) {
            return;
        }
        try {
            if (Files.isDirectory(directory)
                    && Files.getPosixFilePermissions(directory)
                            .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                // a shared directory such as /tmp is not ours to close: the files are still made private
                log.warn(
                        "the registry directory {} is writable by every user; only the registry files are made private",
                        directory);
                return;
            }
            Files.createDirectories(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the registry directory " + directory + " private (0700): " + e.getMessage(), e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
