package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.common.trust.Printable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private static final String INSERT = """
            insert into attempt_output (attempt_id, execution_id, seq, stream, byte_offset, bytes, content, recorded_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final long limitBytes;
    private final AtomicLong refused = new AtomicLong();

    OutputTable(JdbcClient jdbc, JdbcTemplate batch, long capBytes) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.limitBytes = capBytes + MARGIN_BYTES;
    }

    /** Records the event's chunks; returns whether any was new. */
    boolean record(AttemptEvent event) {
        boolean recorded = false;
        String execution = execution(event);
        for (OutputChunk chunk : event.output()) {
            long stored = jdbc.sql("""
                    select coalesce(sum(bytes), 0) from attempt_output where attempt_id = ? and execution_id = ?""")
                    .params(event.attemptId(), execution)
                    .query(Long.class)
                    .single();
            if (withinCap(event, chunk, stored)) {
                recorded |= jdbc.sql(INSERT)
                                .params(
                                        event.attemptId(),
                                        execution,
                                        chunk.seq(),
                                        chunk.stream().name(),
                                        chunk.offset(),
                                        chunk.bytes(),
                                        chunk.text(),
                                        utc(Instant.now()))
                                .update()
                        > 0;
            }
        }
        return recorded;
    }

    /**
     * Records the chunks of these events at once, as {@link #record} would one event after another: one lookup of
     * what each execution has stored, one batched insert. A chunk offered counts towards its execution's cap here,
     * even if it was stored already (a copy's): the difference is a copy's chunks near the cap, refused instead of
     * found.
     */
    void recordAll(List<AttemptEvent> events) {
        record Chunk(AttemptEvent event, OutputChunk chunk) {}
        List<AttemptEvent> withOutput =
                events.stream().filter(event -> !event.output().isEmpty()).toList();
        Map<Execution, Long> stored = stored(withOutput);
        List<Chunk> accepted = new ArrayList<>();
        for (AttemptEvent event : withOutput) {
            Execution key = new Execution(event.attemptId(), execution(event));
            for (OutputChunk chunk : event.output()) {
                long before = stored.getOrDefault(key, 0L);
                if (withinCap(event, chunk, before)) {
                    stored.put(key, before + chunk.bytes());
                    accepted.add(new Chunk(event, chunk));
                }
            }
        }
        OffsetDateTime now = utc(Instant.now());
        Sql.batch(batch, INSERT, accepted, (ps, accept) -> {
            ps.setString(1, accept.event().attemptId());
            ps.setString(2, execution(accept.event()));
            ps.setLong(3, accept.chunk().seq());
            ps.setString(4, accept.chunk().stream().name());
            ps.setLong(5, accept.chunk().offset());
            ps.setInt(6, accept.chunk().bytes());
            ps.setString(7, accept.chunk().text());
            ps.setObject(8, now);
        });
    }

    /** The bytes each execution of these events' attempts has stored. */
    private Map<Execution, Long> stored(List<AttemptEvent> events) {
        Map<Execution, Long> stored = new HashMap<>();
        Sql.inParts(
                events.stream().map(AttemptEvent::attemptId).distinct().toList(),
                ids -> jdbc.sql("""
                        select attempt_id, execution_id, sum(bytes) as stored from attempt_output
                        where attempt_id in (:ids) group by attempt_id, execution_id""").param("ids", ids).query(rs -> {
                    stored.put(
                            new Execution(rs.getString("attempt_id"), rs.getString("execution_id")),
                            rs.getLong("stored"));
                }));
        return stored;
    }

    private boolean withinCap(AttemptEvent event, OutputChunk chunk, long stored) {
        int bytes = chunk.bytes();
        if (stored + bytes <= limitBytes && chunk.offset() + bytes <= limitBytes) {
            return true;
        }
        if (refused.incrementAndGet() <= 20) {
            log.warn(
                    "output of attempt {} beyond the registry's cap of {} bytes: chunk {} not recorded",
                    Printable.of(event.attemptId(), 320),
                    limitBytes,
                    chunk.seq());
        }
        return false;
    }

    private static String execution(AttemptEvent event) {
        return event.executionId() == null ? NO_EXECUTION : event.executionId();
    }

    /** An attempt's execution, whose chunks the cap counts together. */
    private record Execution(String attemptId, String executionId) {}

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
