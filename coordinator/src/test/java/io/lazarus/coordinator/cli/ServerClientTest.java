package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --server URL}: plain http:// only to this machine, unless --insecure; decided without any connection. */
class ServerClientTest {

    @TempDir
    Path dir;

    @Test
    void loopbackIsLocalhostOrALoopbackLiteralAndNoNameIsLookedUp() {
        assertThat(ServerClient.isLoopback("localhost")).isTrue();
        assertThat(ServerClient.isLoopback("127.0.0.1")).isTrue();
        assertThat(ServerClient.isLoopback("127.1.2.3")).isTrue();
        assertThat(ServerClient.isLoopback("[::1]")).isTrue();
        assertThat(ServerClient.isLoopback("10.1.2.3")).isFalse();
        assertThat(ServerClient.isLoopback("lazarus-coordinator")).isFalse();
        assertThat(ServerClient.isLoopback("localhost.attacker.example.com")).isFalse();
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedUnlessInsecure() throws Exception {
        assertThatThrownBy(() -> ServerClient.of("http://10.1.2.3:8080", false, "t", dir.resolve("none")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("--insecure");
        assertThat(ServerClient.of("http://10.1.2.3:8080", true, "t", dir.resolve("none")))
                .isNotNull();
        assertThat(ServerClient.of("https://lazarus.example.com", false, "t", dir.resolve("none")))
                .isNotNull();
        assertThat(ServerClient.of("http://127.0.0.1:8080", false, "t", dir.resolve("none")))
                .isNotNull();
        assertThatThrownBy(() -> ServerClient.of("ftp://127.0.0.1", false, "t", dir.resolve("none")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("http:// or https://");
    }
}
