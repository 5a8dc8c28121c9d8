package io.lazarus.coordinator.dispatch;

import io.lazarus.common.contract.InstallMessage;
import java.util.List;
import java.util.function.Consumer;

/** Port: publishes install messages and says which ones the broker confirmed. */
public interface InstallPublisher {

    /** Messages published together, then confirmed together: the unit a run is released in. */
    int WINDOW = 500;

    /** Readies signing: a run starts only once it can be signed, before anything is recorded. */
    void prepare();

    /**
     * Publishes every message; hands each window's confirmed messages to {@code confirmed} as they are confirmed.
     *
     * @param resurrections how often these nodes were resurrected: the header the resurrection limit is counted in
     */
    void dispatch(List<InstallMessage> messages, int resurrections, Consumer<List<InstallMessage>> confirmed);

    /** Publishes every message, as above, for a caller that needs nothing of the confirms as they come. */
    default void dispatch(List<InstallMessage> messages, int resurrections) {
        dispatch(messages, resurrections, confirmed -> {});
    }
}
