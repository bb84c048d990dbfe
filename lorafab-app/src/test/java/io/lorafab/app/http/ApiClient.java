package io.lorafab.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A small HTTP client for API tests: real sockets, JSON in and out. */
final class ApiClient {
    record Reply(int status, JsonNode json, byte[] raw, String contentType) {
        String code() {
            return json.path("error").path("code").asText();
        }
    }

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this(base, token, HttpClient.newHttpClient());
    }

    /** Over https with {@code tls}'s trust (and client certificate, if it has one). */
    ApiClient(String base, String token, javax.net.ssl.SSLContext tls) {
        this(base, token, HttpClient.newBuilder().sslContext(tls).build());
    }

    private ApiClient(String base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    ApiClient as(String otherToken) {
        return new ApiClient(base, otherToken, http);
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, String body) {
        return send("POST", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode n = null;
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (ct.startsWith("application/json") && r.body().length > 0) {
                n = json.readTree(r.body());
            }
            return new Reply(r.statusCode(), n == null ? json.createObjectNode() : n, r.body(), ct);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
