package io.lazarus.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are what Python 3's ast.literal_eval makes of the text, as Ansible's INI _parse_value renders it. */
class PythonLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false, textBlock = """
            22|22
            -5|-5
            0|0
            0x1F|31
            0o17|15
            0b11|3
            1_000|1000
            022|022
            1__0|1__0
            22 # comment|22
            'a b'|a b
            "it's"|it's
            'a\\'b'|a'b
            'x' # c|x
            True|True
            None|None
            deploy # admin|deploy # admin
            10.0.0.1|10.0.0.1
            'open|'open
            [1, 2]|[1, 2]
            """)
    void evaluatesWhatLiteralEvalWouldAndLeavesTheRestAsText(String text, String expected) {
        assertThat(PythonLiteral.evaluated(text)).isEqualTo(expected);
    }
}
