package io.lazarus.common.contract;

import io.lazarus.common.trust.Printable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file the worker copies to the node, over SFTP on the attempt's session, before the script runs. The bytes never
 * travel in the message: the worker reads them from its file store by digest, checks them, and checks the digest
 * again on the node before the file takes its place.
 *
 * @param sha256     lower case hex SHA-256 of the content; the store's key and what the node must compute
 * @param size       bytes
 * @param remotePath absolute and normalized: no {@code .} or {@code ..} segment, no empty segment, no trailing slash;
 *                   letters, digits and {@code . _ - + @ % = , ~ /} only (nothing a shell or an SFTP glob reads
 *                   specially, no colon, no space)
 * @param mode       octal permission bits as text, {@code 0644} by default; at most {@code 0777}
 * @param store      where the worker gets the content: {@link #SHARED_DIRECTORY}, the only kind so far
 */
public record FileUpload(String sha256, long size, String remotePath, String mode, String store) {

    public static final String SHARED_DIRECTORY = "shared-directory";
    public static final String DEFAULT_MODE = "0644";
    /** Each upload costs an SFTP conversation and a digest on the node; a longer list belongs in an archive. */
    public static final int MAX_PER_MESSAGE = 32;

    public static final int MAX_REMOTE_PATH = 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
    private static final Pattern PATH_CHARACTERS = Pattern.compile("[A-Za-z0-9._+@%=,~/-]+");

    public FileUpload {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidField("upload.sha256", "must be 64 lower case hex digits");
        }
        if (size < 0) {
            throw new InvalidField("upload.size", "must be 0 or more, was " + size);
        }
        String problem = remotePathProblem(remotePath);
        if (problem != null) {
            throw new InvalidField("upload.remotePath", problem);
        }
        mode = mode == null ? DEFAULT_MODE : mode;
        if (!MODE.matcher(mode).matches()) {
            throw new InvalidField(
                    "upload.mode",
                    "must be octal permission bits such as 0644 or 755, at most 0777, was '" + Printable.of(mode, 80)
                            + "'");
        }
        mode = mode.length() == 3 ? "0" + mode : mode;
        store = store == null ? SHARED_DIRECTORY : store;
        if (!store.equals(SHARED_DIRECTORY)) {
            throw new InvalidField(
                    "upload.store", "must be " + SHARED_DIRECTORY + ", was '" + Printable.of(store, 80) + "'");
        }
    }

    public static FileUpload of(String sha256, long size, String remotePath, String mode) {
        return new FileUpload(sha256, size, remotePath, mode, SHARED_DIRECTORY);
    }

    /** The permission bits, for chmod. */
    public int modeBits() {
        return Integer.parseInt(mode, 8);
    }

    /** Null when {@code path} is a remote path an upload may have, else why not. */
    public static String remotePathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "is required";
        }
        if (path.length() > MAX_REMOTE_PATH) {
            return "is longer than " + MAX_REMOTE_PATH + " characters";
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "must not contain control characters or newlines";
        }
        if (!path.startsWith("/")) {
            return "must be absolute, was '" + Printable.of(path, 200) + "'";
        }
        if (path.endsWith("/")) {
            return "must name a file, not end with '/', was '" + Printable.of(path, 200) + "'";
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "must be normalized (no '..', '.' or empty segment), was '" + Printable.of(path, 200) + "'";
            }
        }
        if (!PATH_CHARACTERS.matcher(path).matches()) {
            return "may hold only letters, digits and . _ - + @ % = , ~ /, was '" + Printable.of(path, 200) + "'";
        }
        return null;
    }

    /** The uploads of one message: at most {@link #MAX_PER_MESSAGE}, each remote path once. */
    public static List<FileUpload> validated(List<FileUpload> uploads) {
        if (uploads == null) {
            return List.of();
        }
        if (uploads.size() > MAX_PER_MESSAGE) {
            throw new InvalidField("uploads", "at most " + MAX_PER_MESSAGE + " per run, got " + uploads.size());
        }
        Set<String> paths = new HashSet<>();
        for (FileUpload upload : uploads) {
            if (upload == null) {
                throw new InvalidField("uploads", "must not hold null");
            }
            if (!paths.add(upload.remotePath())) {
                throw new InvalidField("uploads", "name " + upload.remotePath() + " more than once");
            }
        }
        return List.copyOf(uploads);
    }
}
