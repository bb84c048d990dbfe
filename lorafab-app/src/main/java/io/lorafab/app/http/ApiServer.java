package io.lorafab.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.lorafab.api.Endpoint;
import io.lorafab.api.ErrorCode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.ThrottledAudit;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.lorafab.api.ApiRoutes;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import io.lorafab.app.wiring.ServerMeters;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON HTTP API on Javalin (Jetty 12). Requests carry {@code Authorization: Bearer <token>}; each route names
 * the role it needs. Errors are {@code {"error":{"code","message"}}} with a stable code; refused authentication
 * (401) and authorisation (403) are audited, at most ten a minute per address.
 *
 * <p>Every request goes through one pipeline: header limits (Jetty: 414, 431; here: at most 100 fields) → route
 * (404, 405) → token and role (401, 403, in a {@code beforeMatched} handler on the route's {@link Access}) → the
 * route's body limit, from {@code Content-Length} before a byte is read (413) → the body, read under a deadline and
 * a memory budget shared by all requests → the handler, once one of {@code threads} handler permits is free. Nothing is read from
 * a client that has not shown a token the route accepts, and no body is read on a route that takes none.
 *
 * <p>Jetty reads request lines and headers without blocking a thread, and closes a connection idle for {@link
 * #REQUEST_READ_TIME}; so slow or silent clients hold a connection, never a thread. Bodies are read by Jetty's I/O
 * pool, which also runs the handlers (at most {@code threads} at once) once a body is in; a long-poll ({@link
 * HttpResponse#later}) holds no thread: it is answered by whoever completes its future.
 *
 * <p>Routes are collected by {@link #route} and handed to Javalin at {@link #start()}, since Javalin 7 takes its
 * routes with its configuration; the listening socket is bound at construction, so that a port in use is known
 * at once and {@link #port()} can be read before the start.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Time a connection may stay silent while a request is read (headers, body) or an answer is written. */
    static final Duration REQUEST_READ_TIME = Duration.ofSeconds(10);
    /** Request line and headers together; over it 431 (or 414 for the request line alone): Jetty's default. */
    static final int MAX_HEADER_BYTES = 8 << 10;
    static final int MAX_HEADER_FIELDS = 100;
    /** Jetty's pool: selectors, acceptor, body reads, handlers (at most {@code threads} at once) and answer writes. */
    private static final int IO_THREADS = 256;
    /** How long a connection may be silent while its handler runs or its long-poll waits (the client waits). */
    private static final Duration HANDLING_TIME = Duration.ofMinutes(10);
    /** A class-path folder served as static files under the same path, when the jar holds it (the web console). */
    static final String STATIC_FOLDER = "/console";

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

    /**
     * What a route admits, as the Javalin route role its access check reads: the role a token needs (null: none)
     * and the body it takes; {@code route} ("POST /api/products") names it in messages.
     */
    public record Access(Role role, Body body, String route) implements RouteRole {
    }

    private record Route(HandlerType method, String path, Access access, Handler handler) {
    }

    /** The client went away, or did not send its body in time: its connection is closed, there is nobody to answer. */
    static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(String message) {
            super(message);
        }
    }

    private static final String TOKEN = "lorafab.token";
    private static final String BODY_READ = "lorafab.bodyRead";
    private static final int CHUNK = 64 << 10;

    private final Lorafab lorafab;
    private final ObjectMapper json = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final List<Route> routes = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> extensions = new ArrayList<>();
    static final int AUDITED_REFUSALS_PER_MINUTE = 10;
    private final ThrottledAudit refusals;
    private final ServerSocketChannel channel;
    private final SslContextFactory.Server tls;
    /** At most {@code threads} handlers run at once (the database's pool is sized to match). */
    private final Semaphore handlers;
    private final ScheduledExecutorService alarms;
    /** Bytes of request bodies held in memory at once, over all requests. */
    private final Semaphore bodyBudget;
    private final AtomicBoolean outOfMemoryLogged = new AtomicBoolean();
    private volatile Javalin app;
    private final ServerMeters meters;
    private final HttpMetrics httpMetrics;

    public ApiServer(Lorafab lorafab, String host, int port, int threads) throws IOException {
        this(lorafab, host, port, threads, null);
    }

    /** With {@code tls} the API is served over HTTPS only; null serves plain HTTP. */
    public ApiServer(Lorafab lorafab, String host, int port, int threads, SslContextFactory.Server tls) throws IOException {
        this(lorafab, new InetSocketAddress(host, port), threads, tls);
    }

    /**
     * On {@code address}; with {@code tls} over HTTPS only, null serves plain HTTP.
     *
     * @throws java.net.BindException if the address is in use
     */
    public ApiServer(Lorafab lorafab, InetSocketAddress address, int threads, SslContextFactory.Server tls) throws IOException {
        this.lorafab = lorafab;
        this.tls = tls;
        this.refusals = refusalAudit(lorafab.registry(), Clock.systemUTC());
        this.channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, 512);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.handlers = new Semaphore(threads);
        ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, daemon("lorafab-http-alarm"));
        // every request with a body arms an alarm and cancels it a moment later: removed at once, the queue holds
        // only the bodies being read, not ten seconds' worth of cancelled alarms that each new one is sorted among
        alarms.setRemoveOnCancelPolicy(true);
        this.alarms = alarms;
        // a quarter of the heap for request bodies held at once: 16 MiB uploads fit one at a time under -Xmx64m
        this.bodyBudget = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(Body.UPLOAD.limit, Runtime.getRuntime().maxMemory() / 4)));
        new ProvisioningApi(lorafab, json).register(this);
        this.meters = new ServerMeters(lorafab);
        this.httpMetrics = new HttpMetrics(meters.prometheus());
        respond(io.lorafab.api.ApiRoutes.METRICS, (r, none) -> new HttpResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                meters.scrape().getBytes(StandardCharsets.UTF_8), null, null));
    }

    /** This server's meters, scraped at {@code GET /metrics}. */
    public ServerMeters meters() {
        return meters;
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
     * Adds a route that takes {@code body}; {@code path} may hold {name} segments, {@code role} null means no token
     * needed. Every route is one of the API's catalogue, added through {@link #route(Endpoint, Answer)} or
     * {@link #respond}.
     */
    private synchronized void route(String method, String path, Role role, Body body, Handler handler) {
        if (app != null) {
            throw new IllegalStateException("routes are added before the server starts");
        }
        routes.add(new Route(HandlerType.findOrCreate(method), path, new Access(role, body, method + " " + path), handler));
    }

    /**
     * Configuration applied at {@link #start()} after the API's own: the place for static assets, server-sent
     * events ({@code config.routes.sse}), websockets ({@code config.routes.ws}) and plugins. A route given the
     * route role {@link Access} gets the API's token check.
     */
    public synchronized void extend(Consumer<JavalinConfig> configuration) {
        if (app != null) {
            throw new IllegalStateException("the server is configured before it starts");
        }
        extensions.add(configuration);
    }

    /** A registered route: method, path template and the role it needs (null: no token). */
    public record RouteInfo(String method, String path, Role role) {
    }

    /** The routes registered, in the order they were, for the test that holds them to the API catalogue. */
    public List<RouteInfo> routes() {
        return routes.stream().map(r -> new RouteInfo(r.method().name(), r.path(), r.access().role())).toList();
    }

    public synchronized void start() {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        app = Javalin.create(this::configure).start();
    }

    public int port() {
        return channel.socket().getLocalPort();
    }

    @Override
    public void close() {
        Javalin a;
        synchronized (this) {
            a = app;
        }
        try {
            if (a != null) {
                a.stop();
            }
        } catch (RuntimeException e) {
            LOG.debug("stopping the HTTP server: {}", e.toString());
        }
        try {
            channel.close(); // when never started; Jetty closes it otherwise
        } catch (IOException e) {
            LOG.debug("closing the listening socket: {}", e.toString());
        }
        alarms.shutdownNow();
        meters.close();
    }

    // ---- routes from the API catalogue (io.lorafab.api.ApiRoutes) --------------------------------------------

    /** A route's handler: its request record (null for a route that takes none) in, its response record out. */
    @FunctionalInterface
    public interface Answer<Q, R> {
        R handle(HttpRequest req, Q body) throws Exception;
    }

    /** A route's handler that answers itself: a file, a long-poll, 201 or 200 as it turns out, a refusal with more in it. */
    @FunctionalInterface
    public interface Reply<Q> {
        HttpResponse handle(HttpRequest req, Q body) throws Exception;
    }

    /**
     * Adds the catalogue's route {@code e}, its method, path and role taken from it, its request body read into {@code Q},
     * and the handler's record written as JSON with the route's status of success.
     */
    public <Q, R> void route(Endpoint<Q, R> e, Answer<Q, R> handler) {
        if (e.responseIsList()) {
            throw new IllegalArgumentException(e.key() + " answers a list: routeList");
        }
        respond(e, (req, body) -> HttpResponse.json(e.status(), json.writeValueAsBytes(handler.handle(req, body))));
    }

    /** The same for a route that answers a JSON array of {@code R}. */
    public <Q, R> void routeList(Endpoint<Q, R> e, Answer<Q, List<R>> handler) {
        if (!e.responseIsList()) {
            throw new IllegalArgumentException(e.key() + " answers one record: route");
        }
        respond(e, (req, body) -> HttpResponse.json(e.status(), json.writeValueAsBytes(handler.handle(req, body))));
    }

    /** Adds the catalogue's route {@code e}, whose handler makes its own response from the request record. */
    public <Q> void respond(Endpoint<Q, ?> e, Reply<Q> handler) {
        respond(e, req -> handler.handle(req, req.body(e.request(), e.requestOptional())));
    }

    /** Adds the catalogue's route {@code e}, whose handler reads the body itself (Backend Interfaces: a protocol of its own). */
    public void respond(Endpoint<?, ?> e, Handler handler) {
        Body body = e.request() == byte[].class ? Body.UPLOAD : Body.defaultFor(e.method());
        route(e.method(), e.path(), e.role() == null ? null : Role.parse(e.role()), body, handler);
    }

    // ---- configuration ---------------------------------------------------------------------------------------

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.jsonMapper(new JavalinJackson(json, false));
        config.http.prefer405over404 = true;
        config.http.compressionStrategy = CompressionStrategy.NONE; // answers are small, or PDFs and PNGs
        config.http.maxRequestSize = Body.UPLOAD.limit; // bodies are read here, under each route's own limit
        config.router.ignoreTrailingSlashes = false; // a path means one thing, as before Javalin
        config.router.javaLangErrorHandler((res, error) -> {
            res.setStatus(500);
            failed(null, null, error);
        });

        QueuedThreadPool pool = new QueuedThreadPool(IO_THREADS, 8, 30_000);
        pool.setName("lorafab-http-io");
        pool.setDaemon(true);
        config.jetty.threadPool = pool;
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            // in front of Javalin's servlet context, which Javalin puts inside this wrapper
            server.setHandler(new CoreRoutes());
        });
        config.jetty.modifyHttpConfiguration(http -> {
            // counted by Jetty as it takes the request, before any of Javalin's per-request work, and refused as
            // Jetty refuses headers past their byte limit (431, worded by JsonErrorHandler)
            http.addCustomizer(ApiServer::checkHeaderFields);
            http.setRequestHeaderSize(MAX_HEADER_BYTES);
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
        config.jetty.addConnector(this::connector);

        if (ApiServer.class.getResource(STATIC_FOLDER) != null) {
            config.staticFiles.add(files -> {
                files.hostedPath = STATIC_FOLDER;
                files.directory = STATIC_FOLDER;
                files.location = Location.CLASSPATH;
            });
        }

        config.requestLogger.http((ctx, millis) -> httpMetrics.record(ctx, access(ctx), millis));
        config.routes.beforeMatched(this::admit);
        for (Route r : routes) {
            config.routes.addHttpHandler(r.method(), r.path(), ctx -> serve(ctx, r), r.access());
        }
        config.routes.exception(HttpResponseException.class, this::refuse);
        config.routes.exception(Exception.class, this::refuse);
        extensions.forEach(e -> e.accept(config));
    }

    /** The one connector, on the socket bound at construction: plain HTTP, or HTTPS only. */
    private Connector connector(Server server, HttpConfiguration http) {
        ServerConnector c;
        if (tls == null) {
            c = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // clients reach the server by address as well as by the certificate's name
            https.addCustomizer(secure);
            c = new ServerConnector(server, tls, new HttpConnectionFactory(https));
        }
        c.setIdleTimeout(REQUEST_READ_TIME.toMillis());
        c.addBean(new HeaderDeadline());
        try {
            c.open(channel);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c;
    }

    /**
     * {@link #REQUEST_READ_TIME} from accept to the end of the first request's headers (with TLS, the handshake
     * included). Jetty's idle timeout ends a silent client; this ends one that sends a byte now and then, which
     * would otherwise hold its connection (not a thread) for as long as it likes.
     */
    private final class HeaderDeadline implements org.eclipse.jetty.io.Connection.Listener {
        @Override
        public void onOpened(org.eclipse.jetty.io.Connection connection) {
            if (!(connection instanceof org.eclipse.jetty.server.ConnectionMetaData)) {
                return; // the TLS layer under an HTTP connection: the HTTP one is watched
            }
            try {
                alarms.schedule(() -> {
                    if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                        LOG.debug("request headers not received within {} s; connection closed", REQUEST_READ_TIME.toSeconds());
                        connection.getEndPoint().close();
                    }
                }, REQUEST_READ_TIME.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the server is closing
            }
        }
    }

    // ---- the pipeline ----------------------------------------------------------------------------------------

    /** At most {@value #MAX_HEADER_FIELDS} header fields (Jetty limits their bytes, not their number): one per line. */
    private static org.eclipse.jetty.server.Request checkHeaderFields(org.eclipse.jetty.server.Request request,
            org.eclipse.jetty.http.HttpFields.Mutable responseHeaders) {
        if (request.getHeaders().size() > MAX_HEADER_FIELDS) {
            throw new org.eclipse.jetty.http.BadMessageException(431);
        }
        return request;
    }

    /** Token and role, then the body's declared length: before a byte of the body is read. */
    private void admit(Context ctx) {
        Access access = access(ctx);
        if (access == null) {
            return; // static files, or an extension's route without the API's access rules
        }
        ApiToken token = access.role() == null ? null : authorize(ctx.header("Authorization"), ctx.req().getRemoteAddr(),
                access.role(), ctx.method().name() + " " + path(ctx));
        ctx.attribute(TOKEN, token);
        if (declaredLength(ctx.req()) > access.body().limit) {
            throw tooLarge(access.body().limit, access.route());
        }
    }

    private static Access access(Context ctx) {
        for (RouteRole r : ctx.routeRoles()) {
            if (r instanceof Access a) {
                return a;
            }
        }
        return null;
    }

    /** On a Jetty thread: reads the body, runs the handler, writes the answer (a long-poll's when it is ready). */
    private void serve(Context ctx, Route r) throws IOException {
        ReadBody body = readBody(ctx.req().getInputStream(), declaredLength(ctx.req()), endPoint(ctx), r.access());
        ctx.attribute(BODY_READ, true);
        HttpRequest req = new HttpRequest(ctx.method().name(), new LinkedHashMap<>(ctx.pathParamMap()), ctx.queryString(),
                body.bytes, ctx.attribute(TOKEN));
        EndPoint endPoint = endPoint(ctx);
        endPoint.setIdleTimeout(HANDLING_TIME.toMillis()); // the client waits for its answer; writing it gets the read time
        HttpResponse resp;
        try {
            resp = run(ctx.method().name(), path(ctx), r, req);
        } catch (ClientGone stopping) {
            body.release();
            throw stopping;
        }
        if (resp.deferred() == null) {
            body.release();
            endPoint.setIdleTimeout(REQUEST_READ_TIME.toMillis());
            send(ctx, resp);
            return;
        }
        // a long-poll: answered by whoever completes it, with no thread waiting meanwhile
        ctx.future(() -> resp.deferred()
                .handle((later, failure) -> failure == null ? later : answerTo(ctx.method().name(), path(ctx), failure))
                .thenAccept(later -> {
                    body.release();
                    endPoint.setIdleTimeout(REQUEST_READ_TIME.toMillis());
                    send(ctx, later);
                }));
    }

    /**
     * The handler, on this Jetty thread once one of the {@code threads} handler permits is free. The body has been
     * read in full already, so a slow client holds no permit; and handing the work to another pool, then waiting
     * for it or completing an asynchronous request, cost a fifth of a reservation's CPU (docs/BENCHMARKS.md).
     */
    private HttpResponse run(String method, String path, Route r, HttpRequest req) throws ClientGone {
        try {
            handlers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGone("the server is stopping");
        }
        try {
            return r.handler().handle(req);
        } catch (Throwable t) {
            return answerTo(method, path, t);
        } finally {
            handlers.release();
        }
    }

    /**
     * Routes served on Jetty's own request API, in front of Javalin: the station's reservation, the one call a line
     * makes per unit at thousands a second. A flight-recorder profile of reservations at saturation put 55 % of the
     * HTTP threads' samples in the servlet layer and Javalin's per-request context, routing and result stream, against
     * 37 % in the route itself; here a request passes the same steps as on every other route (token and role, the
     * body's declared length, the body read under its deadline and the memory budget, a handler permit, the same
     * error answers and request meters), each taken from the same methods, without that layer.
     */
    static final Set<String> CORE_ROUTES = Set.of(ApiRoutes.RESERVE.method() + " " + ApiRoutes.RESERVE.path());

    /** A core route and its path template split at '/'. */
    private record CoreRoute(Route route, String[] template) {
    }

    /** Serves {@link #CORE_ROUTES} itself, and hands every other request to Javalin's servlet context inside it. */
    private final class CoreRoutes extends org.eclipse.jetty.server.Handler.Wrapper {
        /** The core routes, looked up once the routes are registered (the first request). */
        private volatile List<CoreRoute> served;

        private List<CoreRoute> served() {
            List<CoreRoute> s = served;
            if (s == null) {
                List<CoreRoute> m = new ArrayList<>();
                for (Route r : routes) {
                    if (CORE_ROUTES.contains(r.access().route())) {
                        m.add(new CoreRoute(r, r.path().split("/", -1)));
                    }
                }
                served = s = List.copyOf(m);
            }
            return s;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String method = request.getMethod();
            String path = request.getHttpURI().getDecodedPath();
            for (CoreRoute candidate : served()) {
                Route r = candidate.route();
                if (r.method().name().equals(method)) {
                    Map<String, String> params = match(candidate.template(), path);
                    if (params != null) {
                        serveCore(r, params, request, response, callback);
                        return true;
                    }
                }
            }
            return super.handle(request, response, callback);
        }
    }

    /** The path parameters when {@code path} fits {@code template} (split at '/'), else null. */
    private static Map<String, String> match(String[] template, String path) {
        if (path == null) {
            return null;
        }
        String[] parts = path.split("/", -1);
        if (parts.length != template.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < parts.length; i++) {
            String t = template[i];
            if (t.length() > 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}') {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>(4);
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? new LinkedHashMap<>() : params;
    }

    /** One request of a core route, on the Jetty thread that took it: the steps of {@link #admit} and {@link #serve}. */
    private void serveCore(Route r, Map<String, String> params, Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        String te = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING);
        long declared = te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked") ? -1 : Math.max(0, request.getLength());
        Access access = r.access();
        boolean bodyRead = false;
        HttpResponse resp;
        try {
            ApiToken token = access.role() == null ? null : authorize(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    Request.getRemoteAddr(request), access.role(), method + " " + path);
            if (declared > access.body().limit) {
                throw tooLarge(access.body().limit, access.route());
            }
            ReadBody body = readBody(Content.Source.asInputStream(request), declared, endPoint, access);
            bodyRead = true;
            endPoint.setIdleTimeout(HANDLING_TIME.toMillis()); // the client waits for its answer; writing it gets the read time
            try {
                resp = run(method, path, r, new HttpRequest(method, params, request.getHttpURI().getQuery(), body.bytes, token));
            } finally {
                body.release();
                endPoint.setIdleTimeout(REQUEST_READ_TIME.toMillis());
            }
        } catch (ClientGone gone) {
            LOG.debug("connection lost on {} {}: {}", shownPath(method), shownPath(path), gone.getMessage());
            endPoint.close();
            callback.failed(gone);
            return;
        } catch (Exception e) {
            resp = answerTo(method, path, e);
        }
        boolean close = !bodyRead && declared != 0; // the body was refused unread: the connection cannot carry another request
        if (resp.deferred() != null) {
            resp.deferred().handle((later, failure) -> failure == null ? later : answerTo(method, path, failure))
                    .thenAccept(later -> writeCore(later, close, access, start, response, callback));
            return;
        }
        writeCore(resp, close, access, start, response, callback);
    }

    /** Writes {@code r} as {@link #send} does, and records it in the request meters once written. */
    private void writeCore(HttpResponse r, boolean close, Access access, long start, Response response, Callback callback) {
        response.setStatus(r.status());
        org.eclipse.jetty.http.HttpFields.Mutable h = response.getHeaders();
        headers(r, h::put);
        if (close) {
            h.put(HttpHeader.CONNECTION, "close");
        }
        int status = r.status();
        response.write(true, ByteBuffer.wrap(r.body()), Callback.from(() -> {
            httpMetrics.record(status, access, System.nanoTime() - start);
            callback.succeeded();
        }, failure -> {
            httpMetrics.record(status, access, System.nanoTime() - start);
            callback.failed(failure);
        }));
    }

    /** An exception in the pipeline before a handler ran (404, 405, 401, 403, 413, 431): its error answer. */
    private void refuse(Exception e, Context ctx) {
        if (e instanceof ClientGone gone) {
            LOG.debug("connection lost on {} {}: {}", shownPath(ctx.method().name()), shownPath(path(ctx)), gone.getMessage());
            endPoint(ctx).close();
            return;
        }
        HttpResponse resp = e instanceof HttpResponseException h ? routing(ctx, h) : answerTo(ctx.method().name(), path(ctx), e);
        if (!Boolean.TRUE.equals(ctx.attribute(BODY_READ)) && declaredLength(ctx.req()) != 0) {
            ctx.header("Connection", "close"); // the body was refused unread: the connection cannot carry another request
        }
        send(ctx, resp);
    }

    /** Javalin's own refusals: no route for the path (404), or not for this method (405). */
    private HttpResponse routing(Context ctx, HttpResponseException h) {
        String path = path(ctx);
        if (h.getStatus() == 405) {
            return error(ErrorCode.METHOD_NOT_ALLOWED, shownPath(ctx.method().name()) + " is not allowed on " + shownPath(path));
        }
        if (h.getStatus() == 404) {
            return error(ErrorCode.NOT_FOUND, "no such endpoint: " + shownPath(path));
        }
        return error(h.getStatus(), ErrorCode.BAD_REQUEST, "the request was refused");
    }

    /** The answer to a request whose handling threw {@code t}. */
    private HttpResponse answerTo(String method, String path, Throwable t) {
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
        if (e instanceof io.lorafab.jose.JweException) {
            // a recipient key refused (a private key, RSA under 2048 bits, another curve): the message never holds the key
            return error(ErrorCode.INVALID_INPUT, e.getMessage());
        }
        failed(method, path, e);
        return error(ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.text());
    }

    /** Logs a failure once: the class and message, never a stack trace with request data. */
    private void failed(String method, String path, Throwable t) {
        String m = method == null ? "?" : shownPath(method);
        String p = path == null ? "?" : shownPath(path);
        if (t instanceof OutOfMemoryError) {
            // logged once: a flood of them would only make things worse; the request still gets its 500 if possible
            if (outOfMemoryLogged.compareAndSet(false, true)) {
                LOG.error("out of memory on {} {}; the server keeps answering", m, p);
            }
            return;
        }
        if (t instanceof IOException) {
            LOG.debug("connection lost on {} {}: {}", m, p, t.toString());
            return;
        }
        LOG.error("internal error on {} {}: {}", m, p, t.toString());
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

    /** The Content-Length (Jetty has checked it is a number), -1 when chunked, 0 when neither. */
    private static long declaredLength(HttpServletRequest req) {
        String te = req.getHeader("Transfer-Encoding");
        if (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            return -1;
        }
        return Math.max(0, req.getContentLengthLong());
    }

    /** JSON arrives in one go; an upload may take a while on a slow link (1 s per 256 KiB on top). */
    private static Duration readTime(Body body) {
        return REQUEST_READ_TIME.plusSeconds(body.limit / (256 << 10));
    }

    /** The request's path, percent-decoded (Javalin's {@code ctx.path()} is as sent). */
    private static String path(Context ctx) {
        String decoded = ctx.req().getPathInfo();
        return decoded == null ? ctx.path() : decoded;
    }

    private static EndPoint endPoint(Context ctx) {
        return ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
    }

    /** A body read into memory; {@link #release()} returns its bytes to the budget once the request is done. */
    private final class ReadBody {
        final byte[] bytes;
        private int held;

        ReadBody(byte[] bytes, int held) {
            this.bytes = bytes;
            this.held = held;
        }

        synchronized void release() {
            bodyBudget.release(held);
            held = 0;
        }
    }

    /**
     * Reads the body (whose declared length {@link #admit} checked) of at most the route's limit: a chunked one is
     * counted as it arrives and cut at the limit (413). Memory is taken from the budget before the bytes arrive, so
     * that many large bodies at once cannot exhaust the heap (503). A body not received within its read time closes
     * the connection: Jetty's idle timeout ends a silent client, this deadline one that trickles.
     */
    private ReadBody readBody(InputStream in, long declared, EndPoint endPoint, Access access) throws IOException {
        if (declared == 0) {
            return new ReadBody(new byte[0], 0);
        }
        int limit = access.body().limit;
        Duration deadline = readTime(access.body());
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> alarm = alarms.schedule(() -> {
            late.set(true);
            endPoint.close();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        int held = 0;
        try {
            if (declared > 0 && declared <= CHUNK) {
                // a JSON body of known length (admit checked it against the limit): taken from the budget at once
                // and read into one array of its size; uploads take the budget chunk by chunk below
                int length = (int) declared;
                if (!bodyBudget.tryAcquire(length)) {
                    throw new ApiException(ErrorCode.BUSY, "too many large request bodies at once; retry later");
                }
                held = length;
                byte[] bytes = new byte[length];
                int got = 0;
                while (got < length) {
                    int n = in.read(bytes, got, length - got);
                    if (n < 0) {
                        throw new ClientGone("request body ended early");
                    }
                    got += n;
                }
                ReadBody body = new ReadBody(bytes, held);
                held = 0;
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : CHUNK);
            byte[] chunk = new byte[(int) Math.min(CHUNK, declared > 0 ? declared : CHUNK)];
            while (true) {
                int want = Math.max(1, Math.min(chunk.length, limit + 1 - out.size()));
                if (!bodyBudget.tryAcquire(want)) {
                    throw new ApiException(ErrorCode.BUSY, "too many large request bodies at once; retry later");
                }
                held += want;
                int n = in.read(chunk, 0, want);
                int unused = n < 0 ? want : want - n;
                bodyBudget.release(unused);
                held -= unused;
                if (n < 0) {
                    break;
                }
                out.write(chunk, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(limit, access.route());
                }
            }
            if (declared > 0 && out.size() < declared) {
                throw new ClientGone("request body ended early");
            }
            ReadBody body = new ReadBody(out.toByteArray(), held);
            held = 0;
            return body;
        } catch (IOException e) {
            throw new ClientGone(late.get() ? "request body not received within " + deadline.toSeconds() + " s" : "client went away");
        } finally {
            alarm.cancel(false);
            bodyBudget.release(held);
        }
    }

    private static ApiException tooLarge(int limit, String what) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, limit == 0 ? what + " takes no request body"
                : "the request body of " + what + " is limited to " + size(limit));
    }

    static String size(int bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    /** The token that {@code authorization} (the header's value, or null) shows, if it may do {@code what}; 401 or 403 otherwise. */
    private ApiToken authorize(String authorization, String remoteAddr, Role needed, String what) {
        String h = authorization;
        String secret = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        Optional<ApiToken> token = lorafab.tokens().authenticate(secret);
        String from = remoteAddr == null ? "?" : remoteAddr;
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

    private HttpResponse error(ErrorCode code, String message) {
        return error(code.httpStatus(), code, message);
    }

    /** With a status other than the code's own: one the HTTP server itself decided (a 505 is a {@code bad_request}). */
    private HttpResponse error(int status, ErrorCode code, String message) {
        return HttpResponse.json(status, errorJson(json, code, message));
    }

    private static byte[] errorJson(ObjectMapper json, ErrorCode code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code.code());
        e.put("message", message == null ? code.text() : message);
        try {
            return json.writeValueAsBytes(Map.of("error", e));
        } catch (IOException io) {
            return "{\"error\":{\"code\":\"internal_error\"}}".getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void send(Context ctx, HttpResponse r) {
        ctx.status(r.status());
        headers(r, ctx::header);
        ctx.result(r.body());
    }

    /** The headers of every answer, on Javalin's routes and on the core routes alike. */
    private static void headers(HttpResponse r, java.util.function.BiConsumer<String, String> put) {
        put.accept("Content-Type", r.contentType());
        put.accept("Cache-Control", "no-store");
        if (r.fileName() != null) {
            put.accept("Content-Disposition", ContentDisposition.attachment(r.fileName()));
        }
        put.accept("Content-Length", Integer.toString(r.body().length));
    }

    /**
     * Jetty's own refusals, made before a request reaches Javalin (request line or headers too large, a malformed
     * request): the API's error JSON rather than Jetty's HTML page, with nothing of the request repeated.
     */
    private final class JsonErrorHandler extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException h) {
                status = h.getCode();
                response.setStatus(status);
            }
            ErrorCode code;
            String message;
            switch (status) {
                case 414 -> {
                    code = ErrorCode.URI_TOO_LONG;
                    message = "the request line is limited to " + size(MAX_HEADER_BYTES);
                }
                case 431 -> {
                    code = ErrorCode.HEADERS_TOO_LARGE;
                    message = "request headers are limited to " + size(MAX_HEADER_BYTES) + " and " + MAX_HEADER_FIELDS + " fields";
                }
                case 413 -> {
                    code = ErrorCode.PAYLOAD_TOO_LARGE;
                    message = "the request body is too large";
                }
                case 408 -> {
                    code = ErrorCode.REQUEST_TIMEOUT;
                    message = "the request was not received in time";
                }
                default -> {
                    code = status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
                    message = status >= 500 ? "internal error" : "malformed HTTP request";
                }
            }
            byte[] body = errorJson(json, code, message);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
