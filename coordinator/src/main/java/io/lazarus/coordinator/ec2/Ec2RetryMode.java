package io.lazarus.coordinator.ec2;

/** The SDK retry strategies Lazarus offers: both back off exponentially with jitter. */
public enum Ec2RetryMode {
    STANDARD,
    /** Standard, plus a client-side rate limit that tightens while EC2 throttles. */
    ADAPTIVE
}
