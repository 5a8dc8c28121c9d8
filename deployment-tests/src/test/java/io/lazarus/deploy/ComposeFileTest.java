package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, read as docker compose reads it: every image is built here or a known public tag, every secret,
 * volume, network and file it names exists (or is one docker/make-secrets.sh makes), every address it gives points at
 * a service's port, and the README's one command has what it needs.
 */
class ComposeFileTest {

    /** Where each image listens. */
    private static final Map<String, Integer> PORTS = Map.of("rabbitmq", 5672, "postgres", 5432, "coordinator", 8080);

    /** The observability profile's images, pinned: pulled from Docker Hub where it is reachable, built nowhere here. */
    private static final Set<String> OBSERVABILITY_IMAGES = Set.of("prom/prometheus:v3.5.0", "grafana/grafana:11.6.0");

    private final Path root = Repository.root();
    private final Map<String, Object> compose = YamlFiles.document(root.resolve("docker-compose.yml"));
    private final Map<String, Object> services = Maps.map(compose.get("services"), "services");
    private final Dockerfile dockerfile = new Dockerfile(root);

    @Test
    void everyImageIsBuiltHereOrAKnownPublicTag() {
        services.forEach((name, value) -> {
            Map<String, Object> service = Maps.map(value, name);
            String image = (String) service.get("image");
            Object target = Maps.at(service, "build", "target");
            if (target != null) {
                assertThat(Maps.string(service, "build", "context")).isEqualTo(".");
                assertThat(dockerfile.stages()).as(name).containsKey(target.toString());
                assertThat(image).as(name).startsWith("lazarus/");
            } else if (image.startsWith("lazarus/")) {
                assertThat(services.values())
                        .as(name + ": some service builds " + image)
                        .anySatisfy(other -> {
                            assertThat(Maps.map(other, "service").get("image")).isEqualTo(image);
                            assertThat(Maps.at(Maps.map(other, "service"), "build"))
                                    .isNotNull();
                        });
            } else if (OBSERVABILITY_IMAGES.contains(image)) {
                assertThat(Maps.list(service.get("profiles"), name)).as(name).containsExactly("observability");
            } else {
                assertThat(ContainerImagesTest.BASE_IMAGES).as(name).contains(image);
            }
        });
    }

