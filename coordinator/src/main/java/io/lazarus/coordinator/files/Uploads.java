package io.lazarus.coordinator.files;

import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.files.ContentException;
import io.lazarus.common.files.ContentStore;
import io.lazarus.common.files.StoredContent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Puts the files of a run's {@code --upload} values into the content store, before anything is published: each is
 * hashed, copied in unless the store holds it already, and checked there. The uploads name them by digest.
 */
@Component
public class Uploads {

    private final ContentStore store;

    public Uploads(ContentStore store) {
        this.store = store;
    }

    /** Throws {@link UploadException} naming the first value that cannot be done. */
    public List<FileUpload> stage(List<String> values) {
        if (values.size() > FileUpload.MAX_PER_MESSAGE) {
            throw new IllegalArgumentException(
                    "--upload: at most " + FileUpload.MAX_PER_MESSAGE + " per run, got " + values.size());
        }
        List<FileUpload> uploads = new ArrayList<>();
        Set<String> remotePaths = new HashSet<>();
        for (String value : values) {
            UploadSpec spec = UploadSpec.parse(value);
            if (!remotePaths.add(spec.remotePath())) {
                throw new UploadException(value, "another --upload goes to " + spec.remotePath() + " too");
            }
            StoredContent stored;
            try {
                stored = store.put(spec.local());
            } catch (ContentException e) {
                throw new UploadException(value, e.getMessage());
            }
            uploads.add(FileUpload.of(stored.sha256(), stored.size(), spec.remotePath(), spec.mode()));
        }
        return uploads;
    }

    /**
     * For uploads named by digest: throws {@link IllegalArgumentException} naming the first whose content the store
     * does not hold intact.
     */
    public void requireStored(List<FileUpload> uploads) {
        for (FileUpload upload : uploads) {
            try {
                store.verify(upload.sha256(), upload.size());
            } catch (ContentException e) {
                throw new IllegalArgumentException("the upload to " + upload.remotePath() + ": " + e.getMessage());
            }
        }
    }
}
