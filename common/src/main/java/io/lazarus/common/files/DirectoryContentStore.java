package io.lazarus.common.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * A content store in a directory every coordinator and worker of an installation sees (one machine, a bind mount, a
 * ReadWriteMany volume): the content of digest {@code H} is the file {@code <root>/sha256/H}. Content arrives under a
 * temporary name and is renamed into place, so a reader sees all of it or none.
 */
public final class DirectoryContentStore implements ContentStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public DirectoryContentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code ~/.lazarus/files}: the coordinator's and the worker's default, so that one machine needs no set-up. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".lazarus", "files");
    }

    /** Where the content of {@code sha256} lives; only ever built from a checked digest. */
    Path pathOf(String sha256) throws ContentException {
        if (!Sha256.isHex(sha256)) {
            throw new ContentException("not a sha256 digest (64 lower case hex digits)");
        }
        return root.resolve("sha256").resolve(sha256);
    }

    @Override
    public StoredContent put(Path local) throws ContentException {
        StoredContent original = readLocal(local);
        Path target = pathOf(original.sha256());
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && original.equals(hashStored(target))) {
            return original;
        }
        Path temp;
        try {
            Path dir = Files.createDirectories(target.getParent());
            temp = Files.createTempFile(dir, ".incoming-", ".part");
        } catch (IOException e) {
            throw new ContentException("cannot write to the file store " + root + ": " + e, e);
        }
        try {
            StoredContent copied = copy(local, temp);
            if (!copied.equals(original)) {
                throw new ContentException(local + " changed while it was copied into the file store (sha256 "
                        + original.sha256() + ", " + original.size() + " bytes before; " + copied.sha256() + ", "
                        + copied.size() + " bytes while copying)");
            }
            readableByAll(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (ContentException e) {
            throw e;
        } catch (IOException e) {
            throw new ContentException("cannot copy " + local + " into the file store " + root + ": " + e, e);
        } finally {
            deleteQuietly(temp);
        }
        StoredContent stored = hashStored(target);
        if (!original.equals(stored)) {
            throw new ContentException("the file store's copy of " + local + " at " + target + " does not match it"
                    + " after the copy (" + describe(stored) + ")");
        }
        return original;
    }

    @Override
    public void verify(String sha256, long size) throws ContentException {
        Path path = pathOf(sha256);
        StoredContent stored = hashStored(path);
        if (stored == null) {
            throw new ContentException("the file store " + root + " holds no sha256 " + sha256
                    + " (is lazarus.files.root the directory the coordinator writes to?)");
        }
        if (stored.size() != size) {
            throw new ContentException("the file store's copy of sha256 " + sha256 + " at " + path + " holds "
                    + stored.size() + " bytes, not the " + size + " the run names: it is damaged");
        }
        if (!stored.sha256().equals(sha256)) {
            throw new ContentException("the file store's copy of sha256 " + sha256 + " at " + path
                    + " is damaged: its content hashes to " + stored.sha256());
        }
    }

    @Override
    public InputStream open(String sha256) throws ContentException {
        Path path = pathOf(sha256);
        try {
            return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ContentException("the file store " + root + " holds no sha256 " + sha256, e);
        } catch (IOException e) {
            throw new ContentException("cannot read " + path + ": " + e, e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    private static StoredContent readLocal(Path local) throws ContentException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(local, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new ContentException(local + " is not a regular file");
            }
            try (InputStream in = Files.newInputStream(local)) {
                return Sha256.of(in);
            }
        } catch (NoSuchFileException e) {
            throw new ContentException(local + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new ContentException(local + ": permission denied", e);
        } catch (ContentException e) {
            throw e;
        } catch (IOException e) {
            throw new ContentException(local + ": cannot read: " + e, e);
        }
    }

    /** The digest of what the store holds at {@code path}; null when it holds nothing there. */
    private static StoredContent hashStored(Path path) throws ContentException {
        try {
            if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile()) {
                throw new ContentException(path + " in the file store is not a regular file");
            }
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                return Sha256.of(in);
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (ContentException e) {
            throw e;
        } catch (IOException e) {
            throw new ContentException("cannot read " + path + " in the file store: " + e, e);
        }
    }

    private static StoredContent copy(Path from, Path to) throws IOException {
        MessageDigest digest = Sha256.digest();
        long size = 0;
        try (InputStream in = new DigestInputStream(Files.newInputStream(from), digest);
                FileChannel channel =
                        FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                size += n;
            }
            // on disk before the rename makes it visible: a crash leaves the old name or all of the content
            channel.force(true);
        }
        return new StoredContent(Sha256.hex(digest), size);
    }

    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .part file is harmless: no reader looks up a name that is not a digest
        }
    }

    private static String describe(StoredContent stored) {
        return stored == null ? "it is gone" : "it holds " + stored.size() + " bytes with sha256 " + stored.sha256();
    }
}
