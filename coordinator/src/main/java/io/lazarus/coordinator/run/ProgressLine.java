package io.lazarus.coordinator.run;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Prints progress at most once per interval and only when it changed, with a heartbeat every 30 seconds so a quiet
 * run still shows it is alive; the final line always. Lines start with an elapsed-time stamp, ignored in comparisons.
 */
public final class ProgressLine {

    private static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private final Progress out;
    private final Duration interval;
    private final Clock clock;
    private Instant lastPrinted;
    private String lastContent = "";

    public ProgressLine(PrintStream out, Duration interval) {
        this(Progress.to(out), interval, Clock.systemUTC());
    }

    ProgressLine(Progress out, Duration interval, Clock clock) {
        this.out = out;
        this.interval = interval;
        this.clock = clock;
        this.lastPrinted = clock.instant();
    }

    public void maybe(Supplier<String> text, boolean last) {
        Instant now = clock.instant();
        Duration since = Duration.between(lastPrinted, now);
        if (!last && since.compareTo(interval) < 0) {
            return;
        }
        String line = text.get();
        String content = line.replaceFirst("^\\[[0-9:]+] ", "");
        if (content.equals(lastContent) && since.compareTo(HEARTBEAT) < 0) {
            return;
        }
        out.println(line);
        lastContent = content;
        lastPrinted = now;
    }
}
