package io.lazarus.coordinator.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.topology.TopologySettings;
import io.lazarus.testkit.RabbitBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lazarus broker setup} through the local rabbitmqctl against the test broker's vhost, then each role logged in:
 * what it needs works, and what it must not do the broker refuses (ACCESS_REFUSED). The users are unique to the test
 * and deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerPermissionsTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final RabbitBroker broker = RabbitBroker.shared();
    private final AdminLogin admin = AdminLogin.of(broker.uri());
    private final String prefix =
            "test-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + "-";
    private final List<String> users = new ArrayList<>();

    @TempDir
    static Path credentials;

    private BrokerSetup.Result setup;

    @BeforeAll
    void setUp() {
        broker.delete(Topology.QUEUES, Topology.EXCHANGES);
        setup = apply(false);
        setup.users().users().forEach(u -> users.add(u.name()));
    }

    @AfterAll
    void deleteUsersAndTopology() throws Exception {
        for (String user : users) {
            Process p = new ProcessBuilder("rabbitmqctl", "delete_user", "--", user)
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        }
        broker.delete(List.of(Topology.QUEUES.toArray(String[]::new)), Topology.EXCHANGES);
    }

    private BrokerSetup.Result apply(boolean rotate) {
        BrokerSetup.Request request = new BrokerSetup.Request(
                admin,
                URI.create("http://127.0.0.1:1"),
                BrokerSetup.Via.AUTO,
                "rabbitmqctl",
                prefix,
                new CredentialFiles(credentials),
                Map.of(),
                rotate);
        return new BrokerSetup(new TopologySettings(5, 0, true))
                .apply(request, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void setupAppliesThroughRabbitmqctlWhenTheManagementApiDoesNotAnswerAndKeepsEachLoginInA0600File()
            throws Exception {
        assertThat(setup.appliedThrough()).isEqualTo("rabbitmqctl");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                .isEqualTo("rwx------");
        for (BrokerRole role : BrokerRole.values()) {
            Path file = setup.files().get(role);
            assertThat(file).isEqualTo(credentials.resolve(role.word() + ".properties"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains("spring.rabbitmq.username=" + prefix + role.word());
        }
        assertThat(Files.readString(setup.files().get(BrokerRole.WORKER))).contains("lazarus.topology.declare=false");
        assertThat(Files.readString(setup.files().get(BrokerRole.COORDINATOR)))
                .contains("lazarus.topology.declare=false");
    }

    @Test
    void runningItAgainKeepsThePasswordsAndRotatingChangesThem() throws Exception {
        String before = Files.readString(setup.files().get(BrokerRole.WORKER));

        BrokerSetup.Result again = apply(false);
        assertThat(again.newPasswords()).isEmpty();
        assertThat(Files.readString(setup.files().get(BrokerRole.WORKER))).isEqualTo(before);
        try (Connection ignored = login(BrokerRole.WORKER).newConnection()) {
            // the kept password still opens the door
        }

        setup = apply(true);
        assertThat(setup.newPasswords()).containsExactly(BrokerRole.values());
        assertThat(Files.readString(setup.files().get(BrokerRole.WORKER))).isNotEqualTo(before);
        try (Connection ignored = login(BrokerRole.WORKER).newConnection()) {
            // and so does the new one
        }
    }

    @Test
    void theWorkerConsumesInstallMessagesAndPublishesEventsAndNothingElse() throws Exception {
        ConnectionFactory worker = login(BrokerRole.WORKER);

        consumes(worker, Topology.INSTALL_QUEUE);
        publishes(worker, Topology.REGISTRY_EXCHANGE, "run.r1.started");
        publishes(worker, Topology.REGISTRY_EXCHANGE, "run.r1.succeeded");
        publishes(worker, Topology.REGISTRY_EXCHANGE, "run.r1.connect_failed");

        refused(worker, c -> publish(c, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY));
        refused(worker, c -> publish(c, "", Topology.INSTALL_QUEUE));
        refused(worker, c -> publish(c, Topology.REGISTRY_EXCHANGE, "run.r1.dead_lettered"));
        refused(worker, c -> consume(c, Topology.DEAD_LETTER_RECORD_QUEUE));
        refused(worker, c -> consume(c, Topology.RESURRECTION_QUEUE));
        refused(worker, c -> c.basicGet(Topology.QUARANTINE_QUEUE, false));
        refused(worker, c -> c.queueDeclare("lazarus.run.r1", true, false, false, null));
    }

    @Test
    void theCoordinatorPublishesInstallsAndFollowsRunsButNeverConsumesInstallMessagesNorFakesAnOutcome()
            throws Exception {
        ConnectionFactory coordinator = login(BrokerRole.COORDINATOR);

        publishes(coordinator, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY);
        publishes(coordinator, Topology.REGISTRY_EXCHANGE, "run.r1.dead_lettered");
        publishes(coordinator, "", Topology.QUARANTINE_QUEUE);
        try (Connection connection = coordinator.newConnection();
                Channel channel = connection.createChannel()) {
            channel.queueDeclare("lazarus.run.r1", true, false, false, Map.of("x-expires", 60_000));
            channel.queueBind("lazarus.run.r1", Topology.REGISTRY_EXCHANGE, "run.r1.#");
            channel.basicCancel(channel.basicConsume("lazarus.run.r1", true, new DefaultConsumer(channel)));
            channel.queueDelete("lazarus.run.r1");
            channel.queueDeclare("lazarus.registry.ingest", true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queueBind("lazarus.registry.ingest", Topology.REGISTRY_EXCHANGE, "run.#");
            channel.queueDelete("lazarus.registry.ingest");
            channel.basicGet(Topology.RESURRECTION_QUEUE, false);
            channel.basicGet(Topology.QUARANTINE_QUEUE, false);
        }
        consumes(coordinator, Topology.DEAD_LETTER_RECORD_QUEUE);

        refused(coordinator, c -> consume(c, Topology.INSTALL_QUEUE));
        refused(coordinator, c -> c.basicGet(Topology.INSTALL_QUEUE, false));
        refused(coordinator, c -> publish(c, Topology.REGISTRY_EXCHANGE, "run.r1.succeeded"));
        refused(coordinator, c -> publish(c, Topology.REGISTRY_EXCHANGE, "run.r1.started"));
        refused(coordinator, c -> c.queueDelete(Topology.INSTALL_QUEUE));
        refused(coordinator, c -> c.exchangeDeclare("lazarus.other", BuiltinExchangeType.TOPIC, true));
        refused(coordinator, c -> {
            c.queueDeclare("lazarus.run.r2", true, false, false, Map.of("x-expires", 60_000));
            c.queueBind("lazarus.run.r2", Topology.REGISTRY_EXCHANGE, "#");
        });
    }

    @Test
    void monitoringSeesQueueDepthsAndMayDoNothingOverAmqp() throws Exception {
        ConnectionFactory monitoring = login(BrokerRole.MONITORING);
        try (Connection connection = monitoring.newConnection();
                Channel channel = connection.createChannel()) {
            assertThat(channel.queueDeclarePassive(Topology.INSTALL_QUEUE).getMessageCount())
                    .isNotNegative();
        }

        refused(monitoring, c -> publish(c, Topology.REGISTRY_EXCHANGE, "run.r1.succeeded"));
        refused(monitoring, c -> publish(c, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY));
        refused(monitoring, c -> publish(c, "", Topology.QUARANTINE_QUEUE));
        refused(monitoring, c -> consume(c, Topology.INSTALL_QUEUE));
        refused(monitoring, c -> c.basicGet(Topology.QUARANTINE_QUEUE, false));
        refused(monitoring, c -> c.queueDeclare("lazarus.run.r1", true, false, false, null));
    }

    @Test
    void theDefinitionsFileLoadsIntoTheBrokerWithTheSameUsersAndRights() throws Exception {
        String definitionsPrefix = prefix + "def-";
        BrokerSetup.Planned planned = BrokerSetup.plan(new BrokerSetup.Request(
                admin,
                URI.create("http://127.0.0.1:1"),
                BrokerSetup.Via.AUTO,
                "rabbitmqctl",
                definitionsPrefix,
                new CredentialFiles(credentials.resolve("none")),
                Map.of(),
                false));
        planned.users().users().forEach(u -> users.add(u.name()));
        String definitions = Definitions.render(planned.users(), new TopologySettings(5, 0, true));

        // from standard input: rabbitmqctl reads a file as the broker's user, who may not open the test's directory
        Process load = new ProcessBuilder("rabbitmqctl", "import_definitions")
                .redirectErrorStream(true)
                .start();
        try (var stdin = load.getOutputStream()) {
            stdin.write(definitions.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(load.waitFor()).as(output).isZero();

        ConnectionFactory worker = login(planned.users().of(BrokerRole.WORKER));
        publishes(worker, Topology.REGISTRY_EXCHANGE, "run.r1.started");
        refused(worker, c -> publish(c, Topology.REGISTRY_EXCHANGE, "run.r1.dead_lettered"));
        refused(worker, c -> publish(c, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY));
        refused(login(planned.users().of(BrokerRole.COORDINATOR)), c -> consume(c, Topology.INSTALL_QUEUE));
    }

    private ConnectionFactory login(BrokerRole role) {
        return login(setup.users().of(role));
    }

    private ConnectionFactory login(BrokerUser user) {
        ConnectionFactory factory = admin.factory();
        factory.setUsername(user.name());
        factory.setPassword(user.password());
        return factory;
    }

    private interface ChannelAction {
        void run(Channel channel) throws Exception;
    }

    private static void publish(Channel channel, String exchange, String routingKey) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder().build(), BODY);
        channel.waitForConfirmsOrDie(10_000);
    }

    private static void consume(Channel channel, String queue) throws Exception {
        channel.basicCancel(channel.basicConsume(queue, false, new DefaultConsumer(channel)));
    }

    private static void publishes(ConnectionFactory factory, String exchange, String routingKey) throws Exception {
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            publish(channel, exchange, routingKey);
        }
    }

    private static void consumes(ConnectionFactory factory, String queue) throws Exception {
        try (Connection connection = factory.newConnection();
                Channel channel = connection.createChannel()) {
            consume(channel, queue);
        }
    }

    private static void refused(ConnectionFactory factory, ChannelAction action) throws Exception {
        try (Connection connection = factory.newConnection()) {
            Channel channel = connection.createChannel();
            assertThatThrownBy(() -> action.run(channel))
                    .satisfies(e -> assertThat(causes(e)).contains("ACCESS_REFUSED"));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
