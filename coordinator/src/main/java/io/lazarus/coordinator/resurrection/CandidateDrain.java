package io.lazarus.coordinator.resurrection;

import java.util.function.Consumer;

/** Port: judges resurrection candidates and carries out the verdicts, for a run that resurrects its own. */
public interface CandidateDrain {

    /** Resurrections before a node is quarantined. */
    int limit();

    /** Judges candidates until the queue has none left for this request; hands each judgement to {@code each}. */
    DrainReport drain(DrainRequest request, Consumer<Judged> each);
}
