package io.lazarus.coordinator;

import io.lazarus.common.topology.TopologyConfiguration;
import io.lazarus.coordinator.cli.Cli;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import java.util.Map;

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
        System.exit(run(args));
    }

    static int run(String[] args) {
        Integer metricsPort = Cli.metricsPort(args);
        SpringApplication app = new SpringApplication(CoordinatorApplication.class);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setWebApplicationType(metricsPort == null ? WebApplicationType.NONE : WebApplicationType.SERVLET);
        if (metricsPort != null) {
            app.setDefaultProperties(Map.of("server.port", metricsPort));
        }
        ConfigurableApplicationContext context;
        try {
            context = app.run();
        } catch (RuntimeException e) {
            System.err.println("lazarus: cannot start: " + Errors.rootMessage(e));
            return Cli.EXIT_USAGE;
        }
        try (context) {
            return new Cli(context).execute(args);
        }
    }
}
