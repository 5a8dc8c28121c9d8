package io.lazarus.coordinator.report;

import io.lazarus.common.contract.NodeState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** JUnit XML, as CI systems read it: one test case per node; a node that did not succeed is a failure. */
public final class JUnitReportWriter {

    private JUnitReportWriter() {}

    public static byte[] bytes(RunReport report) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(bytes, "UTF-8");
            long failures = report.nodes().stream()
                    .filter(n -> n.state() != NodeState.SUCCEEDED)
                    .count();
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "lazarus run " + report.runId());
            xml.writeAttribute("tests", Integer.toString(report.total()));
            xml.writeAttribute("failures", Long.toString(failures));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("timestamp", report.startedAt().toString());
            xml.writeAttribute("time", seconds(report.elapsed().toMillis()));
            for (NodeReport node : report.nodes()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "lazarus." + report.runId());
                xml.writeAttribute("name", node.node() + " (" + node.host() + ":" + node.port() + ")");
                xml.writeAttribute("time", seconds(node.durationMs()));
                // CI tools (Jenkins, GitLab) show test case properties; the key check belongs to every node's verdict
                xml.writeStartElement("properties");
                property(
                        xml,
                        "lazarus.hostKey",
                        node.hostKey() == null ? "NONE" : node.hostKey().name());
                if (node.hostKeyFingerprint() != null) {
                    property(xml, "lazarus.hostKeyFingerprint", node.hostKeyFingerprint());
                }
                xml.writeEndElement();
                if (node.state() != NodeState.SUCCEEDED) {
                    String kind = node.outcome() != null
                            ? node.outcome().name()
                            : node.state().name();
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", kind);
                    xml.writeAttribute("message", clean(kind + (node.reason().isEmpty() ? "" : ": " + node.reason())));
                    // on a pseudo-terminal the node sends stderr merged into stdout
                    xml.writeCharacters(clean(node.stderrTail().isEmpty() ? node.stdoutTail() : node.stderrTail()));
                    xml.writeEndElement();
                }
                if (!node.stdoutTail().isEmpty()) {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(clean(node.stdoutTail()));
                    xml.writeEndElement();
                }
                if (!node.stderrTail().isEmpty()) {
                    xml.writeStartElement("system-err");
                    xml.writeCharacters(clean(node.stderrTail()));
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", clean(value));
    }

    /** {@code 2031} gives {@code 2.031}: written for every node, so not through a format string. */
    static String seconds(long millis) {
        long abs = Math.abs(millis);
        long fraction = abs % 1000;
        return (millis < 0 ? "-" : "") + abs / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /** XML 1.0 cannot carry most control characters, which command output is full of (colours, progress bars). */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        if (plain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9
                    || c == 0xA
                    || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }

    /** No control character, no surrogate, no U+FFFE or U+FFFF: the usual line, kept as it is. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) || (c >= 0xD800 && c <= 0xDFFF) || c >= 0xFFFE) {
                return false;
            }
        }
        return true;
    }
}
