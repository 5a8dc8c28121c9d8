package io.lazarus.worker.install;

import java.time.Duration;
import org.springframework.amqp.core.MessageProperties;

/**
 * How long a worker holds an install message whose event the broker refused before giving it back. While a quorum
 * queue the registry exchange routes to has no leader (a broker node lost), every publish is refused at once: given
 * back at once, the message came straight back, its event was refused again, and five deliveries in 0.2 s made it
 * poison (RabbitMQ's delivery limit) though nothing was wrong with it. The pause doubles with each delivery the queue
 * counts, so the default limit of 5 outlasts about 15 s of a broker without a leader.
 */
final class RefusedEvents {

    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    private RefusedEvents() {}

    /** 1 s on the first delivery, twice as long for each earlier one the queue counted, at most 8 s. */
    static Duration pauseBeforeGivingBack(MessageProperties delivery) {
        long earlier = delivery.getHeader("x-delivery-count") instanceof Number count ? count.longValue() : 0;
        return FIRST_PAUSE.multipliedBy(1L << Math.clamp(earlier, 0, 3));
    }

    /** Waits, unless the worker is stopping: an interrupted wait gives the message back at once. */
    static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
