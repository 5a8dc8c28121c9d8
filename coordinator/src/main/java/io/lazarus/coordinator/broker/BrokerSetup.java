package io.lazarus.coordinator.broker;

import io.lazarus.common.Errors;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.topology.TopologyConflict;
import io.lazarus.common.topology.TopologySettings;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * {@code lazarus broker setup}: the role users with their rights (from {@link BrokerRoles}) and the topology, applied
 * as the broker's administrator. Users go through the management API when it answers, else through the local
 * rabbitmqctl; the topology through AMQP. Each role's login is kept in its credentials file.
 */
public final class BrokerSetup {

    /** How the users reach the broker. */
    public enum Via {
        AUTO,
        MANAGEMENT,
        RABBITMQCTL
    }

    /**
     * @param userPrefix  the users are {@code <prefix>admin}, {@code <prefix>coordinator}, ... ({@code lazarus-})
     * @param given       passwords the caller chose, by role; the others are kept from the credentials files or new
     * @param rotate      new passwords for the roles not {@code given}, instead of those kept
     */
    public record Request(
            AdminLogin admin,
            URI managementUrl,
            Via via,
            String rabbitmqctl,
            String userPrefix,
            CredentialFiles files,
            Map<BrokerRole, String> given,
            boolean rotate) {}

    /** What the set-up did: the users, how they were applied, and the roles whose passwords are new. */
    public record Result(
            BrokerUsers users, String appliedThrough, List<BrokerRole> newPasswords, Map<BrokerRole, Path> files) {}

    private final TopologySettings topology;

    public BrokerSetup(TopologySettings topology) {
        this.topology = topology;
    }

    /** The users this request means, with their passwords; reads the credentials files and changes nothing. */
    public static Planned plan(Request request) {
        List<BrokerUser> users = new ArrayList<>();
        List<BrokerRole> fresh = new ArrayList<>();
        for (RoleGrant grant : BrokerRoles.all()) {
            BrokerRole role = grant.role();
            String name = request.userPrefix() + role.word();
            Optional<String> password = Optional.ofNullable(request.given().get(role));
            if (password.isEmpty() && !request.rotate()) {
                password = request.files().password(role, name);
                if (password.isEmpty()
                        && role == BrokerRole.ADMIN
                        && name.equals(request.admin().user())) {
                    password = Optional.of(request.admin().password());
                }
            }
            if (password.isEmpty()) {
                fresh.add(role);
            }
            users.add(new BrokerUser(name, password.orElseGet(Passwords::random), grant));
        }
        return new Planned(new BrokerUsers(request.admin().vhost(), users), fresh);
    }

    /** The users, and the roles whose password was made up just now. */
    public record Planned(BrokerUsers users, List<BrokerRole> newPasswords) {}

    public Result apply(Request request, PrintStream progress) {
        AdminLogin admin = request.admin();
        checkLogin(admin);
        UserApplier applier = applier(request);
        Planned planned = plan(request);
        Map<BrokerRole, Path> files = new EnumMap<>(BrokerRole.class);
        // the files first: a set-up that fails half-way is run again with the same passwords
        for (BrokerUser user : planned.users().users()) {
            files.put(user.role(), request.files().write(user, admin.vhost()));
        }
        progress.println("users and permissions in vhost " + admin.vhost() + " through " + applier.describe());
        applier.apply(planned.users());
        declareTopology(admin);
        progress.println("topology declared as " + admin.user() + ": exchanges " + String.join(", ", Topology.EXCHANGES)
                + "; queues " + String.join(", ", Topology.QUEUES));
        return new Result(planned.users(), applier.describe(), planned.newPasswords(), files);
    }

    /** The administrator's login, and that the vhost exists, before anything is written. */
    private static void checkLogin(AdminLogin admin) {
        try (com.rabbitmq.client.Connection ignored = admin.factory().newConnection("lazarus-broker-setup")) {
            // logged in
        } catch (Exception e) {
            throw new BrokerUnavailableException(
                    "cannot log in to RabbitMQ as " + admin + ": " + Errors.rootMessage(e), e);
        }
    }

    private static UserApplier applier(Request request) {
        AdminLogin admin = request.admin();
        if (request.via() != Via.RABBITMQCTL) {
            Optional<ManagementApi> api =
                    ManagementApi.answering(request.managementUrl(), admin.user(), admin.password());
            if (api.isPresent()) {
                return api.get();
            }
            if (request.via() == Via.MANAGEMENT) {
                throw new BrokerUnavailableException(
                        "the management API does not answer at " + request.managementUrl()
                                + " (--management-url; enable it with rabbitmq-plugins enable rabbitmq_management)",
                        null);
            }
        }
        Optional<Rabbitmqctl> ctl =
                admin.local() ? Rabbitmqctl.working(request.rabbitmqctl(), admin.vhost()) : Optional.empty();
        if (ctl.isPresent()) {
            return ctl.get();
        }
        throw new BrokerUnavailableException(
                (request.via() == Via.RABBITMQCTL
                                ? ""
                                : "the management API does not" + " answer at " + request.managementUrl() + " and ")
                        + request.rabbitmqctl() + " on this machine"
                        + (admin.local()
                                ? " does not work or has no vhost " + admin.vhost()
                                : " cannot reach " + admin.host())
                        + ". Give --management-url of the broker's management API, or run this command on the broker's host, or"
                        + " apply the output of `lazarus broker setup --print rabbitmqctl` there (or load"
                        + " `--print definitions` with load_definitions)",
                null);
    }

    private void declareTopology(AdminLogin admin) {
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory(admin.factory());
        try {
            RabbitAdmin rabbitAdmin = new RabbitAdmin(connectionFactory);
            Declarables declarables = Topology.declarables(topology);
            declarables.getDeclarablesByType(Exchange.class).forEach(rabbitAdmin::declareExchange);
            declarables.getDeclarablesByType(Queue.class).forEach(rabbitAdmin::declareQueue);
            declarables.getDeclarablesByType(Binding.class).forEach(rabbitAdmin::declareBinding);
        } catch (AmqpException e) {
            throw new BrokerUnavailableException(
                    "RabbitMQ refused the Lazarus topology: " + Errors.rootMessage(e)
                            + (TopologyConflict.replyText(e).isPresent()
                                    ? ". Make lazarus.topology.* match what the broker has," + " or delete it."
                                    : ""),
                    e);
        } finally {
            connectionFactory.destroy();
        }
    }
}
