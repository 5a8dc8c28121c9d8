package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CI recipes under ci/ parse, enqueue a run on the coordinator service and wait for it (the run resurrects its own
 * nodes), publish its JUnit report, with options the lazarus command has, and talk to nothing but the service's API.
 */
class CiRecipesTest {

    @Test
    void gitHubActionsRunsWaitsAndPublishesThroughTheServiceApiOnly() throws IOException {
        Map<String, Object> workflow = YamlFiles.document(Repository.file("ci/github/lazarus.yml"));
        Map<String, Object> jobs = Maps.map(workflow.get("jobs"), "jobs");
        List<Object> install = Maps.list(Maps.at(jobs, "install", "steps"), "install.steps");

        String run = runs(install);
        assertThat(run).contains("lazarus run --server", "--resurrect auto", "--wait", "--junit report.xml");
        assertRunOptionsExist(run);
        assertThat(install).anySatisfy(step -> {
            assertThat(Maps.string(Maps.map(step, "step"), "uses")).contains("junit");
            assertThat(Maps.string(Maps.map(step, "step"), "with", "report_paths"))
                    .isEqualTo("report.xml");
            assertThat(Maps.string(Maps.map(step, "step"), "if")).isEqualTo("always()");
        });
        assertThat(jobs).containsOnlyKeys("install");
        assertOnlyTheServiceApi(Files.readString(Repository.file("ci/github/lazarus.yml")));
    }

    @Test
    void gitLabCiRunsWaitsAndPublishesThroughTheServiceApiOnly() throws IOException {
        Map<String, Object> pipeline = YamlFiles.document(Repository.file("ci/gitlab/.gitlab-ci.yml"));
        Map<String, Object> install = Maps.map(pipeline.get("install"), "install");

        String script = String.join(
                "\n",
                Maps.list(install.get("script"), "script").stream()
                        .map(Object::toString)
                        .toList());
        assertThat(script).contains("lazarus run --server", "--resurrect auto", "--wait", "--junit report.xml");
        assertRunOptionsExist(script);
        assertThat(Maps.string(install, "artifacts", "reports", "junit")).isEqualTo("report.xml");
        assertThat(Maps.string(install, "artifacts", "when")).isEqualTo("always");
        assertThat(Maps.string(pipeline, ".lazarus", "image", "name")).isEqualTo("$LAZARUS_IMAGE");
        assertThat(pipeline).doesNotContainKey("resurrect");
        assertOnlyTheServiceApi(Files.readString(Repository.file("ci/gitlab/.gitlab-ci.yml")));
    }

    /** A CI job holds an API token, never a broker login or the registry's database credentials (DESIGN "Trust"). */
    private static void assertOnlyTheServiceApi(String recipe) {
        String withoutComments = recipe.replaceAll("(?m)^\\s*#.*$", "");
        assertThat(withoutComments)
                .doesNotContain("RABBITMQ", "amqp://", "amqps://", "DATASOURCE", "REGISTRY_URL")
                .doesNotContainPattern(
                        "lazarus (resurrect|quarantine|status|watch|report|cancel|rerun)(?! .*--server)");
        Matcher command = Pattern.compile("lazarus (run|status|watch|report|cancel)\\b[^\\n]*")
                .matcher(withoutComments);
        while (command.find()) {
            assertThat(command.group()).as("talks to the service").contains("--server");
        }
    }

    @Test
    void theCoordinatorImageHasTheLazarusCommandTheRecipesRun() {
        assertThat(new Dockerfile(Repository.root()).chain("coordinator"))
                .anyMatch(i -> i.keyword().equals("RUN") && i.arguments().contains("/usr/local/bin/lazarus"));
    }

    private static String runs(List<Object> steps) {
        StringBuilder runs = new StringBuilder();
        steps.forEach(
                step -> runs.append(Maps.string(Maps.map(step, "step"), "run")).append('\n'));
        return runs.toString();
    }

    /** Every option given to `lazarus run` is one the command declares. */
    private static void assertRunOptionsExist(String commands) {
        String source;
        try {
            source = Files.readString(
                    Repository.file("coordinator/src/main/java/io/lazarus/coordinator/cli/RunCommand.java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Matcher option = Pattern.compile("\\s(--[a-z-]+)").matcher(commands.substring(commands.indexOf("lazarus run")));
        int found = 0;
        while (option.find()) {
            found++;
            assertThat(source).as(option.group(1)).contains("\"" + option.group(1) + "\"");
        }
        assertThat(found).isGreaterThanOrEqualTo(5);
    }
}
