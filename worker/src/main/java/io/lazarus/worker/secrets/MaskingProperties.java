package io.lazarus.worker.secrets;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.worker.mask-patterns}: regular expressions (Java syntax) whose matches are masked in output tails and
 * failure reasons before they leave the worker, on top of the values of the secrets the run used. A pattern with a
 * named group {@code secret} masks only that group (the value after {@code password=}), otherwise the whole match.
 * Setting the list replaces the defaults; an empty list keeps only the masking of secret values.
 */
@ConfigurationProperties("lazarus.worker")
public record MaskingProperties(
        @DefaultValue({PEM_PRIVATE_KEY, PEM_PRIVATE_KEY_CUT, AWS_ACCESS_KEY, AWS_SECRET_KEY, BEARER_TOKEN, PASSWORD})
        List<String> maskPatterns) {

    /** A whole private key block, or its start when the tail ends inside it. */
    static final String PEM_PRIVATE_KEY =
            "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\\z)";
    /** The rest of a block whose start fell before the tail. */
    static final String PEM_PRIVATE_KEY_CUT = "\\A(?:(?!-----BEGIN )[\\s\\S])*?-----END [A-Z0-9 ]*PRIVATE KEY-----";

    static final String AWS_ACCESS_KEY = "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b";
    static final String AWS_SECRET_KEY =
            "(?i)aws_?secret(?:_access)?_?key[\"']?\\s*[:=]\\s*[\"']?(?<secret>[A-Za-z0-9/+=]{40})";
    static final String BEARER_TOKEN = "(?i)\\bbearer\\s+(?<secret>[A-Za-z0-9._~+/=-]{8,})";
    static final String PASSWORD =
            "(?i)(?:password|passwd|pwd|secret)[\"']?[ \\t]*[:=][ \\t]*(?<secret>\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s\"']+)";

    /**
     * For each default pattern, words of which a text holds at least one, in lower case, wherever the pattern matches
     * it: a text with none of them is left alone without running the pattern. Output rarely holds any, and the patterns
     * ({@code \b}, {@code (?i)}, a lazy scan from {@code \A}) were a twentieth of a worker's CPU run over all of it.
     */
    static final Map<String, List<String>> CLUES = Map.of(
            PEM_PRIVATE_KEY, List.of("-----begin "),
            PEM_PRIVATE_KEY_CUT, List.of("-----end "),
            AWS_ACCESS_KEY, List.of("akia", "asia"),
            AWS_SECRET_KEY, List.of("secret"),
            BEARER_TOKEN, List.of("bearer"),
            PASSWORD, List.of("passw", "pwd", "secret"));

    public MaskingProperties {
        maskPatterns = maskPatterns == null ? List.of() : List.copyOf(maskPatterns);
    }

    public static MaskingProperties defaults() {
        return new MaskingProperties(
                List.of(PEM_PRIVATE_KEY, PEM_PRIVATE_KEY_CUT, AWS_ACCESS_KEY, AWS_SECRET_KEY, BEARER_TOKEN, PASSWORD));
    }
}
