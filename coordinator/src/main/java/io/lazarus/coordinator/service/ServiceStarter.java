package io.lazarus.coordinator.service;

import io.lazarus.coordinator.resurrection.DeadLetterRecorder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What {@code serve} starts once the broker answers: every dead letter is recorded, and the runs nobody follows (left
 * by a replica that died, or reopened by a resurrection) are taken up, now and every third of the lease.
 */
@Component
public class ServiceStarter {

    private final ObjectProvider<RunLauncher> launcher;
    private final DeadLetterRecorder deadLetters;

    ServiceStarter(ObjectProvider<RunLauncher> launcher, DeadLetterRecorder deadLetters) {
        this.launcher = launcher;
        this.deadLetters = deadLetters;
    }

    public void start() {
        deadLetters.start();
        launcher.getObject().keepTakingUp();
    }
}
