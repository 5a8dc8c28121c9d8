package io.lazarus.common.contract;

/** A message that names the schema it was written in: {@link Contracts} checks it before anything else. */
public interface Versioned {

    int schemaVersion();
}
