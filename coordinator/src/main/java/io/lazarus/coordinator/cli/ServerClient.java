package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.report.RunReport;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** {@code run --server URL}: the run is handed to a running service; the token comes from {@code LAZARUS_SERVICE_API_TOKEN}. */
final class ServerClient {

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServerClient(String server, String token) {
        this.base = URI.create(server.endsWith("/") ? server : server + "/");
        this.token = token;
    }

    /** Creates the run; returns its id. */
    String create(Map<String, Object> request) throws InputException {
        JsonNode created = send(HttpRequest.newBuilder(base.resolve("api/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Contracts.mapper().writeValueAsString(request))), 201);
        return created.get("runId").asString();
    }

    JsonNode run(String runId) throws InputException {
        return send(HttpRequest.newBuilder(base.resolve("api/runs/" + runId)).GET(), 200);
    }

    RunReport report(String runId) throws InputException {
        JsonNode report = send(HttpRequest.newBuilder(base.resolve("api/runs/" + runId + "/report")).GET(), 200);
        return Contracts.mapper().treeToValue(report, RunReport.class);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) throws InputException {
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
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
            return Contracts.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new InputException("cannot reach the service at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("interrupted while talking to the service");
        }
    }
}
