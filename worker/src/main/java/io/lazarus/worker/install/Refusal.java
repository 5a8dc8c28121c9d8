package io.lazarus.worker.install;

/** Why a message is not run: one line, fit for the REJECTED event and the log, naming what was wrong. */
final class Refusal extends Exception {
    Refusal(String reason) {
        super(reason, null, false, false);
    }
}
