package io.lazarus.coordinator.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes User, Permission and TopicPermission resources grant what {@link BrokerRoles} grants, no more. */
class KubernetesRolesTest {

    @Test
    @SuppressWarnings("unchecked")
    void theOperatorsResourcesGrantExactlyTheRolesRights() throws Exception {
        Path users = Path.of("..", "k8s", "components", "rabbitmq-users", "users.yaml");
        List<Map<String, Object>> documents = new ArrayList<>();
        new Yaml().loadAll(Files.readString(users)).forEach(d -> documents.add((Map<String, Object>) d));

        for (BrokerRole role : List.of(BrokerRole.COORDINATOR, BrokerRole.WORKER, BrokerRole.MONITORING)) {
            RoleGrant grant = BrokerRoles.grant(role);
            String name = "lazarus-" + role.word();
            Map<String, Object> user = spec(documents, "User", name);
            Map<String, Object> permission = spec(documents, "Permission", name);
            assertThat(user.get("tags")).as(name).isEqualTo(grant.tags());
            assertThat((Map<String, Object>) permission.get("permissions"))
                    .as(name)
                    .isEqualTo(Map.of(
                            "configure",
                            grant.permissions().configure(),
                            "write",
                            grant.permissions().write(),
                            "read",
                            grant.permissions().read()));
            assertThat(documents.stream()
                            .anyMatch(d -> d.get("kind").equals("TopicPermission")
                                    && name.equals(((Map<String, Object>) d.get("metadata")).get("name"))))
                    .as(name)
                    .isEqualTo(grant.topic().isPresent());
            grant.topic()
                    .ifPresent(t -> assertThat((Map<String, Object>)
                                    spec(documents, "TopicPermission", name).get("permissions"))
                            .as(name)
                            .isEqualTo(Map.of("exchange", t.exchange(), "write", t.write(), "read", t.read())));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(List<Map<String, Object>> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> d.get("kind").equals(kind)
                        && name.equals(((Map<String, Object>) d.get("metadata")).get("name")))
                .map(d -> (Map<String, Object>) d.get("spec"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
