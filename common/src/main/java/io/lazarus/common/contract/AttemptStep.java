package io.lazarus.common.contract;

/**
 * One try within an attempt: a connect attempt or one run of one command. Every retry the watchdog makes is one step,
 * so an event shows what happened, not only how it ended.
 *
 * @param phase   {@code connect}, {@code upload} or {@code command}
 * @param command index of the command in the script, or of the file in the uploads; null for connects
 * @param number  1 for the first try of this phase (and command), +1 for each retry
 * @param outcome how this try ended
 * @param detail  one readable line; empty when it succeeded
 */
public record AttemptStep(String phase, Integer command, int number, Outcome outcome, long durationMs, String detail) {

    public static final String CONNECT = "connect";
    public static final String COMMAND = "command";
    public static final String UPLOAD = "upload";

    public AttemptStep {
        detail = detail == null ? "" : detail;
    }
}
