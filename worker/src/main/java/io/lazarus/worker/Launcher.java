package io.lazarus.worker;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The worker jar's entry point, compiled for Java 17 (what the jar's Spring Boot loader needs) so that an older Java
 * says which Java it is, instead of an UnsupportedClassVersionError. It also answers {@code --help}.
 */
public final class Launcher {

    static final int JAVA = 25;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        int feature = Runtime.version().feature();
        if (feature < JAVA) {
            System.err.println("lazarus-worker: needs Java " + JAVA + " or newer; this is Java " + feature + " at "
                    + System.getProperty("java.home") + ": run the jar with a JDK " + JAVA + "'s java (JAVA_HOME)");
            System.exit(2);
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(HELP);
            System.exit(0);
        }
        try {
            Class.forName("io.lazarus.worker.WorkerApplication")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final String HELP = """
            Usage: java -jar lazarus-worker.jar

            The Lazarus worker: takes install messages from RabbitMQ (queue lazarus.install), runs each node's script
            over SSH with the key it holds, and publishes every outcome. Run as many as you like; each takes at most
            lazarus.worker.prefetch nodes at a time. It runs until stopped; SIGTERM drains it (exit 0).

            Configuration: Spring Boot properties, as environment variables or --name=value arguments:
              SPRING_RABBITMQ_ADDRESSES     amqp://user:pass@host:5672/vhost (default localhost:5672, guest)
              LAZARUS_SSH_IDENTITY_FILE     the private key nodes accept (default ~/.ssh/id_ecdsa)
              LAZARUS_SSH_KNOWN_HOSTS       known hosts (default ~/.lazarus/known_hosts)
              LAZARUS_SSH_HOST_KEY_POLICY   strict, accept-new (default) or off
              LAZARUS_WORKER_PREFETCH       nodes in flight on this worker (default 100)
              LAZARUS_WORKER_SECRETS_DIRECTORY  files named like the secrets runs name (--secret); else
                                            the environment variable LAZARUS_SECRET_<NAME>
              SERVER_PORT                   /actuator/health, /actuator/prometheus, /actuator/limit (default 8080)
            Every setting: the README's "Configuration reference".
            """;
}
