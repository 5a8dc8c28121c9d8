package io.lazarus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunVariablesTest {

    private final InstallMessage install = InstallMessage.firstAttempt(
            "run-1",
            new NodeTarget("web-01", "10.0.0.5", 22, "deploy"),
            InstallScript.of("install.sh", "true"),
            null,
            Instant.parse("2026-11-21T12:00:00Z"),
            List.of(),
            Map.of("version", "10.1.2", "Mode", "blue green"));

    @Test
    void variablesAreKeptInKeyOrderAndSeenByTheScriptInUpperCase() {
        assertThat(RunVariables.validated(Map.of("b", "2", "a_1", "1", "_x", "")))
                .containsExactly(Map.entry("_x", ""), Map.entry("a_1", "1"), Map.entry("b", "2"));
        assertThat(RunVariables.envName("tomcat_Version")).isEqualTo("LAZARUS_VAR_TOMCAT_VERSION");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1st", "a-b", "a.b", "a b", "", "é"})
    void aKeyThatIsNoShellNameIsRefusedNamingIt(String key) {
        assertThatThrownBy(() -> RunVariables.validated(Map.of(key, "v")))
                .isInstanceOf(InvalidField.class)
                .hasMessage("vars." + key + " is not a variable name: a key must match [A-Za-z_][A-Za-z0-9_]{0,63}");
    }

    @Test
    void aKeyOfSixtyFiveCharactersIsRefusedAndOneOfSixtyFourTaken() {
        assertThat(RunVariables.validated(Map.of("k".repeat(64), "v"))).hasSize(1);
        assertThatThrownBy(() -> RunVariables.validated(Map.of("k".repeat(65), "v")))
                .isInstanceOf(InvalidField.class)
                .hasMessageContaining("is not a variable name");
    }

    @Test
    void twoKeysThatAreTheSameNameInUpperCaseAreRefused() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("zone", "a");
        vars.put("ZONE", "b");

        assertThatThrownBy(() -> RunVariables.validated(vars))
                .isInstanceOf(InvalidField.class)
                .hasMessage("vars.ZONE and vars.zone are both LAZARUS_VAR_ZONE to the script: rename one");
    }

    @Test
    void aValueWithAControlCharacterOrNoneIsRefusedButNewlinesAndTabsAreTaken() {
        assertThat(RunVariables.validated(Map.of("motd", "line 1\n\tline 2"))).hasSize(1);
        assertThatThrownBy(() -> RunVariables.validated(Map.of("motd", "red \u001b[31m")))
                .hasMessage("vars.motd holds a control character other than newline or tab");
        Map<String, String> none = new LinkedHashMap<>();
        none.put("motd", null);
        assertThatThrownBy(() -> RunVariables.validated(none)).hasMessage("vars.motd has no value");
    }

    @Test
    void moreThanSixtyFourKibibytesOfVariablesAreRefusedSayingHowMany() {
        Map<String, String> vars = Map.of("a", "x".repeat(40_000), "b", "y".repeat(25_534));
        Map<String, String> over = Map.of("a", "x".repeat(40_000), "b", "y".repeat(25_535));

        assertThat(RunVariables.validated(vars)).hasSize(2);
        assertThatThrownBy(() -> RunVariables.validated(over))
                .isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("vars take 65537 bytes (keys and values), more than 65536");
    }

    @Test
    void anInstallMessageCarriesItsVariablesAndAnOlderOneWithoutThemHasNone() {
        String json = new String(Contracts.toJson(install), StandardCharsets.UTF_8);

        assertThat(json).contains("\"vars\":{\"Mode\":\"blue green\",\"version\":\"10.1.2\"}");
        assertThat(Contracts.readInstall(Contracts.toJson(install))).isEqualTo(install);
        String older = json.replace(",\"vars\":{\"Mode\":\"blue green\",\"version\":\"10.1.2\"}", "");
        assertThat(older).doesNotContain("vars");
        assertThat(Contracts.readInstall(older.getBytes(StandardCharsets.UTF_8)).vars())
                .isEmpty();
    }

    @Test
    void aReceivedMessageWithABadVariableIsRefusedAsMalformedNamingTheKey() {
        byte[] json = new String(Contracts.toJson(install), StandardCharsets.UTF_8)
                .replace("\"Mode\":", "\"mo de\":")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Contracts.readInstall(json))
                .isInstanceOf(ContractException.Malformed.class)
                .hasMessageContaining("vars.mo de is not a variable name");
    }

    @Test
    void aSecretMayNotTakeTheNameOfAVariableFactOrNodeDatum() {
        for (String name : List.of("LAZARUS_VAR_VERSION", "LAZARUS_FACT_ZONE", "LAZARUS_NODE_ID", "LAZARUS_ATTEMPT")) {
            assertThatThrownBy(() -> SecretNames.validated(List.of(name)))
                    .hasMessageContaining("secret name '" + name + "' is reserved");
        }
        assertThat(SecretNames.validated(List.of("LAZARUS_TOKEN"))).containsExactly("LAZARUS_TOKEN");
    }
}
