package io.lazarus.coordinator.files;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InvalidField;
import java.nio.file.Path;

/**
 * One {@code --upload LOCAL:REMOTE[:MODE]}: a local file, the absolute path it takes on every node, and its octal
 * mode (default 0644). A colon separates the parts, so neither path may hold one.
 */
public record UploadSpec(Path local, String remotePath, String mode) {

    /** Throws {@link UploadException} naming {@code value} and what is wrong with it. */
    public static UploadSpec parse(String value) {
        String[] parts = value.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new UploadException(
                    value, "expected LOCAL:REMOTE or LOCAL:REMOTE:MODE (a colon in either path is not supported)");
        }
        if (parts[0].isEmpty()) {
            throw new UploadException(value, "the local file is missing");
        }
        String problem = FileUpload.remotePathProblem(parts[1]);
        if (problem != null) {
            throw new UploadException(value, "the remote path " + problem);
        }
        String mode = parts.length == 3 ? parts[2] : FileUpload.DEFAULT_MODE;
        try {
            // the contract's own check, on a placeholder digest: the mode is refused here as it would be there
            mode = FileUpload.of("0".repeat(64), 0, parts[1], mode).mode();
        } catch (InvalidField e) {
            throw new UploadException(value, "the mode " + e.detail());
        }
        return new UploadSpec(Path.of(parts[0]), parts[1], mode);
    }
}
