package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.common.trust.Printable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code attempt_output}: the chunks of each attempt's output, keyed by attempt, execution and sequence number, so a
 * redelivered chunk is recorded once. The worker stops at its cap; this table refuses what an execution sends beyond
 * {@code cap} plus a margin (cap marker lines, masks longer than what they hide), whoever sent it.
 */
final class OutputTable {

    private static final Logger log = LoggerFactory.getLogger(OutputTable.class);
    static final long MARGIN_BYTES = 256 * 1024;
    /** Events of a worker without execution ids still have one execution per attempt. */
    private static final String NO_EXECUTION = "";

    private final JdbcClient jdbc;
    private final long limitBytes;
    private final AtomicLong refused = new AtomicLong();

    OutputTable(JdbcClient jdbc, long capBytes) {
        this.jdbc = jdbc;
        this.limitBytes = capBytes + MARGIN_BYTES;
    }

    /** Records the event's chunks; returns whether any was new. */
    boolean record(AttemptEvent event) {
        boolean recorded = false;
        String execution = event.executionId() == null ? NO_EXECUTION : event.executionId();
        for (OutputChunk chunk : event.output()) {
            int bytes = chunk.bytes();
            long stored = jdbc.sql("""
                    select coalesce(sum(bytes), 0) from attempt_output where attempt_id = ? and execution_id = ?""")
                    .params(event.attemptId(), execution)
                    .query(Long.class)
                    .single();
            if (stored + bytes > limitBytes || chunk.offset() + bytes > limitBytes) {
                if (refused.incrementAndGet() <= 20) {
                    log.warn(
                            "output of attempt {} beyond the registry's cap of {} bytes: chunk {} not recorded",
                            Printable.of(event.attemptId(), 320),
                            limitBytes,
                            chunk.seq());
                }
                continue;
            }
            recorded |= jdbc.sql("""
                            insert into attempt_output (attempt_id, execution_id, seq, stream, byte_offset, bytes,
                                                        content, recorded_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?)
                            on conflict do nothing""")
                            .params(
                                    event.attemptId(),
                                    execution,
                                    chunk.seq(),
                                    chunk.stream().name(),
                                    chunk.offset(),
                                    bytes,
                                    chunk.text(),
                                    utc(Instant.now()))
                            .update()
                    > 0;
        }
        return recorded;
    }

    /**
     * The attempt's chunks after {@code afterSeq}, in order, of its latest execution that sent any: a message run twice
     * shows the output of its last run.
     */
    List<OutputRecord> read(String attemptId, long afterSeq) {
        return jdbc.sql("""
                select seq, stream, byte_offset, content from attempt_output
                where attempt_id = ? and seq > ? and execution_id = (
                    select execution_id from attempt_output where attempt_id = ?
                    order by recorded_at desc, seq desc fetch first 1 rows only)
                order by seq""")
                .params(attemptId, afterSeq, attemptId)
                .query((rs, row) -> new OutputRecord(
                        rs.getLong("seq"),
                        OutputStreamName.valueOf(rs.getString("stream")),
                        rs.getLong("byte_offset"),
                        rs.getString("content")))
                .list();
    }
}
