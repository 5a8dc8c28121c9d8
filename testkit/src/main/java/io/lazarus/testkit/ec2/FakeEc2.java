package io.lazarus.testkit.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * EC2 on loopback for tests: the Query API (form-encoded {@code Action=...}) answered with EC2's own XML documents
 * and error codes, for a real SDK client pointed at {@link #endpoint()}. It keeps instances, their tags and their way
 * through the status checks in memory, records every call, and has knobs for what real EC2 does on a bad day:
 * throttling, capacity running out, instances that never pass their checks, permissions missing.
 */
public final class FakeEc2 implements AutoCloseable {

    /** DescribeInstanceStatus takes at most this many instance ids. */
    public static final int STATUS_IDS_LIMIT = 100;

    private static final Set<String> FILTERS = Set.of(
            "instance-state-name",
            "tag-key",
            "instance-type",
            "availability-zone",
            "image-id",
            "instance-id",
            "key-name",
            "private-ip-address",
            "ip-address");

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, FakeInstance> instances = new LinkedHashMap<>();
    private final Set<String> ingress = new HashSet<>();
    private final Set<String> denied = new HashSet<>();
    private final Map<String, Integer> throttledActions = new LinkedHashMap<>();
    private int sequence;
    private int throttleNext;
    private int pageSize = 1000;
    private Integer capacity;
    private int impairNext;
    private int hiddenStatusCalls;
    private int pollsUntilChecked = 2;
    private boolean publicAddresses = true;

    private FakeEc2(HttpServer server) {
        this.server = server;
    }

    public static FakeEc2 start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeEc2 ec2 = new FakeEc2(server);
        server.createContext("/", ec2::handle);
        server.start();
        return ec2;
    }

    /** The endpoint override for the SDK: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One request as EC2 got it: its action, its parameters, and the HTTP status of the answer. */
    public record Call(String action, Map<String, String> params, int status) {

        public String param(String name) {
            return params.get(name);
        }

        /** {@code InstanceId.1, InstanceId.2...}: the values of a list parameter, in order. */
        public List<String> list(String prefix) {
            return FakeEc2.list(params, prefix);
        }

        /** Filter name to values. */
        public Map<String, List<String>> filters() {
            return FakeEc2.filters(params);
        }
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> calls(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).toList();
    }

    public synchronized List<FakeInstance> instances() {
        return List.copyOf(instances.values());
    }

    /** An instance already running (both checks passed) with these tags; {@code publicIp} false leaves it without one. */
    public synchronized FakeInstance addRunning(String type, Map<String, String> tags, boolean publicIp) {
        FakeInstance instance = newInstance(
                reservationId(),
                "ami-0fa1e5f00d5e11e55",
                type,
                "kp-seeded",
                "sg-seeded",
                null,
                tags,
                "running",
                publicIp,
                false);
        instance.passChecks();
        return instance;
    }

    /** The next {@code calls} requests, whatever their action, are answered RequestLimitExceeded (HTTP 503). */
    public synchronized void throttleNext(int calls) {
        throttleNext = calls;
    }

    /** The next {@code calls} requests of this action are answered RequestLimitExceeded (HTTP 503). */
    public synchronized void throttleNext(String action, int calls) {
        throttledActions.put(action, calls);
    }

    /** At most this many instances a page of DescribeInstances (its MaxResults may ask for fewer). */
    public synchronized void pageSize(int instances) {
        pageSize = instances;
    }

    /** Instances RunInstances can still launch; past it, fewer are launched, then InsufficientInstanceCapacity. */
    public synchronized void capacity(int instances) {
        capacity = instances;
    }

    /** The next {@code count} instances launched never pass their instance status check: impaired. */
    public synchronized void impairNextLaunched(int count) {
        impairNext = count;
    }

    /** The next {@code calls} DescribeInstanceStatus answer InvalidInstanceID.NotFound: new ids not visible yet. */
    public synchronized void hideFromStatusFor(int calls) {
        hiddenStatusCalls = calls;
    }

    /** Launched instances get a public address (the default) or not. */
    public synchronized void publicAddresses(boolean assign) {
        publicAddresses = assign;
    }

    /** The credentials lack ec2:ACTION: its calls answer UnauthorizedOperation (HTTP 403). */
    public synchronized void deny(String action) {
        denied.add(action);
    }

    /** The security group already admits tcp/22 from this range. */
    public synchronized void allowSsh(String groupId, String cidr) {
        ingress.add(groupId + " " + cidr);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params =
                    form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (exchange.getRequestURI().getRawQuery() != null) {
                params.putAll(form(exchange.getRequestURI().getRawQuery()));
            }
            String action = params.getOrDefault("Action", "");
            int status = 200;
            String body;
            synchronized (this) {
                try {
                    body = answer(action, params);
                } catch (Ec2Error e) {
                    status = e.status;
                    body = Xml.error(e.code, e.getMessage());
                }
                calls.add(new Call(action, Map.copyOf(params), status));
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String answer(String action, Map<String, String> params) {
        int actionThrottles = throttledActions.getOrDefault(action, 0);
        if (throttleNext > 0 || actionThrottles > 0) {
            throttleNext = Math.max(0, throttleNext - 1);
            throttledActions.put(action, Math.max(0, actionThrottles - 1));
            throw new Ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");
        }
        if (denied.contains(action)) {
            throw new Ec2Error(
                    403,
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation. User:"
                            + " arn:aws:iam::123456789012:user/lazarus-test is not authorized to perform: ec2:" + action
                            + " because no identity-based policy allows the ec2:" + action
                            + " action. Encoded authorization"
                            + " failure message: 8uKZ0kTfUUbpMkcHsF3A0dc9xQ6r0yPcqLzq");
        }
        return switch (action) {
            case "DescribeInstances" -> describeInstances(params);
            case "RunInstances" -> runInstances(params);
            case "DescribeInstanceStatus" -> describeInstanceStatus(params);
            case "TerminateInstances" -> terminateInstances(params);
            case "AuthorizeSecurityGroupIngress" -> authorizeIngress(params);
            default ->
                throw new Ec2Error(
                        400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    private String describeInstances(Map<String, String> params) {
        List<String> ids = list(params, "InstanceId");
        Predicate<FakeInstance> matches = matcher(filters(params));
        List<FakeInstance> selected = new ArrayList<>();
        for (String id : ids) {
            selected.add(existing(id));
        }
        if (ids.isEmpty()) {
            instances.values().stream().filter(matches).forEach(selected::add);
        }
        int from = params.containsKey("NextToken")
                ? Integer.parseInt(params.get("NextToken").substring("page-".length()))
                : 0;
        int size = ids.isEmpty()
                ? Math.min(pageSize, Integer.parseInt(params.getOrDefault("MaxResults", "1000")))
                : selected.size();
        List<FakeInstance> page =
                selected.subList(Math.min(from, selected.size()), Math.min(selected.size(), from + size));
        Xml xml = Xml.response("DescribeInstances").open("reservationSet");
        Map<String, List<FakeInstance>> byReservation = new LinkedHashMap<>();
        page.forEach(i -> byReservation
                .computeIfAbsent(i.reservationId(), r -> new ArrayList<>())
                .add(i));
        byReservation.forEach((reservation, members) -> {
            xml.open("item")
                    .element("reservationId", reservation)
                    .element("ownerId", "123456789012")
                    .open("groupSet")
                    .close("groupSet")
                    .open("instancesSet");
            members.forEach(i -> instance(xml, i));
            xml.close("instancesSet").close("item");
        });
        xml.close("reservationSet");
        if (from + size < selected.size()) {
            xml.element("nextToken", "page-" + (from + size));
        }
        return xml.end("DescribeInstances");
    }

    private String runInstances(Map<String, String> params) {
        int min = Integer.parseInt(params.getOrDefault("MinCount", "1"));
        int max = Integer.parseInt(params.getOrDefault("MaxCount", "1"));
        String token = params.get("ClientToken");
        List<FakeInstance> launched = instances.values().stream()
                .filter(i -> token != null && token.equals(i.clientToken()))
                .toList();
        if (launched.isEmpty()) {
            int count = capacity == null ? max : Math.min(max, capacity);
            if (count < min) {
                String type = params.get("InstanceType");
                throw new Ec2Error(
                        500,
                        "InsufficientInstanceCapacity",
                        "We currently do not have sufficient " + type
                                + " capacity in the Availability Zone you requested (us-east-1a). Our system will be working on"
                                + " provisioning additional capacity. You can currently get " + type
                                + " capacity by not"
                                + " specifying an Availability Zone in your request or choosing us-east-1b, us-east-1c.");
            }
            if (capacity != null) {
                capacity -= count;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (int spec = 1; params.containsKey("TagSpecification." + spec + ".ResourceType"); spec++) {
                String prefix = "TagSpecification." + spec + ".";
                if (params.get(prefix + "ResourceType").equals("instance")) {
                    for (int tag = 1; params.containsKey(prefix + "Tag." + tag + ".Key"); tag++) {
                        tags.put(
                                params.get(prefix + "Tag." + tag + ".Key"),
                                params.getOrDefault(prefix + "Tag." + tag + ".Value", ""));
                    }
                }
            }
            String reservation = reservationId();
            List<FakeInstance> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                boolean impaired = impairNext > 0;
                impairNext -= impaired ? 1 : 0;
                created.add(newInstance(
                        reservation,
                        params.get("ImageId"),
                        params.get("InstanceType"),
                        params.get("KeyName"),
                        params.get("SecurityGroupId.1"),
                        token,
                        tags,
                        "pending",
                        publicAddresses,
                        impaired));
            }
            launched = created;
        }
        Xml xml = Xml.response("RunInstances")
                .element("reservationId", launched.getFirst().reservationId())
                .element("ownerId", "123456789012")
                .open("groupSet")
                .close("groupSet")
                .open("instancesSet");
        launched.forEach(i -> instance(xml, i));
        return xml.close("instancesSet").end("RunInstances");
    }

    private String describeInstanceStatus(Map<String, String> params) {
        List<String> ids = list(params, "InstanceId");
        if (ids.size() > STATUS_IDS_LIMIT) {
            throw new Ec2Error(
                    400, "InvalidParameterValue", "The maximum number of instance IDs is " + STATUS_IDS_LIMIT);
        }
        if (hiddenStatusCalls > 0) {
            hiddenStatusCalls--;
            throw new Ec2Error(
                    400,
                    "InvalidInstanceID.NotFound",
                    "The instance IDs '" + String.join(", ", ids) + "' do not exist");
        }
        boolean all = "true".equals(params.get("IncludeAllInstances"));
        List<FakeInstance> selected = ids.isEmpty()
                ? List.copyOf(instances.values())
                : ids.stream().map(this::existing).toList();
        Xml xml = Xml.response("DescribeInstanceStatus").open("instanceStatusSet");
        for (FakeInstance instance : selected) {
            String[] status = instance.pollStatus(pollsUntilChecked);
            if (!all && !status[0].equals("running")) {
                continue;
            }
            xml.open("item")
                    .element("instanceId", instance.id())
                    .element("availabilityZone", instance.zone())
                    .state("instanceState", status[0]);
            check(xml, "systemStatus", status[1].equals("impaired") ? "ok" : status[1]);
            check(xml, "instanceStatus", status[1]);
            xml.close("item");
        }
        return xml.close("instanceStatusSet").end("DescribeInstanceStatus");
    }

    private String terminateInstances(Map<String, String> params) {
        List<FakeInstance> selected =
                list(params, "InstanceId").stream().map(this::existing).toList();
        if ("true".equals(params.get("DryRun"))) {
            throw new Ec2Error(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        }
        Xml xml = Xml.response("TerminateInstances").open("instancesSet");
        for (FakeInstance instance : selected) {
            String previous = instance.state();
            String current = previous.equals("terminated") ? "terminated" : "shutting-down";
            instance.state("terminated");
            xml.open("item")
                    .element("instanceId", instance.id())
                    .state("currentState", current)
                    .state("previousState", previous)
                    .close("item");
        }
        return xml.close("instancesSet").end("TerminateInstances");
    }

    private String authorizeIngress(Map<String, String> params) {
        String group = params.get("GroupId");
        String cidr = params.containsKey("IpPermissions.1.IpRanges.1.CidrIp")
                ? params.get("IpPermissions.1.IpRanges.1.CidrIp")
                : params.get("IpPermissions.1.Ipv6Ranges.1.CidrIpv6");
        String protocol = params.get("IpPermissions.1.IpProtocol");
        String from = params.get("IpPermissions.1.FromPort");
        String to = params.get("IpPermissions.1.ToPort");
        if (!ingress.add(group + " " + cidr)) {
            throw new Ec2Error(
                    400,
                    "InvalidPermission.Duplicate",
                    "the specified rule \"peer: " + cidr + ", " + protocol.toUpperCase() + ", from port: " + from
                            + ", to port: " + to + ", ALLOW\" already exists");
        }
        return Xml.response("AuthorizeSecurityGroupIngress")
                .element("return", "true")
                .open("securityGroupRuleSet")
                .open("item")
                .element("groupOwnerId", "123456789012")
                .element("groupId", group)
                .element("securityGroupRuleId", "sgr-%017x".formatted(++sequence))
                .element("isEgress", "false")
                .element("ipProtocol", protocol)
                .element("fromPort", from)
                .element("toPort", to)
                .element(cidr.contains(":") ? "cidrIpv6" : "cidrIpv4", cidr)
                .close("item")
                .close("securityGroupRuleSet")
                .end("AuthorizeSecurityGroupIngress");
    }

    private static void instance(Xml xml, FakeInstance i) {
        xml.open("item")
                .element("instanceId", i.id())
                .element("imageId", i.ami())
                .state("instanceState", i.state())
                .element("privateDnsName", "ip-" + i.privateIp().replace('.', '-') + ".ec2.internal")
                .element(
                        "dnsName",
                        i.publicIp() == null
                                ? null
                                : "ec2-" + i.publicIp().replace('.', '-') + ".compute-1.amazonaws.com")
                .element("reason", null)
                .element("keyName", i.keyName())
                .element("amiLaunchIndex", "0")
                .element("productCodes", null)
                .element("instanceType", i.type())
                .element("launchTime", i.launchTime().toString())
                .open("placement")
                .element("availabilityZone", i.zone())
                .element("groupName", null)
                .element("tenancy", "default")
                .close("placement")
                .open("monitoring")
                .element("state", "disabled")
                .close("monitoring")
                .element("subnetId", "subnet-0a1b2c3d4e5f60718")
                .element("vpcId", "vpc-0a1b2c3d4e5f60718")
                .element("privateIpAddress", i.privateIp());
        if (i.publicIp() != null) {
            xml.element("ipAddress", i.publicIp());
        }
        xml.element("sourceDestCheck", "true")
                .open("groupSet")
                .open("item")
                .element("groupId", i.securityGroup())
                .element("groupName", "lazarus")
                .close("item")
                .close("groupSet")
                .element("architecture", "x86_64")
                .element("rootDeviceType", "ebs")
                .element("rootDeviceName", "/dev/xvda")
                .element("blockDeviceMapping", null)
                .element("virtualizationType", "hvm")
                .element("clientToken", i.clientToken())
                .open("tagSet");
        i.tags()
                .forEach((key, value) -> xml.open("item")
                        .element("key", key)
                        .element("value", value)
                        .close("item"));
        xml.close("tagSet").element("hypervisor", "xen").close("item");
    }

    private static void check(Xml xml, String name, String status) {
        xml.open(name).element("status", status).open("details");
        if (!status.equals("not-applicable")) {
            String detail = switch (status) {
                case "ok" -> "passed";
                case "impaired" -> "failed";
                default -> status;
            };
            xml.open("item")
                    .element("name", "reachability")
                    .element("status", detail)
                    .close("item");
        }
        xml.close("details").close(name);
    }

    private FakeInstance newInstance(
            String reservation,
            String ami,
            String type,
            String keyName,
            String group,
            String token,
            Map<String, String> tags,
            String state,
            boolean publicIp,
            boolean impaired) {
        int n = ++sequence;
        FakeInstance instance = new FakeInstance(
                "i-%017x".formatted(n),
                reservation,
                ami,
                type,
                "us-east-1" + "abc".charAt(n % 3),
                "10.0.%d.%d".formatted(n / 250, n % 250 + 4),
                publicIp ? "54.0.%d.%d".formatted(n / 250, n % 250 + 4) : null,
                keyName,
                group,
                token,
                tags,
                state,
                impaired);
        instances.put(instance.id(), instance);
        return instance;
    }

    private String reservationId() {
        return "r-%017x".formatted(++sequence);
    }

    private FakeInstance existing(String id) {
        FakeInstance instance = instances.get(id);
        if (instance == null) {
            throw new Ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        }
        return instance;
    }

    private static Predicate<FakeInstance> matcher(Map<String, List<String>> filters) {
        Predicate<FakeInstance> all = i -> true;
        for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
            String name = filter.getKey();
            List<Pattern> values = filter.getValue().stream().map(FakeEc2::glob).toList();
            if (!name.startsWith("tag:") && !FILTERS.contains(name)) {
                throw new Ec2Error(400, "InvalidParameterValue", "The filter '" + name + "' is invalid");
            }
            all = all.and(i -> {
                if (name.equals("tag-key")) {
                    return i.tags().keySet().stream()
                            .anyMatch(k ->
                                    values.stream().anyMatch(v -> v.matcher(k).matches()));
                }
                String value = switch (name) {
                    case "instance-state-name" -> i.state();
                    case "instance-type" -> i.type();
                    case "availability-zone" -> i.zone();
                    case "image-id" -> i.ami();
                    case "instance-id" -> i.id();
                    case "key-name" -> i.keyName();
                    case "private-ip-address" -> i.privateIp();
                    case "ip-address" -> i.publicIp();
                    default -> i.tags().get(name.substring("tag:".length()));
                };
                return value != null
                        && values.stream().anyMatch(v -> v.matcher(value).matches());
            });
        }
        return all;
    }

    /** EC2's filter wildcards: {@code *} any run, {@code ?} one character. */
    private static Pattern glob(String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    static List<String> list(Map<String, String> params, String prefix) {
        Map<Integer, String> values = new TreeMap<>();
        params.forEach((key, value) -> {
            if (key.startsWith(prefix + ".") && key.indexOf('.', prefix.length() + 1) < 0) {
                values.put(Integer.parseInt(key.substring(prefix.length() + 1)), value);
            }
        });
        return List.copyOf(values.values());
    }

    static Map<String, List<String>> filters(Map<String, String> params) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (int n = 1; params.containsKey("Filter." + n + ".Name"); n++) {
            filters.put(params.get("Filter." + n + ".Name"), list(params, "Filter." + n + ".Value"));
        }
        return filters;
    }

    private static final class Ec2Error extends RuntimeException {
        private final int status;
        private final String code;

        Ec2Error(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
