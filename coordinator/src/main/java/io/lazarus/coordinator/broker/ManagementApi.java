package io.lazarus.coordinator.broker;

import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/** The users through RabbitMQ's management HTTP API ({@code PUT /api/users}, {@code /api/permissions}, ...). */
final class ManagementApi implements UserApplier {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ManagementApi(URI base, String user, String password) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The API at {@code base}, if it answers; one that answers and refuses the login is an error, not an absence. */
    static Optional<ManagementApi> answering(URI base, String user, String password) {
        ManagementApi api = new ManagementApi(base, user, password);
        try {
            HttpResponse<String> response = api.send(
                    HttpRequest.newBuilder(api.base.resolve("api/overview")).GET());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new BrokerUnavailableException(
                        "the management API at " + base + " refused the administrator " + user + " (HTTP "
                                + response.statusCode() + ")",
                        null);
            }
            return response.statusCode() == 200 ? Optional.of(api) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "the management API at " + base;
    }

    @Override
    public void apply(BrokerUsers users) {
        String vhost = encode(users.vhost());
        for (BrokerUser user : users.users()) {
            String name = encode(user.name());
            put(
                    "api/users/" + name,
                    Map.of(
                            "password",
                            user.password(),
                            "tags",
                            String.join(",", user.grant().tags())));
            Permissions p = user.grant().permissions();
            put(
                    "api/permissions/" + vhost + "/" + name,
                    Map.of("configure", p.configure(), "write", p.write(), "read", p.read()));
            delete("api/topic-permissions/" + vhost + "/" + name);
            user.grant().topic().ifPresent(t -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("exchange", t.exchange());
                body.put("write", t.write());
                body.put("read", t.read());
                put("api/topic-permissions/" + vhost + "/" + name, body);
            });
        }
    }

    private void put(String path, Map<String, Object> body) {
        call(
                "PUT " + path,
                HttpRequest.newBuilder(base.resolve(path))
                        .header("content-type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                false);
    }

    private void delete(String path) {
        call("DELETE " + path, HttpRequest.newBuilder(base.resolve(path)).DELETE(), true);
    }

    private void call(String what, HttpRequest.Builder request, boolean absentIsFine) {
        try {
            HttpResponse<String> response = send(request);
            int status = response.statusCode();
            if (status / 100 != 2 && !(absentIsFine && status == 404)) {
                throw new BrokerUnavailableException(
                        "the management API refused " + what.replaceAll("/[^/]*$", "/...") + ": HTTP " + status + " "
                                + response.body(),
                        null);
            }
        } catch (IOException e) {
            throw new BrokerUnavailableException("the management API at " + base + " failed: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(
                    request.header("authorization", authorization)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
