package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.request.RunRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * {@code run --server URL}: the run is handed to a running service; the token comes from
 * {@code LAZARUS_SERVICE_API_TOKEN}, or for a service on this machine from the token file it made. Every request that
 * changes something is JSON, as the service demands.
 */
final class ServerClient {

    /** How long the service may take to answer a request (beyond the time a request waits for a run's end). */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerClient(URI base, String token) {
        this.base = base;
        this.token = token;
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

    /** Creates the run; returns its id. */
    String create(RunRequest request) throws InputException {
        JsonNode created = Contracts.mapper()
                .readTree(answer(
                        HttpRequest.newBuilder(base.resolve("api/runs"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        Contracts.mapper().writeValueAsString(request))),
                        201,
                        ANSWER_WITHIN));
        return created.get("runId").asString();
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

    /** The run's report, read straight into its contract (megabytes for a large run). */
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

    /** The body of the answer, if it has the expected status; a request waiting for a run's end gets that much longer. */
    private String answer(HttpRequest.Builder request, int expected, Duration within) throws InputException {
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(within).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                String detail = response.body();
                try {
                    JsonNode problem = Contracts.mapper().readTree(detail);
                    detail = problem.has("detail") ? problem.get("detail").asString() : detail;
                } catch (RuntimeException notJson) {
                    // keep the body as it is
                }
                throw new InputException("the service answered " + response.statusCode() + ": " + detail);
            }
            return response.body();
        } catch (IOException e) {
            throw new InputException("cannot reach the service at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("interrupted while talking to the service");
        }
    }
}
