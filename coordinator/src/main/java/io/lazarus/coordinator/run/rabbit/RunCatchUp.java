package io.lazarus.coordinator.run.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.Errors;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.trust.EventGate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.stereotype.Component;

/**
 * A run enqueued without {@code --wait} keeps its events in its own queue until someone looks: {@code status} and
 * {@code report} record what waits there before they answer, so they tell the truth without a follower. A run that
 * has a follower ({@code run --wait}, {@code watch}) is left to it: its events are its to take.
 */
@Component
public class RunCatchUp {

    /** What the look at the run's queue found. */
    public record Result(int recorded, boolean followed, String problem) {

        /** One line for people, or null when there is nothing to say. */
        public String describe(String runId) {
            if (problem != null) {
                return "events of run " + runId + " not collected: " + problem;
            }
            if (followed) {
                return null;
            }
            return "nobody follows run " + runId + ": " + recorded + " event(s) collected from " + queueName(runId)
                    + " now; lazarus watch " + runId + " follows it to its end";
        }

        /** For a run that has ended: only news, an execution after its end (a replay, a late redelivery). */
        public String describeAfterEnd(String runId) {
            return recorded == 0
                    ? null
                    : recorded + " event(s) of run " + runId + " arrived after its end (a message"
                            + " run again: redelivered or replayed) and are now recorded";
        }
    }

    private final ConnectionFactory connectionFactory;
    private final RegistryStore registry;
    private final EventGate gate;
    private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

    RunCatchUp(ConnectionFactory connectionFactory, RegistryStore registry, EventGate gate) {
        this.connectionFactory = connectionFactory;
        this.registry = registry;
        this.gate = gate;
    }

    static String queueName(String runId) {
        return Topology.runEvents(runId)
                .getDeclarablesByType(Queue.class)
                .getFirst()
                .getName();
    }

    /** Records, then acknowledges, every event waiting in the run's queue, unless someone follows the run. */
    public Result collect(String runId) {
        String queue = queueName(runId);
        try (Connection connection = connectionFactory.createConnection()) {
            Channel channel = connection.createChannel(false);
            try {
                int consumers;
                try {
                    consumers = channel.queueDeclarePassive(queue).getConsumerCount();
                } catch (IOException missing) {
                    return new Result(
                            0,
                            false,
                            "its queue " + queue + " is gone (it expires an hour after its last" + " follower left)");
                }
                if (consumers > 0) {
                    return new Result(0, true, null);
                }
                int recorded = 0;
                GetResponse response;
                while ((response = channel.basicGet(queue, false)) != null) {
                    // the gate drops (and counts) what is unreadable or not a worker's word: keeping it would only
                    // block the others
                    Message message = new Message(
                            response.getBody(),
                            converter.toMessageProperties(
                                    response.getProps(), response.getEnvelope(), StandardCharsets.UTF_8.name()));
                    for (AttemptEvent event : gate.admit(message)) {
                        if (registry.record(event)) {
                            recorded++;
                        }
                    }
                    channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                }
                return new Result(recorded, false, null);
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        } catch (Exception e) {
            return new Result(0, false, "RabbitMQ: " + Errors.rootMessage(e));
        }
    }
}
