package io.lorafab.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lorafab.api.ErrorCode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON HTTP API on the JDK's HTTP server. Requests carry {@code Authorization: Bearer <token>}; each
 * route names the role it needs. Errors are {@code {"error":{"code","message"}}} with a stable code;
 * refused authentication (401) and authorisation (403) are audited, at most ten a minute per address.
 *
 * <p>Every request goes through one pipeline: header limits (414, 431) → route (404, 405) → token and role
 * (401, 403) → the route's body limit, from {@code Content-Length} before a byte is read (413) → the body, read
 * under a deadline and a memory budget shared by all requests → the handler. Nothing is read from a client
 * that has not shown a token the route accepts, and no body is read on a route that takes none.
 *
 * <p>Two thread pools, because the JDK server reads request headers on the thread its executor gives it: a
 * large pool of connection threads reads headers and bodies and writes answers, so that slow clients hold only
 * those (for at most {@link #REQUEST_READ_TIME} each); the {@code threads} workers run handlers only, so a
 * slow client never holds one.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Time for a client to send its request line and headers, and a JSON body. */
    static final Duration REQUEST_READ_TIME = Duration.ofSeconds(10);
    /** Request line and headers together; over it 431 (or 414 for the request line alone), as Jetty's default. */
    static final int MAX_HEADER_BYTES = 8 << 10;
    static final int MAX_HEADER_FIELDS = 100;
    /**
     * What the JDK server itself reads of a request's headers before it gives up and drops the connection
     * unanswered: above {@link #MAX_HEADER_BYTES}, so that headers up to here get their 431, and small, because
     * every connection thread may hold this much.
     */
    private static final int JDK_MAX_HEADER_BYTES = 64 << 10;
    /** Connection threads: enough that slow or idle clients cannot take them all within {@link #REQUEST_READ_TIME}. */
    private static final int CONNECTION_THREADS = 256;

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add ~40 ms to every response. Read once, when the server classes load.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        // From accept (or from an idle keep-alive connection becoming readable) to the end of the headers; the
        // JDK closes a connection that takes longer, which frees the thread blocked reading it.
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_READ_TIME.toSeconds()));
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(JDK_MAX_HEADER_BYTES));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** A route handler. */
    @FunctionalInterface
    public interface Handler {
        HttpResponse handle(HttpRequest req) throws Exception;
    }

    /** What a route takes as request body, and how much of it may be read into memory. */
    public enum Body {
        /** No body: any is refused with 413. The default for GET and DELETE. */
        NONE(0),
        /** A JSON document: 64 KiB. The default for POST. */
        JSON(64 << 10),
        /** A file upload (device import): 16 MiB, read only for an authorised token, within the memory budget. */
        UPLOAD(16 << 20);

        final int limit;

        Body(int limit) {
            this.limit = limit;
        }

        static Body defaultFor(String method) {
            return method.equals("GET") || method.equals("DELETE") || method.equals("HEAD") ? NONE : JSON;
        }
    }

    private record Route(String method, String path, Pattern pattern, List<String> names, Role role, Body body, Handler handler) {
    }

    private record Match(Route route, Map<String, String> params) {
    }

    private final Lorafab lorafab;
    private final ObjectMapper json = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final List<Route> routes = new ArrayList<>();
    static final int AUDITED_REFUSALS_PER_MINUTE = 10;
    private final ThrottledAudit refusals;
    private final HttpServer server;
    private final ThreadPoolExecutor connections;
    private final ExecutorService executor;
    private final ScheduledExecutorService alarms;
    private final BodyReader bodies;
    private final AtomicBoolean outOfMemoryLogged = new AtomicBoolean();

    public ApiServer(Lorafab lorafab, String host, int port, int threads) throws IOException {
        this(lorafab, host, port, threads, null);
    }

    /** With {@code tls} the API is served over HTTPS only; null serves plain HTTP. */
    public ApiServer(Lorafab lorafab, String host, int port, int threads, HttpsConfigurator tls) throws IOException {
        this(lorafab, new InetSocketAddress(host, port), threads, tls);
    }

    /**
     * On {@code address}; with {@code tls} over HTTPS only, null serves plain HTTP.
     *
     * @throws java.net.BindException if the address is in use
     */
    public ApiServer(Lorafab lorafab, InetSocketAddress address, int threads, HttpsConfigurator tls) throws IOException {
        this.lorafab = lorafab;
        this.refusals = refusalAudit(lorafab.registry(), Clock.systemUTC());
        if (tls == null) {
            this.server = HttpServer.create(address, 512);
        } else {
            HttpsServer https = HttpsServer.create(address, 512);
            https.setHttpsConfigurator(tls);
            this.server = https;
        }
        // No queue: when every connection thread is busy the JDK server closes the new connection at once
        // (it catches the rejection), rather than letting it wait behind slow ones.
        this.connections = new ThreadPoolExecutor(0, CONNECTION_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("lorafab-http-io"));
        this.executor = Executors.newFixedThreadPool(threads, daemon("lorafab-http"));
        this.alarms = Executors.newSingleThreadScheduledExecutor(daemon("lorafab-http-alarm"));
        // a quarter of the heap for request bodies held at once: 16 MiB uploads fit one at a time under -Xmx64m
        this.bodies = new BodyReader((int) Math.min(Integer.MAX_VALUE, Math.max(Body.UPLOAD.limit, Runtime.getRuntime().maxMemory() / 4)),
                alarms);
        server.setExecutor(connections);
        server.createContext("/", this::dispatch);
        new ProvisioningApi(lorafab, json).register(this);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public ObjectMapper json() {
        return json;
    }

    /**
     * Adds a route; {@code path} may hold {name} segments. {@code role} null means no token needed. The body it
     * takes follows from the method: none for GET and DELETE, JSON (64 KiB) otherwise.
     */
    public void route(String method, String path, Role role, Handler handler) {
        route(method, path, role, Body.defaultFor(method), handler);
    }

    /** Adds a route that takes {@code body}. */
    public void route(String method, String path, Role role, Body body, Handler handler) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([a-zA-Z]+)}").matcher(path);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(path.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        routes.add(new Route(method, path, Pattern.compile(regex.toString()), names, role, body, handler));
    }

    /** A registered route: method, path template and the role it needs (null: no token). */
    public record RouteInfo(String method, String path, Role role) {
    }

    /** The routes registered, in the order they were, for the test that holds them to the API catalogue. */
    public List<RouteInfo> routes() {
        return routes.stream().map(r -> new RouteInfo(r.method(), r.path(), r.role())).toList();
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        connections.shutdownNow();
        alarms.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On a connection thread: the whole pipeline; the client always gets an answer or a closed connection. */
    private void dispatch(HttpExchange ex) {
        BodyReader.Body body = null;
        try {
            boolean unread = hasBody(ex.getRequestHeaders());
            HttpResponse resp;
            try {
                checkHeaders(ex);
                Match match = match(ex);
                Route r = match.route();
                String what = r.method() + " " + r.path();
                ApiToken token = r.role() == null ? null : authorize(ex, r.role(), ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
                if (unread) {
                    body = bodies.read(ex.getRequestBody(), declaredLength(ex.getRequestHeaders()), r.body().limit,
                            readTime(r.body()), what);
                    unread = false;
                }
                HttpRequest req = new HttpRequest(ex.getRequestMethod(), match.params(), ex.getRequestURI().getRawQuery(),
                        body == null ? new byte[0] : body.bytes(), token, json);
                resp = runHandler(r, req);
            } catch (BodyReader.ClientGone gone) {
                ex.close(); // nobody to answer: the connection is closed
                return;
            } catch (Throwable t) {
                resp = answerTo(ex, t);
            }
            if (resp.deferred() == null) {
                send(ex, resp, unread);
            } else {
                answerLater(ex, resp.deferred());
            }
        } catch (Throwable t) {
            failed(ex, t);
            ex.close();
        } finally {
            if (body != null) {
                body.release();
            }
        }
    }

    /** The handler runs on a worker; this connection thread waits for it and writes its answer. */
    private HttpResponse runHandler(Route r, HttpRequest req) throws Throwable {
        try {
            return executor.submit(() -> r.handler().handle(req)).get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /** A long-poll: answered by whoever completes the future, on a worker thread, not by this one. */
    private void answerLater(HttpExchange ex, CompletableFuture<HttpResponse> deferred) {
        deferred.whenCompleteAsync((later, failure) -> {
            try {
                send(ex, failure == null ? later : answerTo(ex, failure), false);
            } catch (Throwable t) {
                failed(ex, t);
                ex.close(); // the client went away
            }
        }, executor);
    }

    /** The answer to a request whose handling threw {@code t}. */
    private HttpResponse answerTo(HttpExchange ex, Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof ApiException a) {
            return error(a.code(), a.getMessage());
        }
        if (e instanceof StoreException s) {
            return error(s.code(), s.getMessage());
        }
        if (e instanceof LorawanFormatException) {
            return error(ErrorCode.INVALID_INPUT, e.getMessage());
        }
        if (e instanceof io.lorafab.provisioning.io.ExportException) {
            return error(ErrorCode.EXPORT_REFUSED, e.getMessage());
        }
        failed(ex, e);
        return error(ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.text());
    }

    /** Logs a failure once: the class and message, never a stack trace with request data. */
    private void failed(HttpExchange ex, Throwable t) {
        if (t instanceof OutOfMemoryError) {
            // logged once: a flood of them would only make things worse; the request still gets its 500 if possible
            if (outOfMemoryLogged.compareAndSet(false, true)) {
                LOG.error("out of memory on {} {}; the server keeps answering", shownPath(ex.getRequestMethod()), shownPath(ex.getRequestURI().getPath()));
            }
            return;
        }
        if (t instanceof IOException) {
            LOG.debug("connection lost on {} {}: {}", shownPath(ex.getRequestMethod()), shownPath(ex.getRequestURI().getPath()), t.toString());
            return;
        }
        LOG.error("internal error on {} {}: {}", shownPath(ex.getRequestMethod()), shownPath(ex.getRequestURI().getPath()), t.toString());
    }

    /** 414 for a request line, 431 for headers over what any client of this API needs. */
    private static void checkHeaders(HttpExchange ex) {
        int line = ex.getRequestMethod().length() + ex.getRequestURI().getRawPath().length()
                + (ex.getRequestURI().getRawQuery() == null ? 0 : ex.getRequestURI().getRawQuery().length() + 1)
                + ex.getProtocol().length() + 4;
        if (line > MAX_HEADER_BYTES) {
            throw new ApiException(ErrorCode.URI_TOO_LONG, "the request line is limited to " + BodyReader.size(MAX_HEADER_BYTES));
        }
        int total = line;
        int fields = 0;
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            for (String v : h.getValue()) {
                total += h.getKey().length() + v.length() + 4;
                fields++;
            }
        }
        if (total > MAX_HEADER_BYTES || fields > MAX_HEADER_FIELDS) {
            throw new ApiException(ErrorCode.HEADERS_TOO_LARGE, "request headers are limited to " + BodyReader.size(MAX_HEADER_BYTES)
                    + " and " + MAX_HEADER_FIELDS + " fields");
        }
    }

    private Match match(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        boolean pathKnown = false;
        for (Route r : routes) {
            Matcher m = r.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (!r.method().equals(method)) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < r.names().size(); i++) {
                params.put(r.names().get(i), m.group(i + 1));
            }
            return new Match(r, params);
        }
        if (pathKnown) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, shownPath(method) + " is not allowed on " + shownPath(path));
        }
        throw new ApiException(ErrorCode.NOT_FOUND, "no such endpoint: " + shownPath(path));
    }

    /** Longest request path (or method) an error message repeats; a longer one is cut, with "..." appended. */
    static final int SHOWN_PATH_MAX = 80;

    /**
     * The audit of refused requests, 401 and 403 alike, at most {@value #AUDITED_REFUSALS_PER_MINUTE} a minute per
     * client address (one budget for both kinds), so that a flood of bad tokens or a sweep of one token over every
     * route cannot fill the audit log; the next one audited from that address says how many were left out.
     */
    static ThrottledAudit refusalAudit(io.lorafab.store.Registry registry, Clock clock) {
        return new ThrottledAudit(registry, AUDITED_REFUSALS_PER_MINUTE, clock,
                n -> "; " + n + " more refused from this address were not audited");
    }

    /**
     * A request path as an error message may repeat it: at most {@value #SHOWN_PATH_MAX} characters, and only
     * printable ASCII (anything else becomes '?'), so that a huge or binary URL is not echoed back or into logs.
     */
    static String shownPath(String path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.length() && b.length() < SHOWN_PATH_MAX; i++) {
            char c = path.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return path.length() > SHOWN_PATH_MAX ? b + "..." : b.toString();
    }

    /** A body follows the headers: a length over zero, or chunked (the JDK refuses both at once). */
    private static boolean hasBody(Headers h) {
        return declaredLength(h) != 0;
    }

    /** The Content-Length (the JDK has checked it is a number), -1 when chunked, 0 when neither. */
    private static long declaredLength(Headers h) {
        String te = h.getFirst("Transfer-Encoding");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            return -1;
        }
        String cl = h.getFirst("Content-Length");
        return cl == null ? 0 : Long.parseLong(cl.strip());
    }

    /** JSON arrives in one go; an upload may take a while on a slow link (1 s per 256 KiB on top). */
    private static Duration readTime(Body body) {
        return REQUEST_READ_TIME.plusSeconds(body.limit / (256 << 10));
    }

    private ApiToken authorize(HttpExchange ex, Role needed, String what) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String secret = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        Optional<ApiToken> token = lorafab.tokens().authenticate(secret);
        String from = ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
        if (token.isEmpty()) {
            refusals.audit(from, "anonymous@" + from, "auth.unauthenticated", what, secret == null ? "no token" : "unknown or revoked token");
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "a valid API token is required (Authorization: Bearer <token>)");
        }
        if (!token.get().role().allows(needed)) {
            refusals.audit(from, "token:" + token.get().id() + ":" + token.get().name(), "auth.forbidden", what,
                    "role=" + token.get().role().display() + " needs=" + needed.display());
            throw new ApiException(ErrorCode.FORBIDDEN, "this needs the " + needed.display() + " role; the token has "
                    + token.get().role().display());
        }
        return token.get();
    }

    /** The answer refusing with {@code code}: its HTTP status ({@link ErrorCode#httpStatus()}) and the message. */
    private HttpResponse error(ErrorCode code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code.code());
        e.put("message", message == null ? code.text() : message);
        try {
            return HttpResponse.json(code.httpStatus(), json.writeValueAsBytes(Map.of("error", e)));
        } catch (IOException io) {
            return HttpResponse.json(500, "{\"error\":{\"code\":\"internal_error\"}}".getBytes());
        }
    }

    /** With {@code unread}, the body was refused unread: the connection cannot carry another request. */
    private static void send(HttpExchange ex, HttpResponse r, boolean unread) throws IOException {
        if (unread) {
            ex.getResponseHeaders().set("Connection", "close");
        }
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (r.fileName() != null) {
            ex.getResponseHeaders().set("Content-Disposition", ContentDisposition.attachment(r.fileName()));
        }
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }
}
