package io.lazarus.coordinator.run.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * A service's shutdown printed "Exception in thread run-events-2 ... CancellationException" for every run it followed:
 * the container started a consumer again (its connection gone) as the consumer's executor closed, and the executor
 * cancelled it before it ran. Such a consumer never ran; anything else a consumer's thread throws is still printed.
 */
class ConsumerThreadsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream systemErr;

    @BeforeEach
    void capture() {
        systemErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setErr(systemErr);
    }

    /**
     * The race as the container makes it: a consumer's thread is started, and the executor closes before the thread
     * gets to run it (with no task running, a close does not wait). A thread starts slower than a close returns, so
     * the race is met within a few tries.
     */
    @Test
    void aConsumerCancelledBeforeItRanAsItsExecutorClosedIsNoStackTrace() throws Exception {
        int cancelled = 0;
        for (int attempt = 0; attempt < 200 && cancelled < 3; attempt++) {
            SimpleAsyncTaskExecutor threads =
                    new SimpleAsyncTaskExecutor(new EventBatchConsumer.ConsumerThreads("run-events-"));
            threads.setTaskTerminationTimeout(1000);
            CountDownLatch ran = new CountDownLatch(1);

            threads.execute(ran::countDown);
            threads.close();

            if (!ran.await(200, TimeUnit.MILLISECONDS)) {
                cancelled++;
            }
        }

        assertThat(cancelled).as("consumers cancelled before they ran").isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void whatAConsumersThreadThrowsOtherwiseIsPrintedAsAlways() throws Exception {
        Thread thread = new EventBatchConsumer.ConsumerThreads("run-events-").newThread(() -> {
            throw new IllegalStateException("the listener failed");
        });

        thread.start();
        thread.join(5000);

        assertThat(thread.getName()).startsWith("run-events-");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Exception in thread \"run-events-", "IllegalStateException: the listener failed");
    }
}
