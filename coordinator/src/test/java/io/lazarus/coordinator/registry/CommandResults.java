package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import java.util.List;

/** Attempt results whose commands say how long each was silent at most: what stall timeouts are learned from. */
public final class CommandResults {

    private CommandResults() {}

    /** One run of command {@code index} that exited {@code exit} (null for none) after {@code silenceMs} of silence. */
    public static CommandResult command(int index, Integer exit, long silenceMs) {
        return new CommandResult(index, exit, null, silenceMs, 1, 90_000, false, silenceMs);
    }

    public static AttemptResult withCommands(Outcome outcome, CommandResult... commands) {
        return new AttemptResult(
                outcome,
                null,
                null,
                "",
                100,
                List.of(commands),
                List.of(),
                "",
                "",
                0,
                null,
                1,
                null,
                null,
                Watchdog.DEFAULTS,
                false);
    }
}
