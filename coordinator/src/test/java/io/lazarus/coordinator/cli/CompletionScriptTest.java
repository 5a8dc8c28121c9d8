package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script {@code lazarus completion} prints, sourced by a real bash and a real zsh (through its bash compatibility,
 * as the README installs it), completes commands, subcommands and options. bash filters by the typed prefix itself;
 * zsh leaves that to its completion system, so there the test asks which candidates reach it.
 */
class CompletionScriptTest {

    @TempDir
    static Path dir;

    private static Path script;

    @BeforeAll
    static void printTheScript() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Cli.answerWithoutContext("completion")).isZero();
        } finally {
            System.setOut(systemOut);
        }
        script = Files.writeString(dir.resolve("lazarus-completion"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bashCompletesCommandsSubcommandsOptionsAndValues() throws Exception {
        assertThat(bash("lazarus", "ru")).containsExactly("run");
        assertThat(bash("lazarus", "re")).containsExactlyInAnyOrder("registry", "report", "rerun", "resurrect");
        assertThat(bash("lazarus", "registry", "")).contains("compact");
        assertThat(bash("lazarus", "quarantine", "")).contains("list", "release");
        assertThat(bash("lazarus", "run", "--list")).containsExactly("--list-hosts");
        assertThat(bash("lazarus", "run", "--inventory", "hosts", "--canary", "3", "--resur"))
                .containsExactlyInAnyOrder("--resurrect", "--resurrect-delay");
        assertThat(bash("lazarus", "ec2", "provision", "--retry-mode", "A")).containsExactly("ADAPTIVE");
    }

    @Test
    void zshRegistersTheCompletionAndRoutesToTheSubcommand() throws Exception {
        assertThat(zsh("print -r -- $_comps[lazarus]"))
                .containsExactly("_bash_complete -F _complete_lazarus -o default");
        assertThat(zshCandidates("lazarus", "run", "--list"))
                .contains("--list-hosts", "--inventory", "--wait")
                .doesNotContain("status", "provision");
        assertThat(zshCandidates("lazarus", "quarantine", "")).contains("list", "release");
    }

    private static List<String> bash(String... words) throws Exception {
        return run(
                "bash",
                "source " + script + "; COMP_WORDS=(" + quoted(words) + "); COMP_CWORD=" + (words.length - 1)
                        + "; _complete_lazarus; printf '%s\\n' \"${COMPREPLY[@]}\"");
    }

    private static List<String> zshCandidates(String... words) throws Exception {
        return zsh("setopt ksharrays; COMP_WORDS=(" + quoted(words) + "); COMP_CWORD=" + (words.length - 1)
                + "; _complete_lazarus 2>/dev/null; print -l -- \"${COMPREPLY[@]}\"");
    }

    private static List<String> zsh(String then) throws Exception {
        return run(
                "zsh",
                "autoload -U +X compinit && compinit -u -d " + dir.resolve("zcompdump")
                        + "; autoload -U +X bashcompinit && bashcompinit; source " + script + "; " + then);
    }

    private static String quoted(String... words) {
        StringBuilder quoted = new StringBuilder();
        for (String word : words) {
            quoted.append(" '").append(word).append('\'');
        }
        return quoted.toString();
    }

    private static List<String> run(String shell, String commands) throws Exception {
        Process process = new ProcessBuilder(shell, "-c", commands)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(shell).isTrue();
        assertThat(process.exitValue()).as(shell + " exit").isZero();
        return out.lines().filter(line -> !line.isEmpty()).toList();
    }
}
