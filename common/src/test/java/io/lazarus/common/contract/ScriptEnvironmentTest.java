package io.lazarus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The prelude and its stdin as a real POSIX shell reads them, without SSH. */
class ScriptEnvironmentTest {

    @Test
    void awkwardValuesReachTheCommandExactly() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("QUOTES", "it's \"quoted\" $HOME `id` \\n \\");
        values.put("LINES", "first\n  second\n");
        values.put("LONG", "x".repeat(3000) + "'" + "y".repeat(2000));
        values.put("EMPTY", "");
        ScriptEnvironment environment = ScriptEnvironment.of(values);

        for (String shell : new String[] {"/bin/sh", "/bin/bash"}) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                String out = run(shell, environment, "printf '%s' \"$" + e.getKey() + "\"");
                assertThat(out).as(shell + " " + e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void theCommandLineCarriesNoValue() {
        String command = ScriptEnvironment.of(Map.of("DB_PASSWORD", "hunter2")).command("echo hi", false);

        assertThat(command).doesNotContain("hunter2").endsWith("\necho hi");
        assertThat(ScriptEnvironment.of(Map.of()).command("echo hi", false)).isEqualTo("echo hi");
    }

    @Test
    void onAPseudoTerminalTheReadsEndAtOnceAfterTheExportsAreRead() {
        String command = ScriptEnvironment.of(Map.of("A", "1")).command("echo hi", true);

        assertThat(command)
                .as("the exports are read a line at a time, canonical, before the terminal changes")
                .containsSubsequence("read -r __lz_line", "eval", ScriptEnvironment.READS_END_AT_ONCE, "\necho hi");
        assertThat(ScriptEnvironment.of(Map.of()).command("echo hi", true))
                .isEqualTo(ScriptEnvironment.READS_END_AT_ONCE + "; echo hi");
    }

    @Test
    void aCommandThatReadsStdinAfterTheSecretsFindsItsEnd() throws Exception {
        ScriptEnvironment environment = ScriptEnvironment.of(Map.of("A", "1"));

        assertThat(run("/bin/sh", environment, "if read line; then echo read; else echo eof $A; fi"))
                .isEqualTo("eof 1\n");
    }

    private static String run(String shell, ScriptEnvironment environment, String command) throws Exception {
        Process process = new ProcessBuilder(shell, "-c", environment.command(command, false))
                .redirectErrorStream(true)
                .start();
        try (var in = environment.input();
                var stdin = process.getOutputStream()) {
            in.transferTo(stdin);
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
