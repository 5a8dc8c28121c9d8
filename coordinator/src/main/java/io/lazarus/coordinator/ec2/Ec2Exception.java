package io.lazarus.coordinator.ec2;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** EC2 said no, or could not be asked. {@link #input()} when the user's input is what it refused. */
public final class Ec2Exception extends RuntimeException {

    private final boolean input;

    private Ec2Exception(String message, boolean input, Throwable cause) {
        super(message, cause);
        this.input = input;
    }

    /** The request was wrong: a filter, a parameter, a missing region. */
    public static Ec2Exception input(String message) {
        return new Ec2Exception(message, true, null);
    }

    /** EC2 refused the request for what it asked. */
    static Ec2Exception input(String message, AwsServiceException cause) {
        return new Ec2Exception(message, true, cause);
    }

    /** AWS refused (permissions, credentials, throttling) or could not be reached. */
    public static Ec2Exception aws(String message, Throwable cause) {
        return new Ec2Exception(message, false, cause);
    }

    public boolean input() {
        return input;
    }

    /** EC2's error code ({@code InvalidParameterValue}...) when EC2 answered with one. */
    public String code() {
        return getCause() instanceof AwsServiceException e ? Ec2Calls.code(e) : null;
    }
}
