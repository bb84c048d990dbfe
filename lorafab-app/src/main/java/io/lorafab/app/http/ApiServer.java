package io.lorafab.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.RateLimiter;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON HTTP API on the JDK's HTTP server. Requests carry {@code Authorization: Bearer <token>}; each
 * route names the role it needs. Errors are {@code {"error":{"code","message"}}} with a stable code;
 * refused authentication (401) and authorisation (403) are audited. Bodies are limited to 16 MiB.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_BODY = 16 << 20;

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add ~40 ms to every response. Read once, when the server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A route handler. */
    @FunctionalInterface
    public interface Handler {
        HttpResponse handle(HttpRequest req) throws Exception;
    }

    private record Route(String method, Pattern pattern, List<String> names, Role role, Handler handler) {
    }

    private final Lorafab lorafab;
    private final ObjectMapper json = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final List<Route> routes = new ArrayList<>();
    static final int AUDITED_REFUSALS_PER_MINUTE = 10;
    private final RateLimiter refusalAudits = new RateLimiter(AUDITED_REFUSALS_PER_MINUTE, Duration.ofMinutes(1), Clock.systemUTC());
    private final Map<String, LongAdder> unaudited = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

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
        if (tls == null) {
            this.server = HttpServer.create(address, 512);
        } else {
            HttpsServer https = HttpsServer.create(address, 512);
            https.setHttpsConfigurator(tls);
            this.server = https;
        }
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lorafab-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        new ProvisioningApi(lorafab, json).register(this);
    }

    public ObjectMapper json() {
        return json;
    }

    /** Adds a route; {@code path} may hold {name} segments. {@code role} null means no token needed. */
    public void route(String method, String path, Role role, Handler handler) {
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
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, role, handler));
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
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        HttpResponse resp;
        try {
            resp = handle(ex);
        } catch (ApiException e) {
            resp = error(e.status(), e.code(), e.getMessage());
        } catch (StoreException e) {
            resp = error(statusOf(e.code()), e.code(), e.getMessage());
        } catch (LorawanFormatException e) {
            resp = error(400, "invalid_input", e.getMessage());
        } catch (io.lorafab.provisioning.io.ExportException e) {
            resp = error(400, "export_refused", e.getMessage());
        } catch (Exception e) {
            LOG.error("internal error on {} {}: {}", shownPath(ex.getRequestMethod()), shownPath(ex.getRequestURI().getPath()), e.toString());
            resp = error(500, "internal_error", "internal error");
        }
        if (resp.deferred() == null) {
            send(ex, resp);
            return;
        }
        // a long-poll: answered by whoever completes the future, on a worker thread, not by this one
        resp.deferred().whenCompleteAsync((later, failure) -> {
            HttpResponse r = later;
            if (failure != null) {
                LOG.error("internal error on {} {}: {}", shownPath(ex.getRequestMethod()), shownPath(ex.getRequestURI().getPath()), failure.toString());
                r = error(500, "internal_error", "internal error");
            }
            try {
                send(ex, r);
            } catch (IOException gone) {
                ex.close(); // the client went away
            }
        }, executor);
    }

    private HttpResponse handle(HttpExchange ex) throws Exception {
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
            ApiToken token = r.role() == null ? null : authorize(ex, r.role(), method + " " + path);
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < r.names().size(); i++) {
                params.put(r.names().get(i), m.group(i + 1));
            }
            byte[] body = readBody(ex.getRequestBody());
            return r.handler().handle(new HttpRequest(method, params, ex.getRequestURI().getRawQuery(), body, token, json));
        }
        if (pathKnown) {
            throw new ApiException(405, "method_not_allowed", shownPath(method) + " is not allowed on " + shownPath(path));
        }
        throw new ApiException(404, "not_found", "no such endpoint: " + shownPath(path));
    }

    /** Longest request path (or method) an error message repeats; a longer one is cut, with "..." appended. */
    static final int SHOWN_PATH_MAX = 80;

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

    private ApiToken authorize(HttpExchange ex, Role needed, String what) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        String secret = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        Optional<ApiToken> token = lorafab.tokens().authenticate(secret);
        String from = ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
        if (token.isEmpty()) {
            auditRefusal(from, what, secret == null ? "no token" : "unknown or revoked token");
            throw new ApiException(401, "unauthenticated", "a valid API token is required (Authorization: Bearer <token>)");
        }
        if (!token.get().role().allows(needed)) {
            lorafab.registry().audit("token:" + token.get().id() + ":" + token.get().name(), "auth.forbidden", what,
                    "role=" + token.get().role().display() + " needs=" + needed.display());
            throw new ApiException(403, "forbidden", "this needs the " + needed.display() + " role; the token has "
                    + token.get().role().display());
        }
        return token.get();
    }

    /**
     * Audits a request refused for want of a valid token — at most {@value #AUDITED_REFUSALS_PER_MINUTE} a minute
     * per address, so that a flood of bad requests cannot fill the audit log; the next audited one says how many
     * were left out.
     */
    private void auditRefusal(String from, String what, String why) {
        if (!refusalAudits.tryAcquire(from)) {
            unaudited.computeIfAbsent(from, k -> new LongAdder()).increment();
            return;
        }
        LongAdder skipped = unaudited.remove(from);
        long n = skipped == null ? 0 : skipped.sum();
        lorafab.registry().audit("anonymous@" + from, "auth.unauthenticated", what,
                why + (n == 0 ? "" : "; " + n + " more refused from this address were not audited"));
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new ApiException(413, "body_too_large", "request body over 16 MiB");
        }
        return b;
    }

    private HttpResponse error(int status, String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        try {
            return HttpResponse.json(status, json.writeValueAsBytes(Map.of("error", e)));
        } catch (IOException io) {
            return HttpResponse.json(500, "{\"error\":{\"code\":\"internal_error\"}}".getBytes());
        }
    }

    static int statusOf(String code) {
        switch (code) {
            case "not_found": return 404;
            case "duplicate": case "illegal_transition": case "eui_block_exhausted": case "eui_block_overlap":
            case "work_order_full": case "work_order_closed": case "unit_passed": case "unit_void": case "unit_failed":
            case "reserved_by_other_station": case "retest_required":
                return 409;
            case "busy": case "database_unavailable": return 503;
            case "database_error": case "kek_unknown": case "key_unwrap_failed": return 500;
            default: return 400;
        }
    }

    private static void send(HttpExchange ex, HttpResponse r) throws IOException {
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
