package io.lorafab.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.lorafab.api.model.ApiError;

/**
 * One route of the HTTP API as both sides must agree on it: method, path template ({@code {name}} segments), the
 * role a token needs (null: no token), the JSON record it takes and the one it answers with. The type parameters
 * carry the records into the client's calls, so that a request built for one route cannot be sent to another and
 * an answer is read as what that route writes.
 *
 * @param <Q> the request body's record; {@link Void} when the route takes none, {@code byte[]} for a file
 * @param <R> the answer's record, or its element's when {@link #responseIsList()}; {@code byte[]} for a file
 * @param role              "operator", "engineer", "admin", "network-server", or null for none
 * @param statuses          the statuses of success, the usual one first (200, or 201 for a route that creates)
 * @param requestMediaType  the body's media type, null when the route reads none
 * @param requestOptional   the body may be left out (an empty body is read as {@code {}})
 * @param responseMediaType what a success answers with
 * @param query             the query parameters the route reads, all optional
 * @param refusal           the record of the route's error bodies
 * @param summary           what the route does, in a line
 */
public record Endpoint<Q, R>(String method, String path, String role, Class<Q> request, Class<R> response, boolean responseIsList,
        List<Integer> statuses, String requestMediaType, boolean requestOptional, String responseMediaType, List<String> query,
        Class<?> refusal, String summary) {

    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");
    static final String JSON = "application/json";

    public Endpoint {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(refusal, "refusal");
        statuses = List.copyOf(statuses);
        query = List.copyOf(query);
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("no status of success");
        }
    }

    static <Q, R> Endpoint<Q, R> of(String method, String path, String role, Class<Q> request, Class<R> response, String summary) {
        return new Endpoint<>(method, path, role, request, response, false, List.of(200), request == Void.class ? null : JSON, false,
                JSON, List.of(), ApiError.class, summary);
    }

    /** The status of success: 200 or 201. */
    public int status() {
        return statuses.get(0);
    }

    /** The same route answering 201 Created. */
    Endpoint<Q, R> created() {
        return statuses(201);
    }

    Endpoint<Q, R> statuses(Integer... codes) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, List.of(codes), requestMediaType, requestOptional,
                responseMediaType, query, refusal, summary);
    }

    /** The same route answering a JSON array of {@code R}. */
    Endpoint<Q, R> list() {
        return new Endpoint<>(method, path, role, request, response, true, statuses, requestMediaType, requestOptional,
                responseMediaType, query, refusal, summary);
    }

    Endpoint<Q, R> query(String... names) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, statuses, requestMediaType, requestOptional,
                responseMediaType, List.of(names), refusal, summary);
    }

    /** The same route answering with a file of {@code mediaType} (the success body is not JSON). */
    Endpoint<Q, R> produces(String mediaType) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, statuses, requestMediaType, requestOptional,
                mediaType, query, refusal, summary);
    }

    /** The same route taking a body of {@code mediaType} that is not a JSON record. */
    Endpoint<Q, R> consumes(String mediaType) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, statuses, mediaType, requestOptional,
                responseMediaType, query, refusal, summary);
    }

    /** The same route, its body optional. */
    Endpoint<Q, R> optionalBody() {
        return new Endpoint<>(method, path, role, request, response, responseIsList, statuses, requestMediaType, true,
                responseMediaType, query, refusal, summary);
    }

    /** The same route refusing with {@code body} (a record richer than {@link ApiError}). */
    Endpoint<Q, R> refusal(Class<?> body) {
        return new Endpoint<>(method, path, role, request, response, responseIsList, statuses, requestMediaType, requestOptional,
                responseMediaType, query, body, summary);
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
     * The path with its segments filled in (a path to send to), in order, each URL-encoded (a reference or name may hold any
     * character); a wrong count is a programming error.
     */
    public String resolve(Object... values) {
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
