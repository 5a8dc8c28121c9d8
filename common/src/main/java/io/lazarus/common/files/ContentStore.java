package io.lazarus.common.files;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where uploaded files wait, by SHA-256, between the coordinator that puts them and the workers that send them to the
 * nodes. Only a digest ever names content: a reader never follows a path from a message.
 */
public interface ContentStore {

    /**
     * Copies a local file in, unless the store already holds it intact, and checks the stored copy against the file's
     * digest. Throws naming what went wrong: a missing or unreadable file, one that changed while it was copied.
     */
    StoredContent put(Path local) throws ContentException;

    /** Throws unless the store holds exactly {@code size} bytes whose digest is {@code sha256}; reads them all. */
    void verify(String sha256, long size) throws ContentException;

    /** The content, unchecked: the reader checks size and digest of what it read before using it. */
    InputStream open(String sha256) throws ContentException;

    /** Where it is, for a reason a person reads. */
    String describe();
}
