package io.lazarus.worker.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;

class RefusedEventsTest {

    @Test
    void aMessageIsHeldLongerWithEachDeliveryTheQueueCountedSoTheDeliveryLimitOutlastsALeaderlessBroker() {
        assertThat(pauseAfter(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pauseAfter(0L)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pauseAfter(1L)).isEqualTo(Duration.ofSeconds(2));
        assertThat(pauseAfter(2L)).isEqualTo(Duration.ofSeconds(4));
        assertThat(pauseAfter(3L)).isEqualTo(Duration.ofSeconds(8));
        assertThat(pauseAfter(40L)).isEqualTo(Duration.ofSeconds(8));
        assertThat(pauseAfter(-1L)).as("a header no broker sets").isEqualTo(Duration.ofSeconds(1));
        Duration beforePoison = Duration.ZERO;
        for (long earlier = 0; earlier < 4; earlier++) {
            beforePoison = beforePoison.plus(pauseAfter(earlier));
        }
        assertThat(beforePoison)
                .as("held before the fifth delivery, the default limit")
                .isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aStoppingWorkerDoesNotWait() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        RefusedEvents.pause(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.interrupted())
                .as("still interrupted, for the caller to see")
                .isTrue();
    }

    private static Duration pauseAfter(Long deliveryCount) {
        MessageProperties properties = new MessageProperties();
        if (deliveryCount != null) {
            properties.setHeader("x-delivery-count", deliveryCount);
        }
        return RefusedEvents.pauseBeforeGivingBack(properties);
    }
}
