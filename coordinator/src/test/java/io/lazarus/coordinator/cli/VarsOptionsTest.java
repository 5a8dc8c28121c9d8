package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.lazarus.common.files.DirectoryContentStore;
import io.lazarus.coordinator.files.Uploads;
import io.lazarus.coordinator.request.RunRequest;
import io.lazarus.coordinator.request.RunRequestValidator;
import io.lazarus.coordinator.run.RunLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code --vars-file} and {@code --var} as picocli reads them: the file first, each --var over it, the last wins; then
 * the run request's rules.
 */
class VarsOptionsTest {

    @TempDir
    Path dir;

    @Command(name = "run")
    static final class Run {
        @Mixin
        VarsOptions vars = new VarsOptions();
    }

    private Map<String, String> vars(String... args) {
        Run run = new Run();
        new CommandLine(run).parseArgs(args);
        return run.vars.vars();
    }

    private String file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void aLaterVarWinsAndAVarOverridesTheFileWhoseValuesAreTakenAsWritten() throws Exception {
        String yaml = file("vars.yml", """
                # the release
                version: 1.10
                mode: "blue green"
                debug: true
                motd: |
                  line one
                  line two
                """);

        assertThat(vars("--vars-file", yaml, "--var", "mode=canary", "--var", "extra=a=b", "--var", "extra=c=d"))
                .containsOnly(
                        entry("debug", "true"),
                        entry("extra", "c=d"),
                        entry("mode", "canary"),
                        entry("motd", "line one\nline two\n"),
                        entry("version", "1.10"));
        assertThat(vars()).isEmpty();
        assertThat(vars("--var", "empty=")).containsExactly(entry("empty", ""));
    }

    @Test
    void aJsonFileIndentedWithTabsIsRead() throws Exception {
        String json = file("vars.json", "{\n\t\"version\": 3,\n\t\"channel\": \"stable\",\n\t\"on\": false\n}\n");

        assertThat(vars("--vars-file", json))
                .containsOnly(entry("channel", "stable"), entry("on", "false"), entry("version", "3"));
    }

    @Test
    void aNestedValueIsRefusedWithTheFileTheLineAndTheKey() throws Exception {
        String yaml = file("nested.yml", "version: 1\ndb:\n  host: x\n");
        String list = file("list.yml", "version: 1\nhosts: [a, b]\n");
        String json = file("nested.json", "{\n  \"version\": 1,\n  \"db\": {\"host\": \"x\"}\n}");

        assertThatThrownBy(() -> vars("--vars-file", yaml))
                .isInstanceOf(InputException.class)
                .hasMessage("--vars-file " + yaml + ":2: key 'db': nested values are refused (a flat map of scalars)");
        assertThatThrownBy(() -> vars("--vars-file", list))
                .hasMessage(
                        "--vars-file " + list + ":2: key 'hosts': nested values are refused (a flat map of scalars)");
        assertThatThrownBy(() -> vars("--vars-file", json))
                .hasMessage("--vars-file " + json + ":3: key 'db': nested values are refused (a flat map of scalars)");
    }

    @Test
    void aFileThatIsNoFlatMapOfNamesIsRefusedSayingWhereAndWhy() throws Exception {
        String badKey = file("key.yml", "ok: 1\ntomcat-version: 10\n");
        String twice = file("twice.json", "{\"a\": 1,\n \"a\": 2}");
        String none = file("null.yml", "a: 1\nb:\n");
        String list = file("list.yml", "- a\n- b\n");
        String broken = file("broken.json", "{\"a\": 1,\n");

        assertThatThrownBy(() -> vars("--vars-file", badKey))
                .hasMessage("--vars-file " + badKey + ":2: vars.tomcat-version is not a variable name: a key must match"
                        + " [A-Za-z_][A-Za-z0-9_]{0,63}");
        assertThatThrownBy(() -> vars("--vars-file", twice))
                .hasMessage("--vars-file " + twice + ":2: key 'a' is given twice");
        assertThatThrownBy(() -> vars("--vars-file", none))
                .hasMessage("--vars-file " + none + ":2: vars.b has no value");
        assertThatThrownBy(() -> vars("--vars-file", list))
                .hasMessage("--vars-file " + list + ":1: must be a mapping of KEY: VALUE");
        assertThatThrownBy(() -> vars("--vars-file", broken)).hasMessageStartingWith("--vars-file " + broken + ":");
        assertThatThrownBy(() -> vars("--vars-file", dir.resolve("absent.yml").toString()))
                .hasMessage("--vars-file " + dir.resolve("absent.yml") + ": no such file");
    }

    @Test
    void aBadVarIsRefusedByTheRunRequestsRulesNamingTheOption() throws Exception {
        String yaml = file("vars.yml", "zone: a\n");

        assertThatThrownBy(() -> options("--var", "1st=x"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("--var refused: vars.1st is not a variable name");
        assertThatThrownBy(() -> options("--vars-file", yaml, "--var", "ZONE=b"))
                .hasMessage(
                        "--var refused: vars.ZONE and vars.zone are both LAZARUS_VAR_ZONE to the script: rename one");
        assertThat(options("--var", "zone=a").vars()).containsExactly(entry("zone", "a"));
        assertThatThrownBy(() -> vars("--var", "novalue")).isInstanceOf(CommandLine.ParameterException.class);
    }

    /** The variables as the run's options hold them, checked by the rules the API's go through. */
    private io.lazarus.coordinator.run.RunOptions options(String... args) {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(vars(args));
        RunRequest request = new RunRequest(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, vars, null, null, null, null);
        return RequestRefusals.checked(() -> new RunRequestValidator(
                        new RunLimits(10), new Uploads(new DirectoryContentStore(dir.resolve("files"))))
                .options(request));
    }
}
