package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.ec2.Ec2Overrides;
import io.lazarus.coordinator.ec2.Ec2RetryMode;
import picocli.CommandLine.Option;

/** How a command reaches EC2; anything not given comes from lazarus.ec2.* and then the SDK's standard chains. */
final class Ec2Options {

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description =
                    "AWS region (default: lazarus.ec2.region, else the SDK's chain: AWS_REGION, the profile's region)")
    String region;

    @Option(
            names = "--profile",
            paramLabel = "PROFILE",
            description = "AWS profile for credentials and region (default: the SDK's chain: environment, AWS_PROFILE,"
                    + " the default profile, container and instance roles)")
    String profile;

    @Option(
            names = "--max-attempts",
            paramLabel = "N",
            description = "attempts of one EC2 call before its error stands, throttled retries included"
                    + " (default: lazarus.ec2.max-attempts, 10)")
    Integer maxAttempts;

    @Option(
            names = "--retry-mode",
            paramLabel = "MODE",
            description = "standard (backoff with jitter) or adaptive (also slows the client down while throttled)"
                    + " (default: lazarus.ec2.retry-mode, standard)")
    Ec2RetryMode retryMode;

    Ec2Overrides overrides() {
        if (maxAttempts != null && maxAttempts < 1) {
            throw new InputException("--max-attempts must be 1 or more, was " + maxAttempts);
        }
        return new Ec2Overrides(region, profile, maxAttempts, retryMode);
    }

    boolean given() {
        return region != null || profile != null || maxAttempts != null || retryMode != null;
    }
}
