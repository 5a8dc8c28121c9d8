package io.lazarus.worker;

import io.lazarus.common.Errors;
import io.lazarus.common.topology.MissingTopologyException;
import io.lazarus.common.topology.TopologyCheck;
import io.lazarus.common.topology.TopologyConfiguration;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import sun.misc.Signal;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TopologyConfiguration.class)
public class WorkerApplication {

    public static void main(String[] args) {
        // Kubernetes and docker stop a worker with SIGTERM. It then drains (InstallSubscription) and closes: a clean
        // stop, so exit 0 rather than the JVM's 143.
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        try {
            SpringApplication.run(WorkerApplication.class, args);
        } catch (RuntimeException e) {
            // one paragraph a person can act on; Spring's own report of the failure is switched off (application.yml)
            System.err.println("lazarus-worker: cannot start: " + rootMessage(e) + "\nSettings are lazarus.* properties"
                    + " or LAZARUS_* environment variables (java -jar lazarus-worker.jar --help; the README's"
                    + " \"Configuration reference\"); the broker is SPRING_RABBITMQ_ADDRESSES.");
            System.exit(2);
        }
    }

    private static String rootMessage(Throwable e) {
        // a missing topology's message is already the sentence that says what to do
        return Errors.causeOf(e, MissingTopologyException.class)
                .map(Throwable::getMessage)
                .orElseGet(() -> Errors.rootLine(e));
    }

    /** With lazarus.topology.declare=false, a missing queue ends the start before the subscription tries it. */
    @Bean
    SmartLifecycle topologyCheckAtStart(TopologyCheck check) {
        return check.atStart(LoggerFactory.getLogger(WorkerApplication.class));
    }
}
