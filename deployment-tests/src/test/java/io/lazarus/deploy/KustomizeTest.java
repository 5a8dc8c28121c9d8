package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer passes on what kustomize refuses, with kustomize's reason, instead of rendering less. */
class KustomizeTest {

    @Test
    void aKustomizationKustomizeRefusesFailsWithItsReason(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                commonLable: {app: lazarus}
                """);

        assertThatThrownBy(() -> Kustomize.build(directory))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("kubectl kustomize")
                .hasMessageContaining("unknown field")
                .hasMessageContaining("commonLable");
    }
}
