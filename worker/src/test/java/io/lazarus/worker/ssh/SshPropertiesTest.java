package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a careless configuration gets: a worker that does not start, told which setting is wrong. */
class SshPropertiesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void noHandshakeSlotsAtAllIsRefusedNamingTheSetting(int maxHandshakes) {
        assertThatThrownBy(() -> properties(maxHandshakes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lazarus.ssh.max-handshakes must be 1 or more, was " + maxHandshakes);
    }

    @Test
    void oneSlotIsEnough() {
        assertThat(properties(1).maxHandshakes()).isEqualTo(1);
    }

    private static SshProperties properties(int maxHandshakes) {
        return new SshProperties(
                Path.of("id_ecdsa"),
                Path.of("known_hosts"),
                "strict",
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                3,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(15),
                true,
                maxHandshakes);
    }
}
