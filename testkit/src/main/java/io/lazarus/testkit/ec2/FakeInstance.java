package io.lazarus.testkit.ec2;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One instance of {@link FakeEc2}: what DescribeInstances shows, and where it stands on its way to passing checks. */
public final class FakeInstance {

    private final String id;
    private final String reservationId;
    private final String ami;
    private final String type;
    private final String zone;
    private final String privateIp;
    private final String publicIp;
    private final String keyName;
    private final String securityGroup;
    private final String clientToken;
    private final Instant launchTime = Instant.now();
    private final Map<String, String> tags;
    private final boolean impaired;
    private String state;
    private int statusPolls;

    FakeInstance(
            String id,
            String reservationId,
            String ami,
            String type,
            String zone,
            String privateIp,
            String publicIp,
            String keyName,
            String securityGroup,
            String clientToken,
            Map<String, String> tags,
            String state,
            boolean impaired) {
        this.id = id;
        this.reservationId = reservationId;
        this.ami = ami;
        this.type = type;
        this.zone = zone;
        this.privateIp = privateIp;
        this.publicIp = publicIp;
        this.keyName = keyName;
        this.securityGroup = securityGroup;
        this.clientToken = clientToken;
        this.tags = new LinkedHashMap<>(tags);
        this.state = state;
        this.impaired = impaired;
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    public String zone() {
        return zone;
    }

    public String privateIp() {
        return privateIp;
    }

    /** Null when the instance has no public address. */
    public String publicIp() {
        return publicIp;
    }

    public String ami() {
        return ami;
    }

    public synchronized String state() {
        return state;
    }

    public synchronized Map<String, String> tags() {
        return Map.copyOf(tags);
    }

    String reservationId() {
        return reservationId;
    }

    String keyName() {
        return keyName;
    }

    String securityGroup() {
        return securityGroup;
    }

    String clientToken() {
        return clientToken;
    }

    Instant launchTime() {
        return launchTime;
    }

    synchronized void state(String state) {
        this.state = state;
    }

    /** Running with both checks passed, as if long since launched. */
    synchronized void passChecks() {
        state = "running";
        statusPolls = Integer.MAX_VALUE / 2;
    }

    /** Answers one DescribeInstanceStatus: pending first, then running while its checks initialize, then checked. */
    synchronized String[] pollStatus(int pollsUntilChecked) {
        if (state.equals("pending") && statusPolls >= 1) {
            state = "running";
        }
        String checks;
        if (!state.equals("running")) {
            checks = "not-applicable";
        } else if (statusPolls < pollsUntilChecked) {
            checks = "initializing";
        } else {
            checks = impaired ? "impaired" : "ok";
        }
        statusPolls++;
        return new String[] {state, checks};
    }

    static int code(String state) {
        return switch (state) {
            case "pending" -> 0;
            case "running" -> 16;
            case "shutting-down" -> 32;
            case "terminated" -> 48;
            case "stopping" -> 64;
            case "stopped" -> 80;
            default -> throw new IllegalArgumentException(state);
        };
    }
}
