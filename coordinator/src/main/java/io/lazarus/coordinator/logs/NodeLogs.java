package io.lazarus.coordinator.logs;

import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.OutputRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/** A node's whole output as the registry holds it, for {@code lazarus logs} and the API. */
@Component
public class NodeLogs {

    private final RegistryStore registry;

    NodeLogs(RegistryStore registry) {
        this.registry = registry;
    }

    /** The node's attempt with that number, or without one its latest; empty when none has started or finished. */
    public Optional<AttemptRecord> attempt(String runId, String nodeId, OptionalInt number) {
        List<AttemptRecord> attempts = registry.attempts(runId, nodeId);
        return (number.isPresent()
                        ? attempts.stream().filter(a -> a.attempt() == number.getAsInt())
                        : attempts.stream())
                .reduce((first, second) -> second);
    }

    /** The attempt's chunks after {@code afterSeq} (-1 for all), in order, of the streams asked for. */
    public List<OutputRecord> chunks(String attemptId, long afterSeq, LogStreams streams) {
        return registry.output(attemptId, afterSeq).stream()
                .filter(chunk -> streams.includes(chunk.stream()))
                .toList();
    }

    /** The whole log of the attempt's streams asked for, as one text. */
    public String text(String attemptId, LogStreams streams) {
        StringBuilder text = new StringBuilder();
        chunks(attemptId, -1, streams).forEach(chunk -> text.append(chunk.text()));
        return text.toString();
    }
}
