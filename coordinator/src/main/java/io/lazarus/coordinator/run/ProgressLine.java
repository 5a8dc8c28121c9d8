package io.lazarus.coordinator.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Prints progress at most once per interval and only when it changed, with a heartbeat every 30 seconds so a quiet
 * run still shows it is alive; the final line always. Lines start with an elapsed-time stamp, ignored in comparisons.
 */
public final class ProgressLine {

    private static final long HEARTBEAT_NANOS = Duration.ofSeconds(30).toNanos();

    private final PrintStream out;
    private final long intervalNanos;
    private long lastPrinted = System.nanoTime();
    private String lastContent = "";

    public ProgressLine(PrintStream out, Duration interval) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
    }

    public void maybe(Supplier<String> text, boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastPrinted < intervalNanos) {
            return;
        }
        String line = text.get();
        String content = line.replaceFirst("^\\[[0-9:]+] ", "");
        if (content.equals(lastContent) && now - lastPrinted < HEARTBEAT_NANOS) {
            return;
        }
        out.println(line);
        out.flush();
        lastContent = content;
        lastPrinted = now;
    }
}
