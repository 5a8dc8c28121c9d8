package io.lazarus.coordinator.broker;

import io.lazarus.common.topology.Topology;
import io.lazarus.common.topology.TopologySettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A RabbitMQ definitions file ({@code load_definitions}, {@code rabbitmqctl import_definitions}): the users with their
 * password hashes, their permissions in the vhost, and the topology, so that a broker started with it is ready for
 * role users that may not declare anything.
 */
public final class Definitions {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Definitions() {}

    /** Users, vhost, permissions and the topology. */
    public static String render(BrokerUsers users, TopologySettings settings) {
        Map<String, Object> definitions = users(users);
        definitions.putAll(topology(users.vhost(), settings));
        return JSON.writeValueAsString(definitions) + "\n";
    }

    /** The users, their permissions and topic permissions only: what {@code rabbitmqctl import_definitions} applies. */
    public static String usersOnly(BrokerUsers users) {
        return JSON.writeValueAsString(users(users)) + "\n";
    }

    private static Map<String, Object> users(BrokerUsers users) {
        String vhost = users.vhost();
        List<Object> userList = new ArrayList<>();
        List<Object> permissions = new ArrayList<>();
        List<Object> topicPermissions = new ArrayList<>();
        for (BrokerUser user : users.users()) {
            userList.add(map(
                    "name",
                    user.name(),
                    "password_hash",
                    Passwords.rabbitSha256(user.password()),
                    "hashing_algorithm",
                    "rabbit_password_hashing_sha256",
                    "tags",
                    String.join(",", user.grant().tags())));
            Permissions p = user.grant().permissions();
            permissions.add(map(
                    "user",
                    user.name(),
                    "vhost",
                    vhost,
                    "configure",
                    p.configure(),
                    "write",
                    p.write(),
                    "read",
                    p.read()));
            user.grant()
                    .topic()
                    .ifPresent(t -> topicPermissions.add(map(
                            "user",
                            user.name(),
                            "vhost",
                            vhost,
                            "exchange",
                            t.exchange(),
                            "write",
                            t.write(),
                            "read",
                            t.read())));
        }
        return map(
                "users",
                userList,
                "vhosts",
                List.of(map("name", vhost)),
                "permissions",
                permissions,
                "topic_permissions",
                topicPermissions);
    }

    private static Map<String, Object> topology(String vhost, TopologySettings settings) {
        Declarables topology = Topology.declarables(settings);
        List<Object> exchanges = topology.getDeclarablesByType(Exchange.class).stream()
                .map(e -> (Object) map(
                        "name",
                        e.getName(),
                        "vhost",
                        vhost,
                        "type",
                        e.getType(),
                        "durable",
                        e.isDurable(),
                        "auto_delete",
                        e.isAutoDelete(),
                        "internal",
                        e.isInternal(),
                        "arguments",
                        e.getArguments()))
                .toList();
        List<Object> queues = topology.getDeclarablesByType(Queue.class).stream()
                .map(q -> (Object) map(
                        "name",
                        q.getName(),
                        "vhost",
                        vhost,
                        "durable",
                        q.isDurable(),
                        "auto_delete",
                        q.isAutoDelete(),
                        "arguments",
                        q.getArguments()))
                .toList();
        List<Object> bindings = topology.getDeclarablesByType(Binding.class).stream()
                .map(b -> (Object) map(
                        "source",
                        b.getExchange(),
                        "vhost",
                        vhost,
                        "destination",
                        b.getDestination(),
                        "destination_type",
                        "queue",
                        "routing_key",
                        b.getRoutingKey(),
                        "arguments",
                        b.getArguments()))
                .toList();
        return map("exchanges", exchanges, "queues", queues, "bindings", bindings);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
