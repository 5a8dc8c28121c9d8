package io.lazarus.coordinator.ec2;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts the attempts EC2 throttled (RequestLimitExceeded and the SDK's other throttling codes), for one command and
 * as the counter {@code lazarus.ec2.throttled.calls}. The SDK classifies each attempt itself: a publisher sees every
 * attempt of a call, retries included, where an interceptor sees only the call's final failure.
 */
public final class ThrottleCounter implements MetricPublisher {

    static final String METER = "lazarus.ec2.throttled.calls";
    /** {@link CoreMetric#ERROR_TYPE} of an attempt EC2 throttled. */
    private static final String THROTTLING = "Throttling";

    private static final String ATTEMPT = "ApiCallAttempt";

    private final MeterRegistry meters;
    private final AtomicInteger throttled = new AtomicInteger();

    public ThrottleCounter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void publish(MetricCollection call) {
        long count = call.childrenWithName(ATTEMPT)
                .flatMap(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).stream())
                .filter(THROTTLING::equals)
                .count();
        if (count > 0) {
            String operation = call.metricValues(CoreMetric.OPERATION_NAME).stream()
                    .findFirst()
                    .orElse("unknown");
            throttled.addAndGet((int) count);
            Counter.builder(METER)
                    .tag("operation", operation)
                    .description("EC2 API attempts answered with a throttling error (each was retried or given up on)")
                    .register(meters)
                    .increment(count);
        }
    }

    /** Throttled attempts since this counter was made. */
    public int count() {
        return throttled.get();
    }

    @Override
    public void close() {}
}
