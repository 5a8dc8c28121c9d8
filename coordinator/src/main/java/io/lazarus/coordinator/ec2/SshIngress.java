package io.lazarus.coordinator.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;

/** Makes a security group admit SSH (tcp/22) from the given ranges; a rule that already exists is as good. */
final class SshIngress {

    static final String DUPLICATE = "InvalidPermission.Duplicate";
    private static final int SSH = 22;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*/(\\d{1,3})");

    private final Ec2Session session;

    SshIngress(Ec2Session session) {
        this.session = session;
    }

    /** Refuses what is not a CIDR block before anything is asked of EC2. */
    static void validate(String cidr) {
        Matcher v4 = IPV4.matcher(cidr);
        if (v4.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (Integer.parseInt(v4.group(group)) > 255) {
                    throw notCidr(cidr);
                }
            }
            if (Integer.parseInt(v4.group(5)) > 32) {
                throw notCidr(cidr);
            }
            return;
        }
        Matcher v6 = IPV6.matcher(cidr);
        if (!v6.matches() || Integer.parseInt(v6.group(1)) > 128) {
            throw notCidr(cidr);
        }
    }

    static boolean anywhere(String cidr) {
        return cidr.equals("0.0.0.0/0") || cidr.equals("::/0");
    }

    /** One line per range: whether the rule was added or already there. */
    List<String> ensure(String groupId, List<String> cidrs) {
        List<String> lines = new ArrayList<>();
        for (String cidr : cidrs) {
            IpPermission.Builder permission =
                    IpPermission.builder().ipProtocol("tcp").fromPort(SSH).toPort(SSH);
            if (cidr.contains(":")) {
                permission.ipv6Ranges(Ipv6Range.builder()
                        .cidrIpv6(cidr)
                        .description("lazarus: SSH")
                        .build());
            } else {
                permission.ipRanges(IpRange.builder()
                        .cidrIp(cidr)
                        .description("lazarus: SSH")
                        .build());
            }
            AuthorizeSecurityGroupIngressRequest request = AuthorizeSecurityGroupIngressRequest.builder()
                    .groupId(groupId)
                    .ipPermissions(permission.build())
                    .build();
            try {
                Ec2Calls.call(
                        "AuthorizeSecurityGroupIngress", () -> session.client().authorizeSecurityGroupIngress(request));
                lines.add(groupId + ": SSH (tcp/22) from " + cidr + " allowed now");
            } catch (Ec2Exception e) {
                if (!DUPLICATE.equals(e.code())) {
                    throw e;
                }
                lines.add(groupId + ": SSH (tcp/22) from " + cidr + " was already allowed");
            }
        }
        return lines;
    }

    private static Ec2Exception notCidr(String cidr) {
        return Ec2Exception.input(
                "--ssh-cidr '" + cidr + "' is not a CIDR block (10.0.0.0/16, 203.0.113.7/32," + " 2001:db8::/32)");
    }
}
