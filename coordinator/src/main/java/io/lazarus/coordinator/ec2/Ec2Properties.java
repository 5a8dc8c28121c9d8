package io.lazarus.coordinator.ec2;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.ec2.*}: how Lazarus talks to EC2. Region and credentials come from the SDK's standard chains unless
 * named here or on the command line.
 *
 * @param region                 overrides the region chain (AWS_REGION, the profile's region...)
 * @param profile                a profile of ~/.aws/config for credentials and region
 * @param endpoint               another EC2 endpoint: a LocalStack-style emulator, or the tests' local server
 * @param maxAttempts            attempts of one call, the first included, before its error is given up on
 * @param retryMode              standard: backoff with jitter; adaptive: the same, and the client slows itself
 *                               down once EC2 throttles it
 * @param backoffBase            base of the exponential backoff with jitter after an ordinary retryable error
 * @param throttlingBackoffBase  base of the backoff after a throttling error
 * @param maxBackoff             ceiling of either backoff
 * @param launchBatch            instances asked of one RunInstances call
 * @param statusPollInterval     pause between rounds of DescribeInstanceStatus while waiting for status checks
 */
@ConfigurationProperties("lazarus.ec2")
public record Ec2Properties(
        String region,
        String profile,
        URI endpoint,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("standard") Ec2RetryMode retryMode,
        @DefaultValue("100ms") Duration backoffBase,
        @DefaultValue("1s") Duration throttlingBackoffBase,
        @DefaultValue("20s") Duration maxBackoff,
        @DefaultValue("50") int launchBatch,
        @DefaultValue("15s") Duration statusPollInterval) {

    public Ec2Properties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("lazarus.ec2.max-attempts must be 1 or more, was " + maxAttempts);
        }
        if (launchBatch < 1) {
            throw new IllegalArgumentException("lazarus.ec2.launch-batch must be 1 or more, was " + launchBatch);
        }
    }

    /** These settings with what the command line named instead. */
    public Ec2Properties with(Ec2Overrides overrides) {
        return new Ec2Properties(
                firstNonNull(overrides.region(), region),
                firstNonNull(overrides.profile(), profile),
                endpoint,
                firstNonNull(overrides.maxAttempts(), maxAttempts),
                firstNonNull(overrides.retryMode(), retryMode),
                backoffBase,
                throttlingBackoffBase,
                maxBackoff,
                launchBatch,
                statusPollInterval);
    }

    private static <T> T firstNonNull(T first, T second) {
        return first != null ? first : second;
    }
}
