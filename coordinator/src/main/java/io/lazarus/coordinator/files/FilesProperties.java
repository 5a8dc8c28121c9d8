package io.lazarus.coordinator.files;

import io.lazarus.common.files.DirectoryContentStore;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code lazarus.files.*}: where {@code lazarus run --upload} puts the files a run copies to its nodes, by digest.
 * The workers read the same directory (their own {@code lazarus.files.root}): on one machine the default serves both;
 * elsewhere it is a shared mount.
 *
 * @param root the store's directory, {@code ~/.lazarus/files} by default; content of digest {@code H} is
 *             {@code <root>/sha256/H}
 */
@ConfigurationProperties("lazarus.files")
public record FilesProperties(Path root) {

    public FilesProperties {
        root = root == null ? DirectoryContentStore.defaultRoot() : root;
    }
}
