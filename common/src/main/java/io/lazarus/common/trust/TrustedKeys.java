package io.lazarus.common.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys trusted to sign install messages, read from a trusted-keys file (one {@link TrustedKey} line each, {@code #}
 * comments). The file is read again when it changes, at most once a second, so a key is added or retired without a
 * restart: that is how keys rotate with no downtime. A file that turns unreadable keeps the keys last read.
 */
public final class TrustedKeys {

    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile Map<String, TrustedKey> keys;
    private volatile FileTime readAt;
    private volatile long checkedAt;
    private volatile String problem;

    private TrustedKeys(Path file, Map<String, TrustedKey> keys) {
        this.file = file;
        this.keys = keys;
    }

    /** Keys that never change, for the coordinator's own key and for tests. */
    public static TrustedKeys of(List<TrustedKey> keys) {
        Map<String, TrustedKey> byId = new LinkedHashMap<>();
        keys.forEach(k -> byId.put(k.keyId(), k));
        return new TrustedKeys(null, Map.copyOf(byId));
    }

    /**
     * The keys of a file, which need not exist yet; a file that exists but has a bad line is refused with its line.
     */
    public static TrustedKeys file(Path file) {
        TrustedKeys trusted = new TrustedKeys(file, Map.of());
        trusted.reload(true);
        return trusted;
    }

    public Optional<TrustedKey> find(String keyId) {
        refresh();
        TrustedKey key = keys.get(keyId);
        if (key == null && file != null) {
            checkedAt = 0; // a key just added should be found without waiting for the next check
            refresh();
            key = keys.get(keyId);
        }
        return Optional.ofNullable(key);
    }

    public List<TrustedKey> all() {
        refresh();
        return List.copyOf(keys.values());
    }

    /** For a refusal: which keys are trusted and from where. */
    public String describe() {
        String ids = keys.isEmpty() ? "none" : String.join(", ", keys.keySet());
        return file == null ? ids : ids + " from " + file + (problem == null ? "" : "; " + problem);
    }

    private void refresh() {
        if (file == null || System.nanoTime() - checkedAt < RECHECK_NANOS) {
            return;
        }
        reload(false);
    }

    private synchronized void reload(boolean strict) {
        checkedAt = System.nanoTime();
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(readAt)) {
                return;
            }
            Map<String, TrustedKey> read = new LinkedHashMap<>();
            for (TrustedKey key : read(file)) {
                read.put(key.keyId(), key);
            }
            keys = Map.copyOf(read);
            readAt = modified;
            problem = null;
        } catch (NoSuchFileException e) {
            keys = Map.of();
            readAt = null;
            problem = "the file does not exist";
        } catch (IOException | IllegalArgumentException e) {
            if (strict) {
                throw e instanceof IllegalArgumentException iae
                        ? iae
                        : new IllegalArgumentException(file + ": cannot read the trusted keys: " + e.getMessage(), e);
            }
            problem = e.getMessage();
        }
    }

    /** The keys of a file; a bad line is refused as {@code file:line: what is wrong}. */
    public static List<TrustedKey> read(Path file) throws IOException {
        List<TrustedKey> keys = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(TrustedKey.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    /** Adds a key to a trusted-keys file (created 0644 if missing) unless it is there already; returns whether it was added. */
    public static synchronized boolean trust(Path file, TrustedKey key) throws IOException {
        if (Files.exists(file) && read(file).stream().anyMatch(k -> k.keyId().equals(key.keyId()))) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(
                file,
                key.line() + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return true;
    }

    /** Removes a key from a trusted-keys file; returns whether it was there. */
    public static synchronized boolean untrust(Path file, String keyId) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        List<String> kept = new ArrayList<>();
        boolean removed = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            if (!stripped.isEmpty()
                    && !stripped.startsWith("#")
                    && TrustedKey.parse(stripped).keyId().equals(keyId)) {
                removed = true;
            } else {
                kept.add(line);
            }
        }
        if (removed) {
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".trusted", ".tmp");
            Files.write(temporary, kept, StandardCharsets.UTF_8);
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return removed;
    }
}
