package io.lazarus.coordinator.run;

import io.lazarus.common.topology.Topology;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.stereotype.Component;

/**
 * Whether any worker listens on {@code lazarus.install}: a passive declare gives the queue's consumer count, so a run
 * nobody can take says so in seconds rather than at its deadline.
 */
@Component
public class InstallConsumers {

    public static final String NONE = "no worker is consuming " + Topology.INSTALL_QUEUE
            + ": queued nodes wait until one starts (java -jar lazarus-worker.jar) or the run's deadline passes";

    private final AmqpAdmin admin;

    InstallConsumers(AmqpAdmin admin) {
        this.admin = admin;
    }

    /** The consumers of the install queue, or -1 when the broker cannot tell (the queue is missing, or out of reach). */
    public int count() {
        try {
            QueueInformation info = admin.getQueueInfo(Topology.INSTALL_QUEUE);
            return info == null ? -1 : info.getConsumerCount();
        } catch (AmqpException e) {
            return -1;
        }
    }

    /** {@link #NONE} when no worker listens, else null. */
    public String warning() {
        return count() == 0 ? NONE : null;
    }
}
