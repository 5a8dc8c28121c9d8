package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.lazarus.coordinator.request.RunRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        for (String accepted :
                List.of("http://10.1.2.3:8080", "https://lazarus.example.com", "http://127.0.0.1:8080")) {
            // closed: a client left open builds its HTTP client in the background, whose threads another test counts
            try (ServerClient client =
                    ServerClient.of(accepted, accepted.contains("10.1.2.3"), "t", dir.resolve("none"))) {
                assertThat(client).isNotNull();
            }
        }
        assertThatThrownBy(() -> ServerClient.of("ftp://127.0.0.1", false, "t", dir.resolve("none")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("http:// or https://");
    }

    @Test
    void aServiceOlderThanRenderingItsReportsIsAskedForTheJsonReportAsBefore() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer older = serving(exchange -> {
            asked.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        try (ServerClient client =
                ServerClient.of("http://127.0.0.1:" + older.getAddress().getPort(), false, "t", dir.resolve("none"))) {
            assertThat(client.served("20261205-120000-abcdef", true, false)).isNull();
            assertThat(asked).contains("/api/runs/20261205-120000-abcdef/report/summary");
        } finally {
            older.stop(0);
        }
    }

    @Test
    void closedItLeavesNoThreadOfItsOwnToHoldTheProcessesExit() throws Exception {
        HttpServer service = serving(exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try {
            ServerClient client = ServerClient.of(
                    "http://127.0.0.1:" + service.getAddress().getPort(), false, "t", dir.resolve("none"));
            client.served("20261205-120000-abcdef", false, false);
            assertThat(httpClientThreads(before)).isNotEmpty();

            client.close();

            // the executor's last worker may still be on its way out when the client reports itself terminated
            Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(httpClientThreads(before)).isEmpty());
        } finally {
            service.stop(0);
        }
    }

    private static List<Thread> httpClientThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("HttpClient-"))
                .toList();
    }

    @Test
    void aSummaryFromTheServiceCannotDriveTheTerminalItIsPrintedOn() throws Exception {
        String attack = "run r finished in 1.0s: 1 nodes\n  SUCCEEDED \u001b]0;owned\u0007\u001b[2J 1\n";
        HttpServer service = serving(exchange -> {
            byte[] body = attack.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Lazarus-All-Succeeded", "true");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try (ServerClient client = ServerClient.of(
                "http://127.0.0.1:" + service.getAddress().getPort(), false, "t", dir.resolve("none"))) {
            ServedReport served = client.served("20261205-120000-abcdef", false, false);

            assertThat(served.summary())
                    .doesNotContain("\u001b", "\u0007")
                    .isEqualTo("run r finished in 1.0s: 1 nodes\n  SUCCEEDED \\u001b]0;owned\\u0007\\u001b[2J 1\n");
            assertThat(served.allSucceeded()).isTrue();
        } finally {
            service.stop(0);
        }
    }

    /**
     * The run id a service answers is printed and becomes part of the next requests' paths: one that is no run id (a
     * path, escape sequences, nothing) is refused, printed escaped, before anything is asked with it.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"runId\":\"../../api/tokens\"}",
                "{\"runId\":\"r1\\u001b]0;owned\\u0007\"}",
                "{\"runId\":42}",
                "{\"state\":\"RUNNING\"}",
                "[]",
                "<html>created</html>"
            })
    void aRunIdFromTheServiceThatIsNoRunIdIsRefused(String answer) throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer service = serving(exchange -> {
            asked.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try (ServerClient client = ServerClient.of(
                "http://127.0.0.1:" + service.getAddress().getPort(), false, "t", dir.resolve("none"))) {
            assertThatThrownBy(() -> client.create(request()))
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith("the service answered no run id: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b", "\u0007"));
            assertThat(asked).containsExactly("POST /api/runs");
        } finally {
            service.stop(0);
        }
    }

    private static RunRequest request() {
        return new RunRequest(
                "127.1.0.1\n",
                "true\n",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "hosts");
    }

    private static HttpServer serving(HttpHandler handler) throws IOException {
        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.createContext("/", handler);
        service.start();
        return service;
    }
}
