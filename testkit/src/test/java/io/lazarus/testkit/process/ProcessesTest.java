package io.lazarus.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessesTest {

    @Test
    void aFreePortIsOneNoOutgoingConnectionCanTakeAndItCanBeListenedOn() throws Exception {
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .getFirst()
                .trim()
                .split("\\s+");
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);

        for (int i = 0; i < 50; i++) {
            int port = Processes.freePort();
            assertThat(port)
                    .as("outside the ephemeral ports %d - %d", low, high)
                    .matches(p -> p < low || p > high);
            try (ServerSocket socket = new ServerSocket(port)) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
