package io.lazarus.testkit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.logback.ColorConverter;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.yaml.snakeyaml.Yaml;

/**
 * The backstop under Printable, for an application whose {@code application.yml} is on the test class path: its own
 * log patterns ({@code logging.pattern.console} and {@code .file}) write a line break inside a message as \n. A module
 * states it with an empty {@code class LogPatternTest extends LogPatternContract}.
 */
public abstract class LogPatternContract {

    @Test
    void aLineBreakInALoggedValueStaysOnItsLogLineOnTheConsoleAndInAFile() throws Exception {
        for (String target : new String[] {"console", "file"}) {
            String logged =
                    format(pattern(target), "rejecting message {}", "id\nFAKE LOG LINE\r\nFAKE LOG LINE\u2028x");

            assertThat(logged.lines()).as(target).hasSize(1).noneMatch(l -> l.startsWith("FAKE LOG LINE"));
            assertThat(logged).as(target).contains("rejecting message id\\nFAKE LOG LINE\\nFAKE LOG LINE\\nx");
        }
    }

    @SuppressWarnings("unchecked")
    private String pattern(String target) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/application.yml")) {
            Map<String, Object> yaml = new Yaml().load(in);
            Map<String, Object> logging = (Map<String, Object>) yaml.get("logging");
            return (String) ((Map<String, Object>) logging.get("pattern")).get(target);
        }
    }

    private static String format(String pattern, String message, Object argument) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        Map<String, Supplier<?>> rules = new HashMap<>();
        rules.put("clr", ColorConverter::new);
        rules.put("wEx", ExtendedWhitespaceThrowableProxyConverter::new);
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger logger = context.getLogger("test");
        logger.addAppender(appender);
        logger.warn(message, argument);
        String formatted = out.toString(StandardCharsets.UTF_8);
        return formatted.isEmpty()
                ? context.getStatusManager().getCopyOfStatusList().toString()
                : formatted;
    }
}
