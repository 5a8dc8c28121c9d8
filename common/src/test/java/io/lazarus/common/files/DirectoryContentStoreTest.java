package io.lazarus.common.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryContentStoreTest {

    /** sha256 of "hello\n", as sha256sum prints it. */
    static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path dir;

    @Test
    void contentIsStoredUnderItsDigestReadableByAllWithNothingLeftOver() throws Exception {
        DirectoryContentStore store = new DirectoryContentStore(dir.resolve("store"));
        Path local = Files.writeString(dir.resolve("hello.txt"), "hello\n");

        StoredContent stored = store.put(local);

        assertThat(stored).isEqualTo(new StoredContent(HELLO, 6));
        Path path = dir.resolve("store/sha256/" + HELLO);
        assertThat(path).hasContent("hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                .isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(path.getParent())) {
            assertThat(files).containsExactly(path);
        }
        store.verify(HELLO, 6);
        try (InputStream in = store.open(HELLO)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        }
    }

    @Test
    void contentAlreadyStoredIntactIsNotCopiedAgainButADamagedCopyIsReplaced() throws Exception {
        DirectoryContentStore store = new DirectoryContentStore(dir);
        Path local = Files.writeString(dir.resolve("hello.txt"), "hello\n");
        store.put(local);
        Path path = dir.resolve("sha256/" + HELLO);
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(path, old);

        store.put(local);
        assertThat(Files.getLastModifiedTime(path)).isEqualTo(old);

        Files.writeString(path, "hellO\n");
        assertThatThrownBy(() -> store.verify(HELLO, 6))
                .isInstanceOf(ContentException.class)
                .hasMessageContaining("is damaged: its content hashes to ");
        store.put(local);
        assertThat(path).hasContent("hello\n");
    }

    @Test
    void aMissingUnreadableOrOddLocalFileIsNamed() throws Exception {
        DirectoryContentStore store = new DirectoryContentStore(dir.resolve("store"));
        Path unreadable = Files.writeString(dir.resolve("secret"), "x");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));

        assertThatThrownBy(() -> store.put(dir.resolve("missing.bin")))
                .isInstanceOf(ContentException.class)
                .hasMessage(dir.resolve("missing.bin") + ": no such file");
        assertThatThrownBy(() -> store.put(dir)).hasMessage(dir + " is not a regular file");
        if (!Files.isReadable(unreadable)) { // root reads anything
            assertThatThrownBy(() -> store.put(unreadable)).hasMessage(unreadable + ": permission denied");
        }
    }

    @Test
    void missingShortOrDamagedContentIsRefusedSayingWhich() throws Exception {
        DirectoryContentStore store = new DirectoryContentStore(dir);
        store.put(Files.writeString(dir.resolve("hello.txt"), "hello\n"));

        assertThatThrownBy(() -> store.verify("b".repeat(64), 6))
                .hasMessageContaining("holds no sha256 " + "b".repeat(64));
        assertThatThrownBy(() -> store.verify(HELLO, 7)).hasMessageContaining("holds 6 bytes, not the 7 the run names");
        Files.writeString(dir.resolve("sha256/" + HELLO), "HELLO\n");
        assertThatThrownBy(() -> store.verify(HELLO, 6)).hasMessageContaining("is damaged");
    }

    @Test
    void onlyADigestNamesContentAndALinkInTheStoreIsNotFollowed() throws Exception {
        DirectoryContentStore store = new DirectoryContentStore(dir);
        Files.createDirectories(dir.resolve("sha256"));
        Path target = Files.writeString(dir.resolve("elsewhere"), "hello\n");
        Files.createSymbolicLink(dir.resolve("sha256/" + HELLO), target);

        for (String name : new String[] {"../elsewhere", "../../etc/passwd", HELLO.toUpperCase(), ""}) {
            assertThatThrownBy(() -> store.open(name)).hasMessageContaining("not a sha256 digest");
            assertThatThrownBy(() -> store.verify(name, 6)).hasMessageContaining("not a sha256 digest");
        }
        assertThatThrownBy(() -> store.verify(HELLO, 6)).hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> store.open(HELLO).close()).isInstanceOf(ContentException.class);
    }
}
