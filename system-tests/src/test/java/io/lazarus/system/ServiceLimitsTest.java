package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.ServiceProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The service's limits, on {@code serve} as a process with a small heap: bodies over the cap, runs over the node cap,
 * errors over a hundred problems, over-long fields, streams over the cap; and the command line's node cap.
 */
class ServiceLimitsTest {

    private static final String TOKEN = "limits-token-0123456789";
    private static final int TEN_MB = 10 * 1024 * 1024;

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    static ServiceProcess service;
    static ServiceApi api;

    @BeforeAll
    static void serve() throws Exception {
        service = system.startService(
                Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN, "LAZARUS_SERVICE_MAX_EVENT_STREAMS", "2"), "-Xmx160m");
        api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
    }

    @Test
    void tenMegabyteBodiesAre413BeforeTheyAreBufferedAndTheServiceGoesOn() throws Exception {
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Raw>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean chunked = i % 2 == 0;
            answers.add(clients.submit(() -> rawPost(TEN_MB, chunked)));
        }

        for (Future<Raw> answer : answers) {
            Raw raw = answer.get(60, TimeUnit.SECONDS);
            assertThat(raw.status()).as(raw.toString()).isEqualTo(413);
            assertThat(raw.headers()).containsIgnoringCase("Content-Type: application/problem+json");
            JsonNode problem = Contracts.mapper().readTree(raw.body());
            assertThat(problem.get("status").asInt()).isEqualTo(413);
            assertThat(problem.get("maxBytes").asLong()).isEqualTo(2 * 1024 * 1024);
            assertThat(problem.get("detail").asString())
                    .contains("larger than the 2097152 bytes taken", "lazarus.service.max-request-bytes");
        }
        clients.shutdown();
        assertThat(service.isAlive()).isTrue();
        HttpResponse<String> created = api.post("", "{\"inventory\":\"web-1\",\"script\":\"true\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(api.get("").statusCode()).isEqualTo(200);
        cancel(created);
    }

    @Test
    void aBodyJustUnderTheCapIsRead() throws Exception {
        String inventory = "web-1\\n" + "# padding\\n".repeat(180_000);
        HttpResponse<String> created = api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");

        assertThat(inventory.length()).isGreaterThan(1_900_000);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        cancel(created);
    }

    @Test
    void aRunOverTheNodeCapIsA400NamingTheCountAndTheCap() throws Exception {
        String inventory = String.join(
                "\\n",
                IntStream.rangeClosed(1, 10_001).mapToObj(i -> "web-" + i).toList());

        HttpResponse<String> refused = api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");
        HttpResponse<String> limited =
                api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"," + "\"limit\":\"web-1*\"}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode problem = Contracts.mapper().readTree(refused.body());
        assertThat(problem.get("field").asString()).isEqualTo("inventory");
        assertThat(problem.get("detail").asString()).contains("10,001 nodes", "10,000", "lazarus.run.max-nodes");
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(201);
        cancel(limited);
    }

    @Test
    void aHundredThousandBadLinesListTheFirstHundredAndTheTotal() throws Exception {
        String inventory = String.join(
                "\\n", IntStream.range(0, 100_000).mapToObj(i -> "w" + i + ":x").toList());

        HttpResponse<String> refused = api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body().length()).isLessThan(20_000);
        HttpResponse<String> longLine =
                api.post("", "{\"inventory\":\"web-1 " + "x".repeat(1_000_000) + "\",\"script\":\"true\"}");
        assertThat(longLine.statusCode()).isEqualTo(400);
        assertThat(longLine.body().length()).isLessThan(1000);
        JsonNode problem = Contracts.mapper().readTree(refused.body());
        assertThat(problem.get("field").asString()).isEqualTo("inventory");
        assertThat(problem.get("problemCount").asInt()).isEqualTo(100_000);
        assertThat(problem.get("detail").asString())
                .startsWith("inventory:1: port 'x' is not a number")
                .contains("inventory:100: ")
                .doesNotContain("inventory:101: ")
                .endsWith("; ... and 99,900 more");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            user too long           | "user":"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu" | user
            user not a user name    | "user":"root;reboot"                                                                 | user
            script name too long    | "scriptName":"SCRIPT_NAME_300"                                                       | scriptName
            limit too long          | "limit":"LIMIT_5000"                                                                 | limit
            regex too long          | "limit":"~REGEX_300"                                                                 | limit
            backreference           | "limit":"~(w)\\\\1"                                                                  | limit
            lookahead               | "limit":"~(?=w)w"                                                                    | limit
            deadline past any date  | "deadline":"999999999999d"                                                           | deadline
            ghost grace overflowing | "ghostGrace":"99999999999999999d"                                                    | ghostGrace
            max failures quoted     | "maxFailures":"LONG_VALUE"                                                           | maxFailures
            """)
    void overLongFieldsAreA400NamingTheField(String what, String field, String named) throws Exception {
        String json = field.replace("SCRIPT_NAME_300", "s".repeat(300))
                .replace("LIMIT_5000", "web-1,".repeat(834))
                .replace("REGEX_300", "w".repeat(300))
                .replace("LONG_VALUE", "9".repeat(1_000_000));

        HttpResponse<String> refused = api.post("", "{\"inventory\":\"web-1\",\"script\":\"true\"," + json + "}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body().length()).isLessThan(3000);
        assertThat(Contracts.mapper().readTree(refused.body()).get("field").asString())
                .isEqualTo(named);
    }

    @Test
    void nodesThatWouldNotFitTheRegistryAreA400() throws Exception {
        String host = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60));

        HttpResponse<String> refused = api.post("", "{\"inventory\":\"" + host + ":2222\",\"script\":\"true\"}");
        HttpResponse<String> longRunId = api.get("/" + "2".repeat(65));
        HttpResponse<String> longRunIdReport = api.get("/" + "2".repeat(65) + "/report");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"inventory\"", "at most 128");
        assertThat(longRunId.statusCode()).as(longRunId.body()).isEqualTo(400);
        assertThat(longRunId.body()).contains("\"field\":\"runId\"");
        assertThat(longRunIdReport.statusCode()).isEqualTo(400);
    }

    @Test
    void eventStreamsOverTheCapAre429UntilOneCloses() throws Exception {
        HttpResponse<String> created = api.post("", "{\"inventory\":\"web-1\",\"script\":\"true\"}");
        String events = "/" + runId(created) + "/events";
        HttpResponse<InputStream> first = stream(events);
        HttpResponse<InputStream> second = stream(events);
        try {
            HttpResponse<String> third = api.get(events);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(firstEvent(first)).startsWith("event:progress").contains("\"states\":{\"PENDING\":1}");
            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(third.body()).contains("lazarus.service.max-event-streams");
        } finally {
            first.body().close();
        }
        try {
            await("a place freed by a closed stream")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        HttpResponse<InputStream> again = stream(events);
                        again.body().close();
                        return again.statusCode() == 200;
                    });
        } finally {
            second.body().close();
        }
        cancel(created);
    }

    @Test
    void requestsWaitingForARunsEndShareTheCapOfStreamsAndOverItAnswerAtOnce() throws Exception {
        HttpResponse<String> created = api.post("", "{\"inventory\":\"web-1\",\"script\":\"true\"}");
        String run = "/" + runId(created); // no worker listens here: the run goes on while the test lasts
        ExecutorService waiting = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> holding = List.of(
                    waiting.submit(() -> api.get(run + "?wait=8s")), waiting.submit(() -> api.get(run + "?wait=8s")));
            // a probe that finds a place waits its 300 ms out; one that finds none answers at once
            await("both waits hold a place")
                    .pollDelay(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(7))
                    .until(() -> {
                        long probed = System.nanoTime();
                        api.get(run + "?wait=300ms");
                        return System.nanoTime() - probed
                                < Duration.ofMillis(250).toNanos();
                    });

            long asked = System.nanoTime();
            HttpResponse<String> overTheCap = api.get(run + "?wait=8s");
            Duration answeredAfter = Duration.ofNanos(System.nanoTime() - asked);

            assertThat(overTheCap.statusCode()).as(overTheCap.body()).isEqualTo(200);
            assertThat(Contracts.mapper()
                            .readTree(overTheCap.body())
                            .get("finishedAt")
                            .isNull())
                    .isTrue();
            assertThat(answeredAfter).as("answered at once, not after its wait").isLessThan(Duration.ofSeconds(4));
            for (Future<HttpResponse<String>> wait : holding) {
                HttpResponse<String> ranOut = wait.get(20, TimeUnit.SECONDS);
                assertThat(ranOut.statusCode()).isEqualTo(200);
                assertThat(Contracts.mapper()
                                .readTree(ranOut.body())
                                .get("finishedAt")
                                .isNull())
                        .as("the run goes on: the wait ran out")
                        .isTrue();
            }
        } finally {
            waiting.shutdownNow();
            cancel(created);
        }
    }

    @Test
    void theCommandLineRefusesARunOverItsNodeCapAndAnInvalidUserWithExit2() throws Exception {
        LazarusCli lazarus = system.cli().withEnvironment(Map.of("LAZARUS_RUN_MAX_NODES", "3"));
        String inventory = system.write("four.inventory", "web-1\nweb-2\nweb-3\nweb-4\n");
        String bad = system.write(
                "bad.inventory",
                IntStream.range(0, 250).mapToObj(i -> "w" + i + ":x\n").collect(Collectors.joining()));
        String script = system.write("install.sh", "true\n");

        LazarusCli.Result tooMany = lazarus.run("run", "--inventory", inventory, "--script", script);
        LazarusCli.Result badUser =
                lazarus.run("run", "--inventory", inventory, "--script", script, "--user", "root;reboot");
        LazarusCli.Result badLines = lazarus.run("run", "--inventory", bad, "--script", script);

        assertThat(tooMany.exitCode()).as(tooMany.toString()).isEqualTo(2);
        assertThat(tooMany.stderr()).contains("the run has 4 nodes, more than the 3 one run may have");
        assertThat(badUser.exitCode()).as(badUser.toString()).isEqualTo(2);
        assertThat(badUser.stderr()).contains("--user 'root;reboot' is not a user name");
        assertThat(badLines.exitCode()).as(badLines.toString()).isEqualTo(2);
        assertThat(badLines.stderr())
                .contains(bad + ":100: ")
                .doesNotContain(bad + ":101: ")
                .contains("... and 150 more");
    }

    private record Raw(int status, String headers, String body) {}

    /**
     * A {@code POST /api/runs} of {@code size} bytes, chunked or with its length declared, written on a thread of its
     * own while the answer is read: the service answers before it has read the body, and may close the connection.
     */
    private static Raw rawPost(int size, boolean chunked) throws Exception {
        int port = service.port();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/json\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n")
                            + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = Thread.ofVirtual().start(() -> {
                // one JSON string, an inventory of 10 MB: the service would parse all of it without the cap
                byte[] start = "{\"inventory\":\"".getBytes(StandardCharsets.US_ASCII);
                byte[] piece = "web-1\\n".repeat(9_362).getBytes(StandardCharsets.US_ASCII);
                byte[] end = "\",\"script\":\"true\"}".getBytes(StandardCharsets.US_ASCII);
                try {
                    int inside = size - start.length - end.length;
                    List<byte[]> parts = new ArrayList<>();
                    parts.add(start);
                    for (int i = 0; i < inside / piece.length; i++) {
                        parts.add(piece);
                    }
                    if (inside % piece.length > 0) {
                        parts.add("a".repeat(inside % piece.length).getBytes(StandardCharsets.US_ASCII));
                    }
                    parts.add(end);
                    for (byte[] part : parts) {
                        if (chunked) {
                            out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(part);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheService) {
                    // expected: the service answered and closed the connection
                }
            });
            Raw raw = readResponse(socket.getInputStream());
            writer.interrupt();
            return raw;
        }
    }

    private static Raw readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before an answer: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        String lower = headers.toLowerCase();
        String body;
        int length = lower.indexOf("content-length: ");
        if (length >= 0) {
            int n = Integer.parseInt(
                    lower.substring(length + 16, lower.indexOf("\r\n", length)).strip());
            body = new String(in.readNBytes(n), StandardCharsets.UTF_8);
        } else if (lower.contains("transfer-encoding: chunked")) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(in);
                int n = Integer.parseInt(sizeLine.strip(), 16);
                if (n == 0) {
                    break;
                }
                content.write(in.readNBytes(n));
                line(in);
            }
            body = content.toString(StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Raw(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private static String firstEvent(HttpResponse<InputStream> response) throws IOException {
        StringBuilder event = new StringBuilder();
        InputStream in = response.body();
        while (!event.toString().contains("\n\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            event.append((char) b);
        }
        return event.toString();
    }

    private static HttpResponse<InputStream> stream(String path) throws Exception {
        return api.http().send(api.request(path).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String runId(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Contracts.mapper().readTree(created.body()).get("runId").asString();
    }

    private static void cancel(HttpResponse<String> created) throws Exception {
        api.post("/" + runId(created) + "/cancel", "");
    }
}
