package io.lazarus.coordinator.cli;

import io.lazarus.common.Errors;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.trust.Printable;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.report.SummaryPrinter;
import io.lazarus.coordinator.request.RunRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code run --server URL}: the run is handed to a running service; the token comes from
 * {@code LAZARUS_SERVICE_API_TOKEN}, or for a service on this machine from the token file it made. Every request that
 * changes something is JSON, as the service demands.
 */
final class ServerClient implements AutoCloseable {

    /** How long the HTTP client's threads may take to stop as the command ends. */
    private static final Duration STOPS_WITHIN = Duration.ofSeconds(1);

    /** How long the service may take to answer a request (beyond the time a request waits for a run's end). */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    /** Built on a thread of its own (a tenth of a second) while the command reads the inventory and the script. */
    private final CompletableFuture<HttpClient> http;

    private ServerClient(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = CompletableFuture.supplyAsync(
                () -> httpClient(base),
                work -> Thread.ofPlatform().daemon().name("http-client-build").start(work));
    }

    private static HttpClient httpClient(URI base) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (base.getScheme().equalsIgnoreCase("http")) {
            http.sslContext(trustingNobody()); // redirects are never followed: this client speaks no TLS
        }
        return http.build();
    }

    /**
     * A TLS context that trusts no certificate, for a client of a plain-http service: the JDK's default context reads
     * its whole trust store as the HTTP client is built (a tenth of a second), for TLS that never comes.
     */
    private static SSLContext trustingNobody() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A client of the service at {@code server}; plain {@code http://} only to this machine unless {@code insecure}.
     * Nothing is sent yet: the refusal comes before any connection.
     */
    static ServerClient of(String server, boolean insecure, String token, Path localTokenFile) throws InputException {
        URI base;
        try {
            base = new URI(server.endsWith("/") ? server : server + "/");
        } catch (URISyntaxException e) {
            throw new InputException("--server '" + server + "' is not a URL: " + e.getMessage());
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new InputException("--server '" + server + "' is not an http:// or https:// URL with a host");
        }
        boolean local = isLoopback(base.getHost());
        if (scheme.equals("http") && !local && !insecure) {
            throw new InputException("--server " + server + " is plain http:// to another machine: the API token and"
                    + " the run would cross the network unencrypted. Use https:// (README \"Service mode\"), or add"
                    + " --insecure on a network you trust");
        }
        if ((token == null || token.isBlank()) && local && Files.isReadable(localTokenFile)) {
            try {
                token = Files.readString(localTokenFile).strip();
            } catch (IOException e) {
                throw new InputException(
                        "cannot read the service token file " + localTokenFile + ": " + e.getMessage());
            }
        }
        return new ServerClient(base, token);
    }

    /** {@code localhost} or a loopback address literal; any other name is another machine (no DNS is asked). */
    static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(bare).isLoopbackAddress();
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }

    /**
     * Creates the run; returns its id, which is printed and goes into the next requests' paths: an answer without a
     * run id's shape (a path, escape sequences) is refused.
     */
    String create(RunRequest request) throws InputException {
        String answer = answer(
                HttpRequest.newBuilder(base.resolve("api/runs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                Contracts.mapper().writeValueAsString(request))),
                201,
                ANSWER_WITHIN);
        String runId = runIdIn(answer);
        if (runId == null) {
            throw new InputException("the service answered no run id: " + Printable.of(answer, 200));
        }
        return runId;
    }

    /** The run id in a service's answer to a new run; null when there is none of a run id's shape. */
    private static String runIdIn(String answer) {
        try {
            JsonNode runId = Contracts.mapper().readTree(answer).path("runId");
            return runId.isString() && Contracts.isValidRunId(runId.asString()) ? runId.asString() : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** The run, once it has finished or after {@code wait}, whichever comes first. */
    JsonNode run(String runId, Duration wait) throws InputException {
        return Contracts.mapper()
                .readTree(answer(
                        HttpRequest.newBuilder(base.resolve("api/runs/" + runId + "?wait=" + wait.toMillis() + "ms"))
                                .GET(),
                        200,
                        ANSWER_WITHIN.plus(wait)));
    }

    /**
     * The finished run's reports as the service renders them (the summary always, the JSON and JUnit reports if
     * asked), fetched side by side: the service writes them with the same writers as a local run, so nothing here
     * parses or writes again the megabytes of a large run's report; the service that followed the run to its end
     * answers with the report its follower made, as {@code run --wait} prints it, without reading the registry
     * again. {@code null} from a service older than rendering them, which has only the JSON report.
     */
    ServedReport served(String runId, boolean json, boolean junit) throws InputException {
        String report = "api/runs/" + runId + "/report";
        CompletableFuture<HttpResponse<byte[]>> summary = ask(report + "/summary?finished=true");
        CompletableFuture<HttpResponse<byte[]>> jsonBytes = json ? ask(report + "?finished=true") : null;
        CompletableFuture<HttpResponse<byte[]>> junitBytes = junit ? ask(report + "/junit?finished=true") : null;
        HttpResponse<byte[]> summaryAnswer = arrived(summary);
        if (summaryAnswer.statusCode() == 404) {
            return null;
        }
        return new ServedReport(
                printable(new String(body(summaryAnswer, 200), StandardCharsets.UTF_8)),
                summaryAnswer
                        .headers()
                        .firstValue(SummaryPrinter.ALL_SUCCEEDED_HEADER)
                        .map(Boolean::parseBoolean)
                        .orElse(false),
                jsonBytes == null ? null : body(arrived(jsonBytes), 200),
                junitBytes == null ? null : body(arrived(junitBytes), 200));
    }

    /**
     * The service's summary as lines a terminal shows as they are: a control character in it (an escape sequence from
     * a service that is not what it should be) is printed escaped, as the summary printed here would have it.
     */
    static String printable(String text) {
        return text.lines()
                .map(line -> Printable.of(line, Integer.MAX_VALUE))
                .collect(Collectors.joining("\n", "", text.endsWith("\n") ? "\n" : ""));
    }

    /** The run's report, read into its contract: what a service older than rendering its reports answers. */
    RunReport report(String runId) throws InputException {
        return Contracts.mapper()
                .readValue(
                        answer(
                                HttpRequest.newBuilder(base.resolve("api/runs/" + runId + "/report"))
                                        .GET(),
                                200,
                                ANSWER_WITHIN),
                        RunReport.class);
    }

    private CompletableFuture<HttpResponse<byte[]>> ask(String path) {
        return http.join()
                .sendAsync(
                        authorized(HttpRequest.newBuilder(base.resolve(path)).GET())
                                .timeout(ANSWER_WITHIN)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> arrived(CompletableFuture<HttpResponse<byte[]>> answer) throws InputException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw new InputException("cannot reach the service at " + base + ": " + why(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("interrupted while talking to the service");
        }
    }

    /** What went wrong, as a person reads it: a refused connection carries no message of its own. */
    private static String why(Throwable e) {
        return Errors.causeOf(e, ConnectException.class)
                .map(refused -> refused.getMessage() != null ? refused.getMessage() : "connection refused")
                .orElseGet(() -> Errors.rootMessage(e));
    }

    /** The body of the answer, if it has the expected status. */
    private static byte[] body(HttpResponse<byte[]> response, int expected) throws InputException {
        if (response.statusCode() != expected) {
            String detail = new String(response.body(), StandardCharsets.UTF_8);
            try {
                JsonNode problem = Contracts.mapper().readTree(detail);
                detail = problem.has("detail") ? problem.get("detail").asString() : detail;
            } catch (RuntimeException notJson) {
                // keep the body as it is
            }
            throw new InputException("the service answered " + response.statusCode() + ": " + detail);
        }
        return response.body();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** The body of the answer, if it has the expected status; a request waiting for a run's end gets that much longer. */
    private String answer(HttpRequest.Builder request, int expected, Duration within) throws InputException {
        try {
            HttpResponse<byte[]> response = http.join()
                    .send(authorized(request).timeout(within).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new String(body(response, expected), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot reach the service at " + base + ": " + why(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("interrupted while talking to the service");
        }
    }

    /**
     * Stops the HTTP client's selector thread: a thread waiting in the kernel when the process exits holds the JVM's
     * exit up to 300 ms (it waits for threads in native code to settle), which was half of a followed run's exit.
     */
    @Override
    public void close() throws InterruptedException {
        HttpClient client = http.join();
        client.shutdownNow();
        client.awaitTermination(STOPS_WITHIN);
    }
}
