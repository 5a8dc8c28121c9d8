package io.lazarus.coordinator.ec2;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * Makes the EC2 client of a command: region and credentials from the SDK's standard chains (or the profile and region
 * named), the configured retry strategy, and a {@link ThrottleCounter}. Nothing is resolved until a command asks, so
 * commands that never touch EC2 never read AWS configuration.
 */
@Component
public class Ec2Clients {

    private final Ec2Properties properties;
    private final MeterRegistry meters;

    public Ec2Clients(Ec2Properties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
    }

    public Ec2Session open(Ec2Overrides overrides) {
        Ec2Properties settings = properties.with(overrides);
        Region region = region(settings);
        ThrottleCounter throttles = new ThrottleCounter(meters);
        Ec2ClientBuilder builder = Ec2Client.builder()
                .region(region)
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(
                        c -> c.retryStrategy(retryStrategy(settings)).addMetricPublisher(throttles));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new Ec2Session(builder.build(), region.id(), throttles, settings);
    }

    private static Region region(Ec2Properties settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder()
                    .profileName(settings.profile())
                    .build()
                    .getRegion();
        } catch (SdkClientException e) {
            throw Ec2Exception.input("no AWS region: pass --region, set AWS_REGION, or give "
                    + (settings.profile() != null ? "the profile '" + settings.profile() + "'" : "the AWS profile")
                    + " a region");
        }
    }

    /** Resolved at the first call, so a missing credential is reported with the call it stopped. */
    private static AwsCredentialsProvider credentials(Ec2Properties settings) {
        // a profile named on purpose wins over credentials in the environment, as with the AWS CLI
        return settings.profile() != null
                ? ProfileCredentialsProvider.create(settings.profile())
                : DefaultCredentialsProvider.builder().build();
    }

    static RetryStrategy retryStrategy(Ec2Properties settings) {
        RetryStrategy.Builder<?, ?> builder = switch (settings.retryMode()) {
            case STANDARD -> AwsRetryStrategy.standardRetryStrategy().toBuilder();
            case ADAPTIVE -> AwsRetryStrategy.adaptiveRetryStrategy().toBuilder();
        };
        return builder.maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.backoffBase(), settings.maxBackoff()))
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(settings.throttlingBackoffBase(), settings.maxBackoff()))
                .build();
    }
}
