package io.lazarus.coordinator.ec2;

/** What a command line sets over {@link Ec2Properties}; null leaves the configured value. */
public record Ec2Overrides(String region, String profile, Integer maxAttempts, Ec2RetryMode retryMode) {

    public static final Ec2Overrides NONE = new Ec2Overrides(null, null, null, null);
}
