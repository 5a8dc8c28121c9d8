package io.lazarus.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI recipes under ci/ parse, enqueue a run and wait for it, publish its JUnit report, and drain the
 * resurrection queue on a schedule, with options the lazarus command has.
 */
class CiRecipesTest {

    @Test
    void gitHubActionsRunsWaitsPublishesAndResurrectsOnASchedule() {
        Map<String, Object> workflow = YamlFiles.document(Repository.file("ci/github/lazarus.yml"));
        // YAML 1.1 reads the key `on` as true
        Map<String, Object> triggers = Maps.map(workflow.containsKey("on") ? workflow.get("on") : workflow.get(true), "on");
        Map<String, Object> jobs = Maps.map(workflow.get("jobs"), "jobs");
        List<Object> install = Maps.list(Maps.at(jobs, "install", "steps"), "install.steps");
        List<Object> resurrect = Maps.list(Maps.at(jobs, "resurrect", "steps"), "resurrect.steps");

        assertThat(Maps.list(triggers.get("schedule"), "schedule")).isNotEmpty();
        String run = runs(install);
        assertThat(run).contains("lazarus run --server", "--wait", "--junit report.xml");
        assertRunOptionsExist(run);
        assertThat(install).anySatisfy(step -> {
            assertThat(Maps.string(Maps.map(step, "step"), "uses")).contains("junit");
            assertThat(Maps.string(Maps.map(step, "step"), "with", "report_paths")).isEqualTo("report.xml");
            assertThat(Maps.string(Maps.map(step, "step"), "if")).isEqualTo("always()");
        });
        assertThat(runs(resurrect)).contains("lazarus resurrect", "lazarus quarantine list");
    }

    @Test
    void gitLabCiRunsWaitsPublishesAndResurrectsOnASchedule() {
        Map<String, Object> pipeline = YamlFiles.document(Repository.file("ci/gitlab/.gitlab-ci.yml"));
        Map<String, Object> install = Maps.map(pipeline.get("install"), "install");
        Map<String, Object> resurrect = Maps.map(pipeline.get("resurrect"), "resurrect");

        String script = String.join("\n", Maps.list(install.get("script"), "script").stream().map(Object::toString).toList());
        assertThat(script).contains("lazarus run --server", "--wait", "--junit report.xml");
        assertRunOptionsExist(script);
        assertThat(Maps.string(install, "artifacts", "reports", "junit")).isEqualTo("report.xml");
        assertThat(Maps.string(install, "artifacts", "when")).isEqualTo("always");
        assertThat(resurrect.get("rules").toString()).contains("$CI_PIPELINE_SOURCE == \"schedule\"");
        assertThat(resurrect.get("script").toString()).contains("lazarus resurrect", "lazarus quarantine list");
        assertThat(Maps.string(pipeline, ".lazarus", "image", "name")).isEqualTo("$LAZARUS_IMAGE");
    }

    @Test
    void theCoordinatorImageHasTheLazarusCommandTheRecipesRun() {
        assertThat(new Dockerfile(Repository.root()).chain("coordinator"))
                .anyMatch(i -> i.keyword().equals("RUN") && i.arguments().contains("/usr/local/bin/lazarus"));
    }

    private static String runs(List<Object> steps) {
        StringBuilder runs = new StringBuilder();
        steps.forEach(step -> runs.append(Maps.string(Maps.map(step, "step"), "run")).append('\n'));
        return runs.toString();
    }

    /** Every option given to `lazarus run` is one the command declares. */
    private static void assertRunOptionsExist(String commands) {
        String source;
        try {
            source = Files.readString(Repository.file("coordinator/src/main/java/io/lazarus/coordinator/cli/RunCommand.java"));
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
