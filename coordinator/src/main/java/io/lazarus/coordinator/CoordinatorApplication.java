package io.lazarus.coordinator;

import io.lazarus.common.Errors;
import io.lazarus.common.topology.TopologyConfiguration;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.coordinator.cli.Cli;
import java.util.Map;
import org.springframework.aot.AotDetector;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * {@code lazarus}: the coordinator's command line. Spring Boot supplies configuration, the broker connection and
 * metrics; picocli reads the command line. Arguments are not handed to Spring, so a file named {@code --x=y} stays a
 * file name.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(TopologyConfiguration.class)
public class CoordinatorApplication {

    public static void main(String[] args) {
        // the default H2 registry admits the other lazarus processes of this machine through a server of its own
        // (AUTO_SERVER): on loopback only, never on the machine's network address
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        Integer answered = Cli.answerWithoutContext(args);
        if (answered != null) {
            exitWithoutContext(answered);
        }
        // the signing tables take a third of a CPU-second: built on the second core while Spring starts, for the
        // commands that sign
        if (Cli.signs(args)) {
            Thread.ofPlatform().daemon().name("signing-tables").start(InstallSignature::prepare);
        }
        System.exit(run(args));
    }

    /**
     * Ends a command that started no Spring context. {@code System.exit} would look up the JDK's logger for its exit
     * record, and that first look reads every jar on the class path for a logging provider (70 ms of a 260-ms
     * {@code --help}); such a command registers no shutdown hook, so halting after a flush loses nothing.
     */
    private static void exitWithoutContext(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    static int run(String[] args) {
        Integer metricsPort = Cli.metricsPort(args);
        String metricsAddress = Cli.metricsAddress(args);
        boolean serve = args.length > 0 && args[0].equals("serve");
        SpringApplication app = new SpringApplication(CoordinatorApplication.class);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setWebApplicationType(metricsPort == null && !serve ? WebApplicationType.NONE : WebApplicationType.SERVLET);
        if (!serve) {
            app.setAdditionalProfiles(Cli.COMMAND_PROFILE);
        }
        if (serve) {
            // the API on loopback unless configured otherwise; /actuator on a port of its own, on loopback even when
            // the API is public (health checks and Prometheus reach it where it is configured to listen)
            app.setDefaultProperties(Map.of(
                    "lazarus.service.enabled",
                    "true",
                    // each event of a run it follows comes twice (the run's queue, the ingest queue)
                    "lazarus.registry.remembered-events",
                    "4096",
                    "server.address",
                    "127.0.0.1",
                    "management.server.port",
                    "8081",
                    "management.server.address",
                    "127.0.0.1",
                    "logging.level.io.lazarus",
                    "info"));
        } else if (metricsPort != null) {
            app.setDefaultProperties(Map.of(
                    "server.port",
                    metricsPort,
                    "server.address",
                    metricsAddress == null ? "127.0.0.1" : metricsAddress,
                    "spring.main.lazy-initialization",
                    "true"));
        } else {
            // a command builds only the beans it uses: a tenth of a second less before a run's first message
            app.setDefaultProperties(Map.of("spring.main.lazy-initialization", "true"));
            useGeneratedContext();
        }
        ConfigurableApplicationContext context;
        try {
            context = app.run();
        } catch (SpringApplication.AbandonedRunException e) {
            throw e; // the build's AOT processing stops here, with the context it came for
        } catch (RuntimeException e) {
            System.err.println("lazarus: cannot start: " + Errors.rootMessage(e));
            return Cli.EXIT_USAGE;
        }
        try (context) {
            return new Cli(context).execute(args);
        }
    }

    /**
     * A command's context is the one the build generated (Spring's AOT, {@code process-aot}) when the jar holds it,
     * unless {@code -Dspring.aot.enabled} says otherwise: the service and a command with metrics have web servers the
     * generated context was not built with, and build theirs at run time.
     */
    private static void useGeneratedContext() {
        if (System.getProperty(AotDetector.AOT_ENABLED) == null
                && !Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING) // the build generating it, again
                && CoordinatorApplication.class.getResource(
                                "CoordinatorApplication__ApplicationContextInitializer.class")
                        != null) {
            System.setProperty(AotDetector.AOT_ENABLED, "true");
        }
    }
}
