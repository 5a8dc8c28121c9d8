package io.lazarus.coordinator.ec2;

import io.lazarus.common.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** One EC2 call, its failure said in a line that names the call and what to do about it. */
final class Ec2Calls {

    static final String UNAUTHORIZED = "UnauthorizedOperation";
    private static final String ENCODED = "Encoded authorization failure message";

    private Ec2Calls() {}

    /** The call, its SDK exceptions translated; the SDK has already retried what was worth retrying. */
    static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(operation, e);
        } catch (SdkClientException e) {
            throw translate(operation, e);
        }
    }

    /** The items in lists of at most {@code size}: the most ids one call takes. */
    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode()
                : "HTTP " + e.statusCode();
    }

    static String message(AwsServiceException e) {
        String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
        return message != null ? message : e.getMessage();
    }

    static Ec2Exception translate(String operation, AwsServiceException e) {
        String code = code(e);
        String message = message(e);
        if (code.equals(UNAUTHORIZED)) {
            int encoded = message.indexOf(ENCODED);
            String said = encoded < 0
                    ? message
                    : message.substring(0, encoded).strip()
                            + " (decode the rest with: aws sts decode-authorization-message)";
            return Ec2Exception.aws(
                    "the AWS credentials lack the permission ec2:" + operation + " (" + code
                            + "): grant it to them (README, AWS EC2: IAM permissions). AWS said: " + said,
                    e);
        }
        if (code.equals("AuthFailure")
                || code.equals("InvalidClientTokenId")
                || code.equals("SignatureDoesNotMatch")
                || code.equals("ExpiredToken")
                || code.equals("RequestExpired")) {
            return Ec2Exception.aws(
                    "AWS did not accept the credentials for ec2:" + operation + " (" + code + "): " + message, e);
        }
        if (e.isThrottlingException()) {
            return Ec2Exception.aws(
                    "ec2:" + operation + " was still throttled (" + code + ") after "
                            + (e.numAttempts() != null ? e.numAttempts() : "every")
                            + " attempt(s): raise --max-attempts"
                            + " (lazarus.ec2.max-attempts) or try again later",
                    e);
        }
        if (code.startsWith("Invalid") || code.startsWith("Missing") || code.equals("Unsupported")) {
            // what was asked is wrong (an AMI, a key pair, a parameter): the input, not AWS
            return Ec2Exception.input("ec2:" + operation + " refused the request: " + code + ": " + message, e);
        }
        return Ec2Exception.aws("ec2:" + operation + " failed: " + code + ": " + message, e);
    }

    /** A failure a later try may not meet: throttling past the retries, a server error, the network. */
    static boolean passing(Ec2Exception e) {
        if (e.getCause() instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return Errors.causeOf(e.getCause(), IOException.class).isPresent();
    }

    private static Ec2Exception translate(String operation, SdkClientException e) {
        String cause = Errors.rootMessage(e);
        if (cause.contains("Unable to load credentials") || cause.contains("Profile file contained no credentials")) {
            return Ec2Exception.aws(
                    "no AWS credentials for ec2:" + operation + ": name a profile (--profile,"
                            + " AWS_PROFILE) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. " + firstLine(cause),
                    e);
        }
        return Ec2Exception.aws("cannot call ec2:" + operation + ": " + cause, e);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
