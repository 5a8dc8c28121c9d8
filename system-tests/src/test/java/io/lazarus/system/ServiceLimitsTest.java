package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's limits, on {@code serve} as a process with a small heap: bodies over the cap, runs over the node cap,
 * errors over a hundred problems, over-long fields, streams over the cap; and the command line's node cap.
 */
class ServiceLimitsTest {

    private static final String TOKEN = "limits-token-0123456789";
    private static final int TEN_MB = 10 * 1024 * 1024;

    @TempDir
    static Path dir;
    static Process service;
    static int port;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        port = Processes.freePort();
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-Xmx160m", "-jar",
                Processes.jar("coordinator", "lazarus-coordinator.jar").toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(Processes.logs("system-tests").resolve("limits-service-" + port + ".log").toFile());
        builder.environment().put("SPRING_RABBITMQ_ADDRESSES", broker.uri().toString());
        builder.environment().put("LAZARUS_REGISTRY_DIRECTORY", Files.createTempDirectory(dir, "registry").toString());
        builder.environment().put("LAZARUS_TRUST_WORKER_USERS", broker.uri().getUserInfo().split(":")[0]);
        builder.environment().put("LAZARUS_BROKER_CREDENTIALS_DIRECTORY", Processes.noCredentials().toString());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("LAZARUS_SERVICE_API_TOKEN", TOKEN);
        builder.environment().put("LAZARUS_SERVICE_MAX_EVENT_STREAMS", "2");
        service = builder.start();
        base = "http://127.0.0.1:" + port + "/api/runs";
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.exitValue());
            }
            try {
                if (get(base + "/none").statusCode() == 404) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the service did not answer within 60s");
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
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
            assertThat(problem.get("detail").asString()).contains("larger than the 2097152 bytes taken",
                    "lazarus.service.max-request-bytes");
        }
        clients.shutdown();
        assertThat(service.isAlive()).isTrue();
        HttpResponse<String> created = post(base, "{\"inventory\":\"web-1\",\"script\":\"true\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(get(base).statusCode()).isEqualTo(200);
        cancel(created);
    }

    @Test
    void aBodyJustUnderTheCapIsRead() throws Exception {
        String inventory = "web-1\\n" + "# padding\\n".repeat(180_000);
        HttpResponse<String> created = post(base, "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");

        assertThat(inventory.length()).isGreaterThan(1_900_000);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        cancel(created);
    }

    @Test
    void aRunOverTheNodeCapIsA400NamingTheCountAndTheCap() throws Exception {
        String inventory = String.join("\\n", IntStream.rangeClosed(1, 10_001).mapToObj(i -> "web-" + i).toList());

        HttpResponse<String> refused = post(base, "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");
        HttpResponse<String> limited = post(base, "{\"inventory\":\"" + inventory + "\",\"script\":\"true\","
                + "\"limit\":\"web-1*\"}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode problem = Contracts.mapper().readTree(refused.body());
        assertThat(problem.get("field").asString()).isEqualTo("inventory");
        assertThat(problem.get("detail").asString()).contains("10,001 nodes", "10,000", "lazarus.run.max-nodes");
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(201);
        cancel(limited);
    }

    @Test
    void aHundredThousandBadLinesListTheFirstHundredAndTheTotal() throws Exception {
        String inventory = String.join("\\n", IntStream.range(0, 100_000).mapToObj(i -> "w" + i + ":x").toList());

        HttpResponse<String> refused = post(base, "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body().length()).isLessThan(20_000);
        HttpResponse<String> longLine = post(base, "{\"inventory\":\"web-1 " + "x".repeat(1_000_000)
                + "\",\"script\":\"true\"}");
        assertThat(longLine.statusCode()).isEqualTo(400);
        assertThat(longLine.body().length()).isLessThan(1000);
        JsonNode problem = Contracts.mapper().readTree(refused.body());
        assertThat(problem.get("field").asString()).isEqualTo("inventory");
        assertThat(problem.get("problemCount").asInt()).isEqualTo(100_000);
        assertThat(problem.get("detail").asString()).startsWith("inventory:1: port 'x' is not a number")
                .contains("inventory:100: ").doesNotContain("inventory:101: ").endsWith("; ... and 99,900 more");
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
        String json = field.replace("SCRIPT_NAME_300", "s".repeat(300)).replace("LIMIT_5000", "web-1,".repeat(834))
                .replace("REGEX_300", "w".repeat(300)).replace("LONG_VALUE", "9".repeat(1_000_000));

        HttpResponse<String> refused = post(base, "{\"inventory\":\"web-1\",\"script\":\"true\"," + json + "}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body().length()).isLessThan(3000);
        assertThat(Contracts.mapper().readTree(refused.body()).get("field").asString()).isEqualTo(named);
    }

    @Test
    void nodesThatWouldNotFitTheRegistryAreA400() throws Exception {
        String host = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60));

        HttpResponse<String> refused = post(base, "{\"inventory\":\"" + host + ":2222\",\"script\":\"true\"}");
        HttpResponse<String> longRunId = get(base + "/" + "2".repeat(65));
        HttpResponse<String> longRunIdReport = get(base + "/" + "2".repeat(65) + "/report");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"inventory\"", "longer than 128");
        assertThat(longRunId.statusCode()).as(longRunId.body()).isEqualTo(400);
        assertThat(longRunId.body()).contains("\"field\":\"runId\"");
        assertThat(longRunIdReport.statusCode()).isEqualTo(400);
    }

    @Test
    void eventStreamsOverTheCapAre429UntilOneCloses() throws Exception {
        HttpResponse<String> created = post(base, "{\"inventory\":\"web-1\",\"script\":\"true\"}");
        String events = base + "/" + runId(created) + "/events";
        HttpResponse<InputStream> first = stream(events);
        HttpResponse<InputStream> second = stream(events);
        try {
            HttpResponse<String> third = http.send(request(events).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(firstEvent(first)).startsWith("event:progress").contains("\"states\":{\"PENDING\":1}");
            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(third.body()).contains("lazarus.service.max-event-streams");
        } finally {
            first.body().close();
        }
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status = 0;
        while (System.nanoTime() < until && status != 200) {
            HttpResponse<InputStream> again = stream(events);
            status = again.statusCode();
            again.body().close();
            Thread.sleep(200);
        }
        second.body().close();
        assertThat(status).as("a place freed by a closed stream").isEqualTo(200);
        cancel(created);
    }

    @Test
    void theCommandLineRefusesARunOverItsNodeCapAndAnInvalidUserWithExit2() throws Exception {
        LazarusCli lazarus = new LazarusCli(RabbitBroker.shared()).withEnvironment(Map.of("LAZARUS_RUN_MAX_NODES", "3"));
        Path inventory = Files.write(dir.resolve("four.inventory"), List.of("web-1", "web-2", "web-3", "web-4"));
        Path bad = Files.write(dir.resolve("bad.inventory"),
                IntStream.range(0, 250).mapToObj(i -> "w" + i + ":x").toList());
        Path script = Files.writeString(dir.resolve("install.sh"), "true\n");

        LazarusCli.Result tooMany = lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString());
        LazarusCli.Result badUser = lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--user", "root;reboot");
        LazarusCli.Result badLines = lazarus.run("run", "--inventory", bad.toString(), "--script", script.toString());

        assertThat(tooMany.exitCode()).as(tooMany.toString()).isEqualTo(2);
        assertThat(tooMany.stderr()).contains("the run has 4 nodes, more than the 3 one run may have");
        assertThat(badUser.exitCode()).as(badUser.toString()).isEqualTo(2);
        assertThat(badUser.stderr()).contains("--user 'root;reboot' is not a user name");
        assertThat(badLines.exitCode()).as(badLines.toString()).isEqualTo(2);
        assertThat(badLines.stderr()).contains(bad + ":100: ").doesNotContain(bad + ":101: ")
                .contains("... and 150 more");
    }

    private record Raw(int status, String headers, String body) {
    }

    /**
     * A {@code POST /api/runs} of {@code size} bytes, chunked or with its length declared, written on a thread of its
     * own while the answer is read: the service answers before it has read the body, and may close the connection.
     */
    private static Raw rawPost(int size, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n") + "\r\n")
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
            int n = Integer.parseInt(lower.substring(length + 16, lower.indexOf("\r\n", length)).strip());
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

    private static HttpResponse<InputStream> stream(String url) throws Exception {
        return http.send(request(url).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30));
    }

    private static String runId(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Contracts.mapper().readTree(created.body()).get("runId").asString();
    }

    private static void cancel(HttpResponse<String> created) throws Exception {
        post(base + "/" + runId(created) + "/cancel", "");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(request(url).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
