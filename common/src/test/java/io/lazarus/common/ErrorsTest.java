package io.lazarus.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    private final ConnectException refused = new ConnectException("Connection refused\n  at 127.0.0.1:5672");
    private final IllegalStateException wrapped =
            new IllegalStateException("cannot start", new UncheckedIOException("broker", refused));

    @Test
    void theRootMessageIsTheInnermostCauses() {
        assertThat(Errors.rootMessage(wrapped)).isEqualTo("Connection refused\n  at 127.0.0.1:5672");
        assertThat(Errors.rootLine(wrapped)).isEqualTo("Connection refused");
    }

    @Test
    void aCauseWithoutAMessageIsNamedByItsType() {
        assertThat(Errors.rootMessage(new RuntimeException("outer", new NullPointerException())))
                .isEqualTo("NullPointerException");
    }

    @Test
    void aCauseIsFoundByItsTypeAnywhereInTheChain() {
        assertThat(Errors.causeOf(wrapped, IOException.class)).containsSame(refused);
        assertThat(Errors.causeOf(wrapped, IllegalStateException.class)).containsSame(wrapped);
        assertThat(Errors.causeOf(wrapped, ArithmeticException.class)).isEmpty();
        assertThat(Errors.causeOf(null, IOException.class)).isEmpty();
    }
}
