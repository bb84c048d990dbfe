package io.lorafab.app.http;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.model.ApiToken;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One API request: path parameters, query, body, and the token that authenticated it. */
public final class HttpRequest {
    private final String method;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final byte[] body;
    private final ApiToken token;

    HttpRequest(String method, Map<String, String> pathParams, String rawQuery, byte[] body, ApiToken token) {
        this.method = method;
        this.pathParams = pathParams;
        this.query = parseQuery(rawQuery);
        this.body = body;
        this.token = token;
    }

    public String method() {
        return method;
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    public String query(String name) {
        return query.get(name);
    }

    public byte[] body() {
        return body;
    }

    public ApiToken token() {
        return token;
    }

    /** "token:<id>:<name>", the actor recorded in the audit log. */
    public String actor() {
        return token == null ? "anonymous" : "token:" + token.id() + ":" + token.name();
    }

    /**
     * The body as the request record {@code type} (see {@link RequestBodies}): malformed JSON is a 400 {@code bad_json},
     * a missing or mistyped field a 400 {@code invalid_input} naming it.
     */
    public <Q> Q body(Class<Q> type) {
        return RequestBodies.read(body, type, false);
    }

    /** The same, an empty body read as {@code {}}. */
    public <Q> Q body(Class<Q> type, boolean optional) {
        return RequestBodies.read(body, type, optional);
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            try {
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCode.BAD_QUERY, "malformed query string");
            }
        }
        return out;
    }
}
