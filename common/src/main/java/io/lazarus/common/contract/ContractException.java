package io.lazarus.common.contract;

/** A message that cannot be accepted as it is. The message says what was wrong, fit for an operator. */
public sealed class ContractException extends RuntimeException
        permits ContractException.Malformed, ContractException.UnsupportedSchema {

    private ContractException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Not JSON, or JSON that does not make a valid message. */
    public static final class Malformed extends ContractException {
        public Malformed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Well-formed JSON written by a schema version this build does not speak. */
    public static final class UnsupportedSchema extends ContractException {
        private final int version;

        public UnsupportedSchema(int version) {
            super(
                    "unsupported schemaVersion " + version + " (this build speaks " + Contracts.SCHEMA_VERSION + ")",
                    null);
            this.version = version;
        }

        public int version() {
            return version;
        }
    }
}
