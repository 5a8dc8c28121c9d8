package io.lazarus.coordinator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rights of each role, read as RabbitMQ reads the regular expressions, without a broker. */
class BrokerRolesTest {

    private final RoleGrant coordinator = BrokerRoles.grant(BrokerRole.COORDINATOR);
    private final RoleGrant worker = BrokerRoles.grant(BrokerRole.WORKER);

    @Test
    void theWorkerReadsOnlyTheInstallQueueAndWritesOnlyTheRegistry() {
        assertThat(BrokerRoles.allows(worker.permissions().read(), "lazarus.install"))
                .isTrue();
        assertThat(BrokerRoles.allows(worker.permissions().read(), "lazarus.install.x"))
                .isFalse();
        assertThat(BrokerRoles.allows(worker.permissions().read(), "lazarus.dead-letters"))
                .isFalse();
        assertThat(BrokerRoles.allows(worker.permissions().write(), "lazarus.registry"))
                .isTrue();
        assertThat(BrokerRoles.allows(worker.permissions().write(), "lazarus.install"))
                .isFalse();
        assertThat(BrokerRoles.allows(worker.permissions().write(), "amq.default"))
                .isFalse();
        assertThat(BrokerRoles.allows(worker.permissions().configure(), "lazarus.run.20261121-113833-d2f423"))
                .isFalse();
    }

    @Test
    void theWorkerHearsCancelNoticesOnAQueueOfItsOwnAndCannotSendOne() {
        Permissions p = worker.permissions();
        String own = "lazarus.cancels.amq_gen-Zx3_9a-Q";
        assertThat(BrokerRoles.allows(p.configure(), own)).isTrue();
        assertThat(BrokerRoles.allows(p.write(), own)).as("to bind it").isTrue();
        assertThat(BrokerRoles.allows(p.read(), own)).isTrue();
        assertThat(BrokerRoles.allows(p.read(), "lazarus.control"))
                .as("to bind to it")
                .isTrue();
        assertThat(BrokerRoles.allows(p.write(), "lazarus.control")).isFalse();
        assertThat(BrokerRoles.allows(p.configure(), "lazarus.control")).isFalse();
        assertThat(BrokerRoles.allows(p.configure(), "lazarus.cancels.")).isFalse();
        assertThat(BrokerRoles.allows(p.configure(), "lazarus.cancels.x.y")).isFalse();
        assertThat(BrokerRoles.allows(p.configure(), "lazarus.install")).isFalse();
        assertThat(BrokerRoles.allows(coordinator.permissions().write(), "lazarus.control"))
                .isTrue();
    }

    @Test
    void theWorkerPublishesStartedAndOutcomesButNeverDeadLettered() {
        String write = worker.topic().orElseThrow().write();
        assertThat(BrokerRoles.allows(write, "run.20261121-113833-d2f423.started"))
                .isTrue();
        assertThat(BrokerRoles.allows(write, "run.r1.succeeded")).isTrue();
        assertThat(BrokerRoles.allows(write, "run.r1.command_failed")).isTrue();
        assertThat(BrokerRoles.allows(write, "run.r1.dead_lettered")).isFalse();
        assertThat(BrokerRoles.allows(write, "run.r1.x.succeeded")).isFalse();
    }

    @Test
    void theCoordinatorPublishesDeadLetteredOnlyAndBindsRunAndIngestQueues() {
        TopicPermission topic = coordinator.topic().orElseThrow();
        assertThat(BrokerRoles.allows(topic.write(), "run.r1.dead_lettered")).isTrue();
        assertThat(BrokerRoles.allows(topic.write(), "run.r1.succeeded")).isFalse();
        assertThat(BrokerRoles.allows(topic.read(), "run.r1.#")).isTrue();
        assertThat(BrokerRoles.allows(topic.read(), "run.#")).isTrue();
        assertThat(BrokerRoles.allows(topic.read(), "#")).isFalse();
        assertThat(BrokerRoles.allows(coordinator.permissions().read(), "lazarus.install"))
                .isFalse();
        assertThat(BrokerRoles.allows(coordinator.permissions().configure(), "lazarus.install"))
                .isFalse();
        assertThat(BrokerRoles.allows(coordinator.permissions().configure(), "lazarus.run.r1"))
                .isTrue();
        assertThat(BrokerRoles.allows(coordinator.permissions().configure(), "lazarus.registry.ingest"))
                .isTrue();
        assertThat(BrokerRoles.allows(coordinator.permissions().configure(), "lazarus.registry"))
                .isFalse();
    }

    @Test
    void monitoringHasNoRightOverAmqp() {
        RoleGrant monitoring = BrokerRoles.grant(BrokerRole.MONITORING);
        assertThat(monitoring.permissions()).isEqualTo(new Permissions("^$", "^$", "^$"));
        assertThat(monitoring.tags()).containsExactly("monitoring");
        assertThat(BrokerRoles.grant(BrokerRole.ADMIN).tags()).containsExactly("administrator");
    }

    @Test
    void anAdminUriWithATrailingSlashOrNoPathNamesTheDefaultVhost() {
        assertThat(AdminLogin.of(java.net.URI.create("amqp://guest:guest@localhost:5672/"))
                        .vhost())
                .isEqualTo("/");
        assertThat(AdminLogin.of(java.net.URI.create("amqp://guest:guest@localhost:5672"))
                        .vhost())
                .isEqualTo("/");
        assertThat(AdminLogin.of(java.net.URI.create("amqp://guest:guest@localhost:5672/%2f"))
                        .vhost())
                .isEqualTo("/");
        assertThat(AdminLogin.of(java.net.URI.create("amqp://guest:guest@localhost:5672/roles"))
                        .vhost())
                .isEqualTo("roles");
    }
}
