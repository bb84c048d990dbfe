package io.lorafab.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the HTTP API as both sides must agree on it: method, path template ({@code {name}} segments), the
 * role a token needs (null: no token), the JSON record it takes and the one it answers with. The type parameters
 * carry the records into the client's calls, so that a request built for one route cannot be sent to another and
 * an answer is read as what that route writes.
 *
 * @param <Q> the request body's record; {@link Void} when the route takes none (or not JSON, see {@link #requestMediaType()})
 * @param <R> the answer's record, or its element's when {@link #responseIsList()}; {@code byte[]} for a file
 * @param role              "operator", "engineer", "admin", "network-server", or null for none
 * @param status            the status of success (200, or 201 for a route that creates)
 * @param requestMediaType  the body's media type, null when the route takes none
 * @param responseMediaType what a success answers with
 * @param query             the query parameters the route reads, all optional
 */
public record Endpoint<Q, R>(String method, String path, String role, Class<Q> request, Class<R> response, boolean responseIsList,
        int status, String requestMediaType, String responseMediaType, List<String> query, String summary) {

    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");
    static final String JSON = "application/json";

    public Endpoint {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(response, "response");
        query = List.copyOf(query);
    }

    static <Q, R> Endpoint<Q, R> of(String method, String path, String role, Class<Q> request, Class<R> response, String summary) {
        return new Endpoint<>(method, path, role, request, response, false, 200, request == Void.class ? null : JSON, JSON, List.of(),
                summary);
    }

    /** The same route answering 201 Created. */
    Endpoint<Q, R> created() {
        return new Endpoint<>(method, path, role, request, response, responseIsList, 201, requestMediaType, responseMediaType, query, summary);
    }

    /** The same route answering a JSON array of {@code R}. */
    Endpoint<Q, R> list() {
        return new Endpoint<>(method, path, role, request, response, true, status, requestMediaType, responseMediaType, query, summary);
    }

    Endpoint<Q, R> query(String... names) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, status, requestMediaType, responseMediaType,
                List.of(names), summary);
    }

    /** The same route answering with a file of {@code mediaType} (the success body is not JSON). */
    Endpoint<Q, R> produces(String mediaType) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, status, requestMediaType, mediaType, query, summary);
    }

    /** The same route taking a body of {@code mediaType} that is not a JSON record. */
    Endpoint<Q, R> consumes(String mediaType) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, status, mediaType, responseMediaType, query, summary);
    }

    /** The names of the path's {@code {name}} segments, in order. */
    public List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The path with its segments filled in, in order, each URL-encoded (a reference or name may hold any
     * character); a wrong count is a programming error.
     */
    public String path(Object... values) {
        List<String> names = pathParameters();
        if (values.length != names.size()) {
            throw new IllegalArgumentException(method + " " + path + " takes " + names.size() + " path values, got " + values.length);
        }
        StringBuilder b = new StringBuilder();
        Matcher m = PARAM.matcher(path);
        int last = 0;
        int i = 0;
        while (m.find()) {
            b.append(path, last, m.start()).append(encode(String.valueOf(values[i++])));
            last = m.end();
        }
        return b.append(path.substring(last)).toString();
    }

    /** {@code "GET /api/units/{devEui}"}. */
    public String key() {
        return method + " " + path;
    }

    /** A URL query value, with space as %20 (not '+', which some servers read literally). */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
