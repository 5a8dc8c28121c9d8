package io.lazarus.coordinator.service;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** What {@code serve} starts once the broker answers: the runs a previous service left are taken up. */
@Component
public class ServiceStarter {

    private final ObjectProvider<RunLauncher> launcher;

    ServiceStarter(ObjectProvider<RunLauncher> launcher) {
        this.launcher = launcher;
    }

    public void start() {
        launcher.getObject().resumeUnfinished();
    }
}
