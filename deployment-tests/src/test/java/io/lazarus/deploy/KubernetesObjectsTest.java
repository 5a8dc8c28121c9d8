package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator itself: what it must refuse, so that the manifests' passing means something. */
class KubernetesObjectsTest {

    @Test
    void aFieldTheModelDoesNotHaveFailsWhereverItIs() {
        assertThatCode(() -> KubernetesObjects.read(deployment("imagePullPolicy: Always")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> KubernetesObjects.read(deployment("imagePullPolicyy: Always")))
                .hasMessageContaining("apps/v1/Deployment worker")
                .hasMessageContaining("imagePullPolicyy");
        assertThatThrownBy(() -> KubernetesObjects.read(object("""
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec:
                  selector: {app: x}
                  ports: [{port: 80, targetPort: http, nodeport: 3000}]
                """))).hasMessageContaining("nodeport");
    }

    @Test
    void aValueOfTheWrongTypeFails() {
        assertThatThrownBy(() -> KubernetesObjects.read(deployment("ports: [{containerPort: \"8080\"}]")))
                .hasMessageContaining("does not fit Deployment");
    }

    @Test
    void customResourcesAreCheckedAgainstTheirRecordsAndUnknownKindsFail() {
        assertThatThrownBy(() -> KubernetesObjects.read(object("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: w}
                spec:
                  scaleTargetRef: {name: w}
                  triggers: [{type: rabbitmq, metadata: {queueName: q}, authRef: {name: a}}]
                """))).hasMessageContaining("authRef");
        assertThatThrownBy(() -> KubernetesObjects.read(object("""
                apiVersion: rabbitmq.com/v1beta1
                kind: RabbitmqCluster
                metadata: {name: r}
                spec: {replicas: 3, persistence: {storage: 10Gi, size: 10Gi}}
                """))).hasMessageContaining("size");
        assertThatThrownBy(() -> KubernetesObjects.read(object("""
                apiVersion: apps/v1beta1
                kind: Deployment
                metadata: {name: old}
                """)))
                .hasMessageContaining("not a kind these manifests may use");
    }

    private static Map<String, Object> deployment(String containerField) {
        return object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker}
                spec:
                  selector: {matchLabels: {app: w}}
                  template:
                    metadata: {labels: {app: w}}
                    spec:
                      containers:
                        - name: worker
                          image: lazarus/worker
                          %s
                """.formatted(containerField));
    }

    private static Map<String, Object> object(String yaml) {
        return YamlFiles.parseAll(yaml).getFirst();
    }
}
