package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import io.lazarus.coordinator.service.ServiceStarter;
import io.lazarus.coordinator.service.ServiceTokens;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the coordinator as a service: records every attempt event, follows runs, and serves the API"
                    + " under /api/runs to requests with a token (lazarus.service.api-token or lazarus.service.tokens;"
                    + " without one, the service makes its own in ~/.lazarus/service-token, 0600, and says where).",
            "Listens on server.address:server.port (default 127.0.0.1:8080), /actuator on"
                    + " management.server.address:management.server.port (default 127.0.0.1:8081); answers only"
                    + " requests whose Host is one of lazarus.service.allowed-hosts. Runs a previous service left"
                    + " unfinished are taken up at start."
        })
final class ServeCommand implements Callable<Integer> {

    private final BrokerConnection broker;
    private final ServiceStarter service;
    private final ObjectProvider<ServiceTokens> tokens;
    private final Environment environment;

    ServeCommand(
            BrokerConnection broker,
            ServiceStarter service,
            ObjectProvider<ServiceTokens> tokens,
            Environment environment) {
        this.broker = broker;
        this.service = service;
        this.tokens = tokens;
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        broker.connect();
        service.start();
        boolean tls = environment.getProperty("server.ssl.bundle") != null
                || environment.getProperty("server.ssl.enabled", Boolean.class, false);
        String base = "%s://%s:%s"
                .formatted(
                        tls ? "https" : "http",
                        environment.getProperty("server.address"),
                        environment.getProperty("local.server.port", environment.getProperty("server.port")));
        System.out.println("lazarus service on " + base + "/api/runs");
        System.out.println("dashboard on " + base + "/dashboard (sign in with an API token)");
        ServiceTokens accepted = tokens.getObject();
        // where the token is, never the token: this line ends up in logs
        System.out.println(accepted.generatedFile()
                .map(file -> "API token (no token configured, all scopes): in " + file)
                .orElse("API tokens: " + String.join(", ", accepted.names())));
        System.out.flush();
        // until SIGTERM: Spring closes the context (the web server drains, followers stop) and the JVM exits
        new CountDownLatch(1).await();
        return Cli.EXIT_OK;
    }
}
