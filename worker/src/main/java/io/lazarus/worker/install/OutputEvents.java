package io.lazarus.worker.install;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.trust.Printable;
import io.lazarus.worker.install.EventPublisher.EventNotConfirmedException;
import io.lazarus.worker.ssh.OutputSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution's output on the registry exchange: OUTPUT events, each confirmed before the next and all before the
 * FINISHED event, so the registry has them in order when the outcome arrives. The last chunks, when they are small,
 * ride in the FINISHED event instead: a script that prints little and ends within the flush interval costs no extra
 * message.
 */
final class OutputEvents implements OutputSink {

    private static final Logger log = LoggerFactory.getLogger(OutputEvents.class);
    /** Inline in the FINISHED event up to this many characters; more goes in OUTPUT events before it. */
    static final int INLINE_CHARS = 8 * 1024;

    private static final int CHUNKS_PER_EVENT = 2;

    private final EventPublisher events;
    private final InstallMessage install;
    private final String worker;
    private final boolean redelivered;
    private final String execution;
    private List<OutputChunk> inline = List.of();

    OutputEvents(EventPublisher events, InstallMessage install, String worker, boolean redelivered, String execution) {
        this.events = events;
        this.install = install;
        this.worker = worker;
        this.redelivered = redelivered;
        this.execution = execution;
    }

    @Override
    public boolean send(List<OutputChunk> chunks) {
        for (int from = 0; from < chunks.size(); from += CHUNKS_PER_EVENT) {
            List<OutputChunk> some = chunks.subList(from, Math.min(chunks.size(), from + CHUNKS_PER_EVENT));
            try {
                events.publishConfirmed(AttemptEvent.output(install, worker, redelivered, execution, some));
            } catch (EventNotConfirmedException e) {
                // the output is a record, not the outcome: the install goes on, the report says what was dropped
                log.warn(
                        "{} {}: output not sent, the rest of it is dropped: {}",
                        install.runId(),
                        Printable.of(install.node().id(), 128),
                        Printable.of(e.getMessage(), 500));
                return false;
            }
        }
        return true;
    }

    @Override
    public void end(List<OutputChunk> chunks) {
        int chars = chunks.stream().mapToInt(c -> c.text().length()).sum();
        if (chars <= INLINE_CHARS && chunks.size() <= AttemptEvent.MAX_CHUNKS) {
            inline = List.copyOf(chunks);
        } else {
            send(chunks);
        }
    }

    /** The FINISHED event, with the last chunks if they are to ride in it. */
    AttemptEvent finished(AttemptEvent event) {
        return event.withOutput(inline);
    }
}