    @Test
    void everySecretVolumeNetworkAndFileItNamesExists() throws IOException {
        Map<String, Object> secrets = Maps.map(compose.get("secrets"), "secrets");
        String makeSecrets = Files.readString(root.resolve("docker/make-secrets.sh"));
        secrets.forEach((name, value) -> {
            Path file = root.resolve(Maps.string(Maps.map(value, name), "file"));
            assertThat(file.getParent()).isDirectory();
            assertThat(Files.exists(file)
                            || makeSecrets.contains(file.getFileName().toString()))
                    .as(name + ": " + file + " exists or is made by docker/make-secrets.sh")
                    .isTrue();
        });
        Set<String> volumes = Maps.map(compose.get("volumes"), "volumes").keySet();
        Set<String> networks = Maps.map(compose.get("networks"), "networks").keySet();
        services.forEach((name, value) -> {
            Map<String, Object> service = Maps.map(value, name);
            for (Object secret : list(service.get("secrets"))) {
                Object source = secret instanceof Map<?, ?> m ? m.get("source") : secret;
                assertThat(secrets).as(name).containsKey(source.toString());
            }
            for (Object volume : list(service.get("volumes"))) {
                String from = volume.toString().split(":")[0];
                if (from.startsWith(".")) {
                    assertThat(root.resolve(from)).as(name).exists();
                } else {
                    assertThat(volumes).as(name).contains(from);
                }
            }
            list(service.get("networks"))
                    .forEach(n -> assertThat(networks).as(name).contains(n.toString()));
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                Maps.map(dependsOn, name).forEach((other, condition) -> {
                    assertThat(services).as(name).containsKey(other);
                    if ("service_healthy".equals(Maps.string(Maps.map(condition, other), "condition"))) {
                        assertThat(hasHealthCheck(other))
                                .as(other + " has a health check")
                                .isTrue();
                    }
                });
            }
        });
    }

    @Test
    void everyAddressPointsAtAServicesPortAndNothingLeavesTheNetwork() {
        Pattern address = Pattern.compile("(?:amqp|http|jdbc:postgresql)://(?:[^@/]+@)?([a-z-]+):(\\d+)");
        String text = services.toString() + composeSection();
        Matcher m = address.matcher(text);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(services).as(m.group()).containsKey(m.group(1));
            assertThat(PORTS.get(m.group(1))).as(m.group()).isEqualTo(Integer.parseInt(m.group(2)));
        }
        assertThat(found).isGreaterThanOrEqualTo(4);
        assertThat(Maps.at(compose, "networks", "lazarus", "internal")).isEqualTo(true);
        services.forEach((name, service) -> {
            if (!name.equals("grafana")) {
                assertThat(Maps.map(service, name)).as(name).doesNotContainKey("ports");
                assertThat(list(Maps.map(service, name).get("networks")))
                        .as(name)
                        .isSubsetOf("lazarus");
            }
        });
    }

    /** Grafana's page is the one published port, on loopback, through a network only Grafana is on. */
    @Test
    void onlyGrafanaPublishesAPortAndOnlyOnLoopback() {
        Map<String, Object> grafana = Maps.map(services.get("grafana"), "grafana");

        assertThat(list(grafana.get("ports"))).containsExactly("127.0.0.1:3000:3000");
        assertThat(list(grafana.get("networks"))).containsExactlyInAnyOrder("lazarus", "grafana");
    }

    /** Scaling (--scale worker=N) needs replicas without fixed names, and each verifies the fleet's host keys. */
    @Test
    void workersScaleAndVerifyTheHostKeysTheFleetWrites() {
        Map<String, Object> worker = Maps.map(services.get("worker"), "worker");
        Map<String, Object> environment = Maps.map(worker.get("environment"), "environment");
        List<String> fleet = list(Maps.map(services.get("fleet"), "fleet").get("command")).stream()
                .map(Object::toString)
                .toList();

        assertThat(worker).doesNotContainKeys("container_name", "hostname");
        assertThat(environment)
                .containsEntry("LAZARUS_SSH_HOST_KEY_POLICY", "strict")
                .containsEntry("LAZARUS_SSH_IDENTITY_FILE", "/run/secrets/ssh_key");
        assertThat(fleet)
                .containsSubsequence(
                        "--known-hosts",
                        environment.get("LAZARUS_SSH_KNOWN_HOSTS").toString())
                .containsSubsequence("--authorized-key", "/run/secrets/ssh_key.pub")
                .containsSubsequence("--advertise", "fleet");
    }

    /** The run-signing key is the coordinators' alone; the workers get its public half, and trust only that. */
    @Test
    void onlyCoordinatorsHoldTheSigningKeyAndWorkersTrustItsPublicKey() {
        services.forEach((name, service) -> {
            List<String> held = list(Maps.map(service, name).get("secrets")).stream()
                    .map(s -> s instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : s.toString())
                    .toList();
            Map<String, Object> environment =
                    Maps.map(Maps.map(service, name).getOrDefault("environment", Map.of()), "environment");
            if (name.equals("coordinator") || name.equals("lazarus")) {
                assertThat(held).as(name).contains("signing_key").doesNotContain("ssh_key");
                assertThat(environment).as(name).containsEntry("LAZARUS_SIGNING_KEY_FILE", "/run/secrets/signing_key");
            } else {
                assertThat(held).as(name + " holds no signing key").doesNotContain("signing_key");
            }
        });
        Map<String, Object> worker = Maps.map(services.get("worker"), "worker");
        assertThat(list(worker.get("secrets"))).contains("trusted_keys");
        assertThat(Maps.map(worker.get("environment"), "environment"))
                .containsEntry("LAZARUS_TRUST_TRUSTED_KEYS", "/run/secrets/trusted_keys");
    }

    /** The README's one command runs the lazarus service on files it mounts, against the coordinator service. */
    @Test
    void theReadmesDemoCommandHasWhatItNeeds() {
        Matcher command =
                Pattern.compile("docker compose run --rm lazarus run (.+)").matcher(composeSection());
        assertThat(command.find()).as("the demo command in README.md").isTrue();
        List<String> words =
                Arrays.asList(command.group(1).replace("\\", " ").trim().split("\\s+"));
        Map<String, Object> lazarus = Maps.map(services.get("lazarus"), "lazarus");
        List<String> fleetCommand = list(
                        Maps.map(services.get("fleet"), "fleet").get("command"))
                .stream()
                .map(Object::toString)
                .toList();

        assertThat(words)
                .containsSubsequence("--server", "http://coordinator:8080")
                .contains("--wait", "--insecure");
        String inventory = words.get(words.indexOf("--inventory") + 1);
        String script = words.get(words.indexOf("--script") + 1);
        assertThat(fleetCommand).containsSubsequence("--inventory", inventory);
        assertThat(list(lazarus.get("volumes")))
                .contains("fleet:" + Path.of(inventory).getParent() + ":ro")
                .anySatisfy(v ->
                        assertThat(v.toString()).endsWith(":" + Path.of(script).getParent() + ":ro"));
        assertThat(root.resolve("demo").resolve(Path.of(script).getFileName())).exists();
        assertThat(Maps.map(lazarus.get("environment"), "environment")).containsKey("LAZARUS_SERVICE_API_TOKEN_FILE");
    }

    /**
     * The broker starts with the definitions docker/make-secrets.sh renders with {@code lazarus broker setup}; the
     * coordinator and the workers log in as their own users, with passwords from docker/secrets, and declare nothing.
     */
    @Test
    void theBrokerStartsWithTheRoleUsersAndEachServiceLogsInAsItsOwn() throws IOException {
        Map<String, Object> rabbitmq = Maps.map(services.get("rabbitmq"), "rabbitmq");
        String mount = list(rabbitmq.get("volumes")).stream()
                .map(Object::toString)
                .filter(v -> v.contains("/etc/rabbitmq/conf.d/"))
                .findFirst()
                .orElseThrow();
        String conf = Files.readString(root.resolve(mount.split(":")[0]));
        Matcher load =
                Pattern.compile("(?m)^load_definitions = /run/secrets/(\\S+)$").matcher(conf);
        assertThat(load.find()).as(conf).isTrue();
        assertThat(list(rabbitmq.get("secrets"))).contains(load.group(1));
        String makeSecrets = Files.readString(root.resolve("docker/make-secrets.sh"));
        assertThat(makeSecrets)
                .contains(
                        "broker setup",
                        "--print definitions",
                        "> " + load.group(1) + ".new",
                        "chown 999:999 " + load.group(1));

        for (String[] login : new String[][] {
            {"coordinator", "lazarus-coordinator"}, {"lazarus", "lazarus-coordinator"}, {"worker", "lazarus-worker"}
        }) {
            Map<String, Object> service = Maps.map(services.get(login[0]), login[0]);
            Map<String, Object> environment = Maps.map(service.get("environment"), login[0]);
            String secret = "rabbitmq_" + login[1].substring("lazarus-".length()) + "_password";
            assertThat(environment)
                    .as(login[0])
                    .containsEntry("SPRING_RABBITMQ_USERNAME", login[1])
                    .containsEntry("SPRING_RABBITMQ_PASSWORD_FILE", "/run/secrets/" + secret)
                    .containsEntry("LAZARUS_TOPOLOGY_DECLARE", "false")
                    .doesNotContainKey("SPRING_RABBITMQ_PASSWORD");
            assertThat(list(service.get("secrets"))).as(login[0]).contains(secret);
            assertThat(environment.get("SPRING_RABBITMQ_ADDRESSES").toString())
                    .as(login[0])
                    .doesNotContain("@");
            assertThat(makeSecrets)
                    .contains("--password-file " + login[1].substring("lazarus-".length()) + "=" + secret);
        }
        assertThat(Files.readString(root.resolve("docker/entrypoint.sh"))).contains("SPRING_RABBITMQ_PASSWORD_FILE");
        assertThat(Files.readString(root.resolve("docker-compose.yml")))
                .doesNotContainPattern("amqps?://[^/@\\s]+:[^/@\\s]+@")
                .doesNotContain("guest");
    }

    private boolean hasHealthCheck(String service) {
        Map<String, Object> definition = Maps.map(services.get(service), service);
        Object target = Maps.at(definition, "build", "target");
        return definition.containsKey("healthcheck")
                || target != null
                        && dockerfile.chain(target.toString()).stream()
                                .anyMatch(i -> i.keyword().equals("HEALTHCHECK"));
    }

    /** README.md's section "Containers and compose". */
    private String composeSection() {
        try {
            String readme = Files.readString(root.resolve("README.md"));
            int start = readme.indexOf("## Containers and compose");
            assertThat(start)
                    .as("README.md has a section Containers and compose")
                    .isNotNegative();
            int end = readme.indexOf("\n## ", start + 1);
            return readme.substring(start, end < 0 ? readme.length() : end);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Object> list(Object value) {
        return value == null ? List.of() : Maps.list(value, "list");
    }
}
