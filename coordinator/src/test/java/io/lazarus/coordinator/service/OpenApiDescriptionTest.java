package io.lazarus.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.lazarus.coordinator.request.RunRequest;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.yaml.snakeyaml.Yaml;

/** The hand-kept OpenAPI description names exactly the controller's operations and the request's fields. */
class OpenApiDescriptionTest {

    @Test
    void theDescriptionNamesEveryOperationOfTheControllerAndNoOther() throws Exception {
        Set<String> described = new TreeSet<>();
        paths().forEach((path, operations) -> ((Map<?, ?>) operations)
                .keySet()
                .forEach(method -> described.add(method.toString().toUpperCase() + " " + path)));

        Set<String> served = new TreeSet<>();
        String base = RunsController.class.getAnnotation(RequestMapping.class).value()[0];
        for (Method method : RunsController.class.getDeclaredMethods()) {
            RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
            if (mapping != null) {
                String path = mapping.path().length == 0 ? "" : mapping.path()[0];
                served.add(mapping.method()[0].name() + " " + base + path);
            }
        }

        assertThat(described).isEqualTo(served);
    }

    @Test
    void theDescribedRunRequestHasExactlyTheFieldsTheServiceReads() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) description().get("components")).get("schemas"))
                        .get("RunRequest");
        Set<String> described = new TreeSet<>(((Map<?, ?>) request.get("properties"))
                .keySet().stream().map(Object::toString).toList());

        Set<String> read = new TreeSet<>(Arrays.stream(RunRequest.class.getRecordComponents())
                .filter(component -> !component.getAccessor().isAnnotationPresent(JsonIgnore.class))
                .map(RecordComponent::getName)
                .toList());

        assertThat(described).isEqualTo(read);
        assertThat(request.get("additionalProperties")).isEqualTo(false);
    }

    private static Map<?, ?> paths() throws Exception {
        return (Map<?, ?>) description().get("paths");
    }

    private static Map<String, Object> description() throws Exception {
        try (InputStream in = OpenApiDescriptionTest.class.getResourceAsStream("/static/api/openapi.yaml")) {
            assertThat(in).as("static/api/openapi.yaml on the classpath").isNotNull();
            return new Yaml().load(in);
        }
    }
}
