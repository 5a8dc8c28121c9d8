package io.lazarus.testkit.ec2;

import java.util.UUID;

/** Just enough XML writing for EC2's answers: elements in order, text escaped. */
final class Xml {

    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final StringBuilder text = new StringBuilder();

    /** {@code <ActionResponse xmlns=...><requestId>...</requestId>}; close it with {@link #end}. */
    static Xml response(String action) {
        Xml xml = new Xml();
        xml.text
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<")
                .append(action)
                .append("Response xmlns=\"")
                .append(NAMESPACE)
                .append("\">");
        return xml.element("requestId", UUID.randomUUID().toString());
    }

    /** EC2's error document: {@code <Response><Errors><Error>...}. */
    static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error></Errors><RequestID>" + UUID.randomUUID()
                + "</RequestID></Response>";
    }

    Xml open(String name) {
        text.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        text.append("</").append(name).append('>');
        return this;
    }

    Xml element(String name, Object value) {
        if (value == null || value.toString().isEmpty()) {
            text.append('<').append(name).append("/>");
            return this;
        }
        return open(name).escaped(value.toString()).close(name);
    }

    /** {@code <name><code>16</code><name>running</name></name>} */
    Xml state(String name, String state) {
        return open(name)
                .element("code", FakeInstance.code(state))
                .element("name", state)
                .close(name);
    }

    String end(String action) {
        return close(action + "Response").text.toString();
    }

    private Xml escaped(String value) {
        text.append(escape(value));
        return this;
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
