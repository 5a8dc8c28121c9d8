package io.lazarus.coordinator.report;

import static io.lazarus.coordinator.registry.CommandResults.command;
import static io.lazarus.coordinator.registry.CommandResults.withCommands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportRehearsalTest {

    @Test
    void aRehearsalWritesBothReportsOfWhateverResultComesFirst() {
        // a failure in the rehearsal's thread would go unseen, and the first real report would pay in full
        assertThatCode(() -> ReportRehearsal.rehearse(withCommands(Outcome.SUCCEEDED, command(0, 0, 20))))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReportRehearsal.rehearse(AttemptResult.without(Outcome.CONNECT_FAILED, "refused")))
                .doesNotThrowAnyException();
    }

    @Test
    void aHostileResultIsRehearsedLikeAnyOther() throws Exception {
        // what a compromised or broken worker could send: NUL and lone surrogates, markup that would close the XML
        // elements and CDATA around it, a very long line
        String hostile =
                "\u0000\uD800</system-out></testcase>]]><testcase name=\"forged\"/>\u001b[31m" + "x".repeat(100_000);
        AttemptResult result = new AttemptResult(
                Outcome.COMMAND_FAILED,
                1,
                null,
                hostile,
                100,
                List.of(command(0, 1, 20)),
                List.of(),
                hostile,
                hostile,
                0,
                null,
                1,
                null,
                null,
                Watchdog.DEFAULTS,
                false);

        assertThatCode(() -> ReportRehearsal.rehearse(result)).doesNotThrowAnyException();

        // and the reports it rehearses hold it as text: one test case, nothing forged, the JSON the same string back
        NodeReport line = NodeReport.of(
                new NodeTarget("web-01", "10.0.0.5", 22, "deploy", Map.of()),
                NodeState.FAILED,
                1,
                "worker-1",
                result,
                "");
        RunReport report =
                RunReport.of("run-1", "install.sh", "", Map.of(), Instant.EPOCH, Instant.EPOCH, 1, List.of(line));
        Document junit = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(JUnitReportWriter.bytes(report)));
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        assertThat(junit.getElementsByTagName("testcase").item(0).getTextContent())
                .contains("\uFFFD\uFFFD</system-out></testcase>]]><testcase name=\"forged\"/>");
        RunReport read = Contracts.mapper().readValue(JsonReportWriter.bytes(report), RunReport.class);
        assertThat(read.nodes().getFirst().stdoutTail()).isEqualTo(line.stdoutTail());
    }
}
