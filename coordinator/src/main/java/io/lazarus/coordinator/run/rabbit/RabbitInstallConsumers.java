package io.lazarus.coordinator.run.rabbit;

import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.run.InstallConsumers;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.stereotype.Component;

/** The install queue's consumers, from a passive declare. */
@Component
class RabbitInstallConsumers implements InstallConsumers {

    private final AmqpAdmin admin;

    RabbitInstallConsumers(AmqpAdmin admin) {
        this.admin = admin;
    }

    @Override
    public int count() {
        try {
            QueueInformation info = admin.getQueueInfo(Topology.INSTALL_QUEUE);
            return info == null ? -1 : info.getConsumerCount();
        } catch (AmqpException e) {
            return -1;
        }
    }
}
