package io.lazarus.coordinator.run;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Whether this process follows a run now, and the operator's wish that it stop (Ctrl-C). Kept apart from the {@link
 * RunService} so that the signal handler, installed before a command starts, needs neither the registry nor the broker:
 * a command opens them while it reads its input.
 */
@Component
public class Following {

    private final AtomicBoolean detached = new AtomicBoolean();
    private volatile boolean active;

    /** Whether a run is followed now: Ctrl-C then detaches from it rather than ending the process. */
    public boolean active() {
        return active;
    }

    /**
     * Stops following at the next turn of the follow loop: the run goes on with the broker and the workers, its events
     * wait in its queue, and {@code lazarus watch} takes it up.
     */
    public void detach() {
        detached.set(true);
    }

    boolean detachRequested() {
        return detached.get();
    }

    void started() {
        active = true;
    }

    void ended() {
        active = false;
    }
}
