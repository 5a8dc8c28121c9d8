package io.lazarus.coordinator.service;

import io.lazarus.coordinator.resurrection.DeadLetterRecorder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What {@code serve} starts once the broker answers: every dead letter is recorded, and the runs a previous service
 * left (or a resurrection reopened) are taken up.
 */
@Component
public class ServiceStarter {

    private static final java.time.Duration TAKE_UP_INTERVAL = java.time.Duration.ofSeconds(15);

    private final ObjectProvider<RunLauncher> launcher;
    private final DeadLetterRecorder deadLetters;

    ServiceStarter(ObjectProvider<RunLauncher> launcher, DeadLetterRecorder deadLetters) {
        this.launcher = launcher;
        this.deadLetters = deadLetters;
    }

    public void start() {
        deadLetters.start();
        launcher.getObject().resumeUnfinished();
        launcher.getObject().keepTakingUpReopened(TAKE_UP_INTERVAL);
    }
}
