package io.lazarus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptVariablesTest {

    private static InstallMessage message(Map<String, String> facts, Map<String, String> vars) {
        InstallMessage first = InstallMessage.firstAttempt(
                "run-7",
                new NodeTarget("web-01", "10.0.0.5", 2222, "deploy", facts),
                InstallScript.of("install.sh", "true"),
                null,
                Instant.parse("2026-11-21T12:00:00Z"),
                List.of(),
                vars);
        return new InstallMessage(
                first.schemaVersion(),
                first.attemptId(),
                first.runId(),
                3,
                first.node(),
                first.script(),
                first.watchdog(),
                first.deadline(),
                first.secrets(),
                first.vars(),
                null);
    }

    @Test
    void theScriptSeesTheVariablesThenTheFactsThenWhereAndWhichAttempt() {
        ScriptVariables env = ScriptVariables.of(message(Map.of("zone", "eu-west-1a"), Map.of("version", "10")));

        assertThat(env.values())
                .containsExactly(
                        Map.entry("LAZARUS_VAR_VERSION", "10"),
                        Map.entry("LAZARUS_FACT_ZONE", "eu-west-1a"),
                        Map.entry("LAZARUS_NODE_ID", "web-01"),
                        Map.entry("LAZARUS_NODE_ADDRESS", "10.0.0.5"),
                        Map.entry("LAZARUS_NODE_PORT", "2222"),
                        Map.entry("LAZARUS_NODE_USER", "deploy"),
                        Map.entry("LAZARUS_RUN_ID", "run-7"),
                        Map.entry("LAZARUS_ATTEMPT", "3"));
        assertThat(env.leftOut()).isEmpty();
    }

    @Test
    void aFactKeyHasEveryCharacterOutsideANameMappedToAnUnderscore() {
        ScriptVariables env = ScriptVariables.of(
                message(Map.of("availability-zone", "a", "ec2.instance_id", "i-1", "0rack", "r7"), Map.of()));

        assertThat(env.values())
                .containsEntry("LAZARUS_FACT_AVAILABILITY_ZONE", "a")
                .containsEntry("LAZARUS_FACT_EC2_INSTANCE_ID", "i-1")
                .containsEntry("LAZARUS_FACT_0RACK", "r7");
    }

    @Test
    void aFactWhoseNameAnotherTookIsLeftOutSayingWhichAndAKeyThatNeedsNoMappingWins() {
        ScriptVariables env =
                ScriptVariables.of(message(Map.of("a-b", "mapped", "a_b", "exact", "A.B", "too"), Map.of()));

        assertThat(env.values()).containsEntry("LAZARUS_FACT_A_B", "exact");
        assertThat(env.leftOut())
                .containsExactly(
                        "fact 'A.B': LAZARUS_FACT_A_B is already fact 'a_b'",
                        "fact 'a-b': LAZARUS_FACT_A_B is already fact 'a_b'");
    }

    @Test
    void aFactWithAControlCharacterIsLeftOutAndTheRestGiven() {
        ScriptVariables env = ScriptVariables.of(message(Map.of("bell", "\u0007", "zone", "a"), Map.of()));

        assertThat(env.values()).containsEntry("LAZARUS_FACT_ZONE", "a").doesNotContainKey("LAZARUS_FACT_BELL");
        assertThat(env.leftOut())
                .containsExactly("LAZARUS_FACT_BELL: its value holds a control character other than newline or tab");
    }
}
