package io.lorafab.app.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds{method, route, status}}: one timer record per answered request, the route
 * being the catalogue's template ({@code /api/orders/{ref}/reserve}), never the path asked for. A request that
 * matched no route is {@code NOT_FOUND} (404) or {@code METHOD_NOT_ALLOWED} (405); anything else outside the API's
 * routes (console assets, extensions) is {@code OTHER}. The timers of a route are kept in an array by status, so
 * that recording looks nothing up but the route's string.
 */
final class HttpMetrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Duration[] SLOS = {Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    /** By route ("POST /api/products"): timers by status. */
    private final ConcurrentHashMap<String, Timer[]> timers = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Javalin's request logger: after the answer was written (for a long-poll, when it was). */
    void record(Context ctx, ApiServer.Access access, Float millis) {
        int status = Math.max(0, Math.min(599, ctx.statusCode()));
        String route;
        if (access != null) {
            route = access.route();
        } else {
            String method = ctx.method().name();
            String word = status == 404 ? "NOT_FOUND" : status == 405 ? "METHOD_NOT_ALLOWED" : "OTHER";
            route = (METHODS.contains(method) ? method : "OTHER") + " " + word;
        }
        timer(route, status).record((long) (millis * 1_000_000.0), TimeUnit.NANOSECONDS);
    }

    /** A request of an API route served past Javalin ({@code ApiServer.CORE_ROUTES}), once its answer was written. */
    void record(int status, ApiServer.Access access, long nanos) {
        timer(access.route(), Math.max(0, Math.min(599, status))).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String route, int status) {
        Timer[] byStatus = timers.computeIfAbsent(route, r -> new Timer[600]);
        Timer t = byStatus[status];
        if (t == null) {
            // a benign race: the registry hands both threads the same timer
            int space = route.indexOf(' ');
            t = Timer.builder("http.server.requests").description("HTTP requests answered, by method, route template and status")
                    .tag("method", route.substring(0, space)).tag("route", route.substring(space + 1))
                    .tag("status", Integer.toString(status)).serviceLevelObjectives(SLOS).register(registry);
            byStatus[status] = t;
        }
        return t;
    }
}
