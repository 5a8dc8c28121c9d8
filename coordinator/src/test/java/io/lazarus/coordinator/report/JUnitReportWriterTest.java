package io.lazarus.coordinator.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JUnitReportWriterTest {

    @Test
    void durationsAreSecondsWithThreeDecimals() {
        assertThat(JUnitReportWriter.seconds(0)).isEqualTo("0.000");
        assertThat(JUnitReportWriter.seconds(5)).isEqualTo("0.005");
        assertThat(JUnitReportWriter.seconds(42)).isEqualTo("0.042");
        assertThat(JUnitReportWriter.seconds(2031)).isEqualTo("2.031");
        assertThat(JUnitReportWriter.seconds(60_000)).isEqualTo("60.000");
        assertThat(JUnitReportWriter.seconds(-1500)).isEqualTo("-1.500");
    }

    @Test
    void whatXmlCannotCarryIsReplacedAndTheRestKept() {
        String plain = "Setting up tomcat10 (10.1.16-1) ...\n\tdone\r\n";
        assertThat(JUnitReportWriter.clean(plain)).isSameAs(plain);
        assertThat(JUnitReportWriter.clean("\u001b[31mred\u0000")).isEqualTo("\uFFFD[31mred\uFFFD");
        assertThat(JUnitReportWriter.clean("done \uD83D\uDE80")).isEqualTo("done \uD83D\uDE80");
        assertThat(JUnitReportWriter.clean("lone \uD800 surrogate \uFFFF")).isEqualTo("lone \uFFFD surrogate \uFFFD");
        assertThat(JUnitReportWriter.clean(null)).isEmpty();
    }
}
