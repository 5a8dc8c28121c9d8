package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.run.RunService;
import io.lazarus.coordinator.service.ServiceStarter;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the coordinator as a service: records every attempt event, follows runs, and serves the API"
                + " under /api/runs (bearer token lazarus.service.api-token).",
                "Listens on server.address:server.port (default 127.0.0.1:8080); without a token it refuses any address"
                        + " but loopback. Runs a previous service left unfinished are taken up at start."})
final class ServeCommand implements Callable<Integer> {

    private final RunService runs;
    private final ServiceStarter service;
    private final Environment environment;

    ServeCommand(RunService runs, ServiceStarter service, Environment environment) {
        this.runs = runs;
        this.service = service;
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        runs.connect();
        service.start();
        System.out.printf("lazarus service on http://%s:%s/api/runs%n", environment.getProperty("server.address"),
                environment.getProperty("local.server.port", environment.getProperty("server.port")));
        System.out.flush();
        // until SIGTERM: Spring closes the context (the web server drains, followers stop) and the JVM exits
        new CountDownLatch(1).await();
        return Cli.EXIT_OK;
    }
}
