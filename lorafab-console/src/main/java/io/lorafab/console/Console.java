package io.lorafab.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.ConsoleSessions;
import io.lorafab.provisioning.service.ConsoleSessions.Opened;
import io.lorafab.provisioning.service.ConsoleSessions.Principal;
import io.lorafab.provisioning.service.ConsoleSessions.Refused;
import io.lorafab.provisioning.service.ConsoleSessions.Resumed;
import io.lorafab.provisioning.io.WrapKeks;
import io.lorafab.provisioning.service.DeviceExports;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.Keys;
import io.lorafab.provisioning.service.Labels;
import io.lorafab.provisioning.service.LineReports;
import io.lorafab.provisioning.service.Products;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.store.model.Role;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: server-rendered pages under {@code /console/} on the API's Javalin server, added with
 * {@code ApiServer.extend(console::configure)}. Its routes carry no API {@code Access} role, so the API's bearer
 * check passes them by; every one goes through this class's own pipeline instead: security headers → session from
 * the {@code lorafab_session} cookie ({@link ConsoleSessions}) → CSRF token on POST → role → the page, whose
 * failures become the 403, 404 or error page (HTML, never a stack trace).
 *
 * <p>Pages read the same application services as the API ({@link Services}); no SQL here. The menu is {@link Nav};
 * page groups are {@link ConsolePages}, listed in {@link #pages}.
 */
public final class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    public static final String SESSION_COOKIE = "lorafab_session";
    /** Double-submit cookie of the forms shown before a session exists (sign-in, one-time link): no login CSRF. */
    static final String PRESESSION_COOKIE = "lorafab_presession";
    static final String FLASH_COOKIE = "lorafab_flash";
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** A console form is small; a larger body is refused before it is read. */
    static final int MAX_FORM_BYTES = 64 << 10;

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /**
     * The application services the pages read; a page needing another adds it here. {@code exports} and
     * {@code exportKeks} are the API's export service and the export KEKs it may wrap keys under.
     */
    public record Services(Products products, EuiBlocks euiBlocks, WorkOrders workOrders, Provisioning provisioning,
            ApiTokens tokens, Keys keys, AuditTrail auditTrail, ConsoleSessions sessions, DeviceExports exports,
            WrapKeks exportKeks, io.lorafab.provisioning.service.LineReports reports,
            io.lorafab.provisioning.service.StationSteps stationSteps, io.lorafab.provisioning.service.LineEvents lineEvents,
            Labels labels, Supplier<GatewaysView> gateways) {
        /** {@code gateways}: what {@code GET /api/gateways} shows; it gives null on a server without a gateway listener. */
        public Services {
            gateways = gateways == null ? () -> null : gateways;
        }
    }

    private final Services services;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConsoleAssets assets = new ConsoleAssets();
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public Console(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    public Services services() {
        return services;
    }

    public Clock clock() {
        return clock;
    }

    public ConsoleAssets assets() {
        return assets;
    }

    /** The page groups; a new one is added here. */
    private List<ConsolePages> pages() {
        // the order forms before the engineer's pages: /console/orders/new is the form, not an order's reference
        return List.of(new ProductsPage(services.products()), new HomePages(),
                new EuiBlocksPage(services.euiBlocks(), services.products()), new OrderFormsPage(services.workOrders(), services.products()),
                new DeviceImportPage(services.products(), services.provisioning(), clock, random),
                new AdminPages(services, clock), new EngineerPages(services, clock),
                new StationsPage(services.reports(), services.stationSteps(), services.lineEvents(), clock));
    }

    private static void closeQuietly(ConsolePages pages) {
        if (pages instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(Console.class).debug("closing a console page group: {}", e.toString());
            }
        }
    }

    private record PageRoute(HandlerType method, String path, Role role, ConsolePage page, int maxBytes) {
    }

    private record StreamRoute(String path, Role role, ConsoleStream stream) {
    }

    /** Registers every {@code /console} route on {@code cfg}. */
    public void configure(JavalinConfig cfg) {
        List<PageRoute> routes = new ArrayList<>();
        List<StreamRoute> streams = new ArrayList<>();
        ConsoleRoutes collector = new ConsoleRoutes() {
            @Override
            public void get(String path, Role role, ConsolePage page) {
                routes.add(new PageRoute(HandlerType.GET, check(path), role, page, MAX_FORM_BYTES));
            }

            @Override
            public void post(String path, Role role, ConsolePage page) {
                routes.add(new PageRoute(HandlerType.POST, check(path), role, page, MAX_FORM_BYTES));
            }

            @Override
            public void upload(String path, Role role, int maxBytes, ConsolePage page) {
                routes.add(new PageRoute(HandlerType.POST, check(path), role, page, maxBytes));
            }

            @Override
            public void sse(String path, Role role, ConsoleStream stream) {
                streams.add(new StreamRoute(check(path), role, stream));
            }
        };
        List<ConsolePages> pages = pages();
        pages.forEach(p -> p.register(collector));
        // page groups that hold threads or subscriptions (the station screens' sender) end with the server
        cfg.events.serverStopped(() -> pages.forEach(Console::closeQuietly));
        Set<String> built = new HashSet<>();
        for (PageRoute r : routes) {
            cfg.routes.addHttpHandler(r.method(), r.path(), ctx -> page(ctx, r.role(), r.page(), r.maxBytes()));
            built.add(r.path());
        }
        for (StreamRoute r : streams) {
            cfg.routes.get(r.path(), ctx -> stream(ctx, r.role(), r.stream()));
        }
        for (Nav n : Nav.values()) {
            if (!built.contains(n.path())) {
                cfg.routes.get(n.path(), ctx -> page(ctx, n.role(),
                        c -> c.render("placeholder.jte", n.label(), n.label())));
            }
        }
        cfg.routes.get("/console", ctx -> redirect(ctx, "/console/"));
        cfg.routes.get("/console/assets/{hash}/{name}", this::asset);
        cfg.routes.get("/console/sign-in", this::signInPage);
        cfg.routes.post("/console/sign-in", this::signIn);
        cfg.routes.post("/console/sign-out", ctx -> page(ctx, Role.OPERATOR, this::signOut));
        cfg.routes.get("/console/sign-in/once/{code}", this::oncePage);
        cfg.routes.post("/console/sign-in/once/{code}", this::once);
        // last: whatever else is asked under /console is the console's 404 page, not the API's JSON
        cfg.routes.get("/console/<rest>", ctx -> {
            headers(ctx);
            errorPage(ctx, 404, "Not found", "There is no console page at this address.");
        });
        cfg.routes.post("/console/<rest>", ctx -> {
            headers(ctx);
            errorPage(ctx, 404, "Not found", "There is no console page at this address.");
        });
    }

    private static String check(String path) {
        if (!path.startsWith("/console/")) {
            throw new IllegalArgumentException("console pages live under /console/: " + path);
        }
        return path;
    }

    // ---- the pipeline ----------------------------------------------------------------------------------------

    private void page(Context ctx, Role role, ConsolePage page) {
        page(ctx, role, page, MAX_FORM_BYTES);
    }

    private void page(Context ctx, Role role, ConsolePage page, int maxBytes) {
        headers(ctx);
        try {
            if (bodyTooLarge(ctx, maxBytes)) {
                return;
            }
            Resumed r = services.sessions().resume(ctx.cookie(SESSION_COOKIE));
            if (!r.ok()) {
                toSignIn(ctx, r.ended());
                return;
            }
            if (unsafe(ctx) && !ConsoleSessions.csrfMatches(r.session(), csrfGiven(ctx, maxBytes))) {
                errorPage(ctx, 403, "Refused", "This form was sent without this session's security token (an old page, or "
                        + "another site). Nothing was changed: reload the page and try again.");
                return;
            }
            Principal p = r.session().principal();
            if (!p.role().allows(role)) {
                errorPage(ctx, 403, "Not allowed", "This page needs the " + role.display() + " role; you are signed in as "
                        + p.name() + " (" + p.role().display() + ").", p, r.session().csrfSecret());
                return;
            }
            page.handle(new ConsoleContext(this, ctx, p, r.session().csrfSecret()));
        } catch (Forbidden e) {
            errorPage(ctx, 403, "Not allowed", e.getMessage());
        } catch (NotFound e) {
            errorPage(ctx, 404, "Not found", e.getMessage());
        } catch (MultipartForm.TooLarge e) {
            tooLarge(ctx, maxBytes);
        } catch (Exception e) {
            failed(ctx, e);
        } finally {
            MultipartForm.clearIfRead(ctx);
        }
    }

    /**
     * A server-sent-events stream: the session and role are checked as for a page (a stream carries no form, so no
     * CSRF token), but a refusal is a bare status for the browser's EventSource (401: sign in again, 403), never
     * a redirect to an HTML page it cannot show. A browser reconnecting after a server restart brings its cookie
     * and is let in again: sessions live in the database.
     */
    private void stream(Context ctx, Role role, ConsoleStream stream) {
        headers(ctx);
        try {
            String cookie = ctx.cookie(SESSION_COOKIE);
            Resumed r = services.sessions().resume(cookie);
            if (!r.ok()) {
                ctx.status(401).contentType("text/plain; charset=utf-8").result("sign in again");
                return;
            }
            Principal p = r.session().principal();
            if (!p.role().allows(role)) {
                ctx.status(403).contentType("text/plain; charset=utf-8").result("this needs the " + role.display() + " role");
                return;
            }
            ConsoleEvents.Request req = new ConsoleEvents.Request(p, Map.copyOf(ctx.pathParamMap()), ctx.queryParamMap(), cookie);
            stream.check(req);
            new io.javalin.http.sse.SseHandler(0, client -> {
                client.keepAlive();
                try {
                    stream.open(new ConsoleEvents(this, client, req));
                } catch (Exception e) {
                    LOG.error("console stream {} failed: {}", ctx.path(), e.getClass().getSimpleName());
                    client.close();
                }
            }).handle(ctx);
        } catch (NotFound e) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result(e.getMessage());
        } catch (Exception e) {
            LOG.error("console stream {} failed: {}", ctx.path(), e.getClass().getSimpleName());
            ctx.status(500).contentType("text/plain; charset=utf-8").result("the stream could not be opened");
        }
    }

    /** Whether the session {@code cookie} names is still open and allows {@code role} (streams check again now and then). */
    boolean sessionAllows(String cookie, Role role) {
        Resumed r = services.sessions().resume(cookie);
        return r.ok() && r.session().principal().role().allows(role);
    }

    /** A template rendered on its own (no layout, no request) with these params, for a stream's event. */
    String renderToString(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        return out.toString();
    }

    private void failed(Context ctx, Exception e) {
        // the class and the path only: a message could quote input
        LOG.error("console page {} {} failed: {}", ctx.method(), ctx.path(), e.getClass().getSimpleName());
        errorPage(ctx, 500, "Something went wrong", "The page could not be shown. The server's log says more.");
    }

    static boolean unsafe(Context ctx) {
        String m = ctx.method().name();
        return !(m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS"));
    }

    private static String csrfGiven(Context ctx, int maxBytes) throws java.io.IOException {
        String h = ctx.header(CSRF_HEADER);
        if (h != null) {
            return h;
        }
        // an upload is parsed here, in memory, never by the container (which would write its file part to disk)
        return MultipartForm.is(ctx) ? MultipartForm.of(ctx, maxBytes).field(CSRF_FIELD) : ctx.formParam(CSRF_FIELD);
    }

    private boolean bodyTooLarge(Context ctx) {
        return bodyTooLarge(ctx, MAX_FORM_BYTES);
    }

    private boolean bodyTooLarge(Context ctx, int maxBytes) {
        if (unsafe(ctx) && ctx.req().getContentLengthLong() > maxBytes) {
            tooLarge(ctx, maxBytes);
            return true;
        }
        return false;
    }

    private void tooLarge(Context ctx, int maxBytes) {
        ctx.header("Connection", "close");
        errorPage(ctx, 413, "Too large", maxBytes == MAX_FORM_BYTES ? "A console form is at most " + (MAX_FORM_BYTES >> 10) + " KiB."
                : "An upload here is at most " + (maxBytes >> 20) + " MiB.");
    }

    /** What every console answer carries: pages are not cached, framed, sniffed, or told where they came from. */
    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }

    private void toSignIn(Context ctx, ConsoleSessions.Ended ended) {
        if (ctx.cookie(SESSION_COOKIE) != null) {
            clearCookie(ctx, SESSION_COOKIE);
        }
        String to = "/console/sign-in" + switch (ended) {
            case EXPIRED -> "?ended=expired";
            case REVOKED -> "?ended=revoked";
            case NONE -> "";
        };
        redirect(ctx, to);
    }

    void redirect(Context ctx, String path) {
        if ("true".equals(ctx.header("HX-Request"))) {
            ctx.header("HX-Redirect", path); // htmx follows this with a whole-page load
            ctx.status(204);
            return;
        }
        ctx.header("Location", path);
        ctx.status(unsafe(ctx) ? 303 : 302);
    }

    // ---- sign-in and sign-out --------------------------------------------------------------------------------

    private void signInPage(Context ctx) {
        headers(ctx);
        try {
            Resumed r = services.sessions().resume(ctx.cookie(SESSION_COOKIE));
            if (r.ok()) {
                redirect(ctx, home(r.session().principal().role()));
                return;
            }
            String ended = ctx.queryParam("ended");
            String message = ended == null ? null : switch (ended) {
                case "expired" -> "Your session has expired: sign in again.";
                case "revoked" -> "The token of your session has been revoked: sign in with another one.";
                case "signed-out" -> "You have signed out.";
                default -> null;
            };
            signInForm(ctx, 200, message, false);
        } catch (Exception e) {
            failed(ctx, e);
        }
    }

    private void signInForm(Context ctx, int status, String message, boolean error) {
        render(ctx, status, "sign_in.jte", frame(ctx, "Sign in", null, presession(ctx)),
                new SignInModel(message, error));
    }

    /** The sign-in page's model: a message to show (null: none), and whether it is an error. */
    public record SignInModel(String message, boolean error) {
    }

    private void signIn(Context ctx) {
        headers(ctx);
        try {
            if (bodyTooLarge(ctx) || !presessionMatches(ctx)) {
                return;
            }
            Opened o;
            try {
                o = services.sessions().signIn(ctx.formParam("token"));
            } catch (Refused e) {
                signInForm(ctx, 401, e.getMessage(), true);
                return;
            }
            startSession(ctx, o);
        } catch (Exception e) {
            failed(ctx, e);
        }
    }

    private void startSession(Context ctx, Opened o) {
        long seconds = Math.max(0, Duration.between(clock.instant(), o.session().expiresAt()).toSeconds());
        setCookie(ctx, SESSION_COOKIE, o.sessionId(), seconds);
        clearCookie(ctx, PRESESSION_COOKIE);
        redirect(ctx, home(o.session().principal().role()));
    }

    private void signOut(ConsoleContext c) {
        services.sessions().signOut(c.http().cookie(SESSION_COOKIE));
        clearCookie(c.http(), SESSION_COOKIE);
        redirect(c.http(), "/console/sign-in?ended=signed-out");
    }

    private void oncePage(Context ctx) {
        headers(ctx);
        try {
            if (!services.sessions().codeUsable(ctx.pathParam("code"))) {
                errorPage(ctx, 410, "Link used or expired", "This sign-in link has been used or has expired: ask for a new "
                        + "one, or sign in with a token.");
                return;
            }
            // a confirm button, not a sign-in on GET: a mail or chat client that fetches the link must not use it up
            render(ctx, 200, "sign_in_once.jte", frame(ctx, "Sign in", null, presession(ctx)), ctx.path());
        } catch (Exception e) {
            failed(ctx, e);
        }
    }

    private void once(Context ctx) {
        headers(ctx);
        try {
            if (bodyTooLarge(ctx) || !presessionMatches(ctx)) {
                return;
            }
            Opened o;
            try {
                o = services.sessions().signInWithCode(ctx.pathParam("code"));
            } catch (Refused e) {
                errorPage(ctx, 410, "Link used or expired", e.getMessage());
                return;
            }
            startSession(ctx, o);
        } catch (Exception e) {
            failed(ctx, e);
        }
    }

    /** Where a role starts: the station screen for an operator, the line for the others. */
    public static String home(Role role) {
        return role == Role.OPERATOR ? Nav.STATIONS.path() : Nav.LINE.path();
    }

    private String presession(Context ctx) {
        String v = ctx.cookie(PRESESSION_COOKIE);
        if (v == null || v.length() != 43) {
            v = randomToken();
            setCookie(ctx, PRESESSION_COOKIE, v, 3600);
        }
        return v;
    }

    private boolean presessionMatches(Context ctx) {
        String cookie = ctx.cookie(PRESESSION_COOKIE);
        String given = ctx.formParam(CSRF_FIELD);
        if (cookie == null || given == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            errorPage(ctx, 403, "Refused", "This form was sent without its security token (an old page, or another site). "
                    + "Nothing was done: open the sign-in page again.");
            return false;
        }
        return true;
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---- cookies ---------------------------------------------------------------------------------------------

    /** HttpOnly, SameSite=Strict, only under /console; Secure when the request came over TLS. */
    private static void setCookie(Context ctx, String name, String value, long maxAgeSeconds) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/console; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (ctx.req().isSecure() ? "; Secure" : ""));
    }

    private static void clearCookie(Context ctx, String name) {
        setCookie(ctx, name, "", 0);
    }

    void flash(Context ctx, String message) {
        setCookie(ctx, FLASH_COOKIE, URLEncoder.encode(message, StandardCharsets.UTF_8), 60);
    }

    private static String takeFlash(Context ctx) {
        String v = ctx.cookie(FLASH_COOKIE);
        if (v == null || v.isEmpty()) {
            return null;
        }
        clearCookie(ctx, FLASH_COOKIE);
        String m = URLDecoder.decode(v, StandardCharsets.UTF_8);
        return m.length() > 300 ? m.substring(0, 300) : m;
    }

    // ---- rendering -------------------------------------------------------------------------------------------

    PageFrame frame(Context ctx, String title, Principal principal, String csrf) {
        return new PageFrame(title, principal, csrf, principal == null ? List.of() : Nav.visibleTo(principal.role(), ctx.path()),
                takeFlash(ctx), assets);
    }

    void render(Context ctx, int status, String template, PageFrame frame, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, Map.of("page", frame, "model", model == null ? "" : model), out);
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(out.toString());
    }

    void fragment(Context ctx, String template, PageFrame frame, Object model) {
        render(ctx, 200, template, frame, model);
    }

    /** The model of the error page. */
    public record ErrorModel(int status, String heading, String message) {
    }

    private void errorPage(Context ctx, int status, String heading, String message) {
        errorPage(ctx, status, heading, message, null, null);
    }

    private void errorPage(Context ctx, int status, String heading, String message, Principal p, String csrf) {
        render(ctx, status, "error.jte", frame(ctx, heading, p, csrf), new ErrorModel(status, heading, message));
    }

    private void asset(Context ctx) {
        var a = assets.at(ctx.pathParam("hash"), ctx.pathParam("name"));
        ctx.header("X-Content-Type-Options", "nosniff");
        if (a.isEmpty()) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("no such asset");
            return;
        }
        ctx.header("Cache-Control", ConsoleAssets.CACHE);
        ctx.contentType(a.get().contentType());
        ctx.result(a.get().bytes());
    }

    /** The pages every role has: home, which sends each role to its start page. */
    private static final class HomePages implements ConsolePages {
        @Override
        public void register(ConsoleRoutes routes) {
            routes.get("/console/", Role.OPERATOR, c -> c.redirect(home(c.principal().role())));
        }
    }
}
