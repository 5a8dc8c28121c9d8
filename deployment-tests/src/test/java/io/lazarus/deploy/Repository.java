package io.lazarus.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this repository, found from where Maven runs the tests. */
final class Repository {

    private Repository() {}

    /** {@code LAZARUS_SOURCE_ROOT} (Maven sets it), else the first folder upwards that holds {@code mvnw}. */
    static Path root() {
        String root = System.getenv("LAZARUS_SOURCE_ROOT");
        if (root != null) {
            return Path.of(root);
        }
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isRegularFile(here.resolve("mvnw"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("not inside the repository: set LAZARUS_SOURCE_ROOT");
        }
        return here;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
