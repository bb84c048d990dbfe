package io.lorafab.console;

import io.lorafab.api.model.StationSeen;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.service.LineEvents;
import io.lorafab.provisioning.service.LineReports;
import io.lorafab.provisioning.service.StationSteps;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line operator's view: {@code /console/stations} lists the stations seen lately; {@code /console/stations/{id}}
 * is one station's full-window screen, kept live by {@code /console/stations/{id}/events} (server-sent events, each
 * the screen re-rendered). A change ({@link LineEvents}: a unit committed, a step reported, a radio event of the unit
 * on the screen) is pushed at most every {@value #COALESCE_MS} ms per station; a comment every {@value #HEARTBEAT_S} s
 * keeps the connection inside the server's idle timeout. The screen is always read again from the services, so a
 * browser reconnecting after a restart gets the whole current state as its first event.
 */
public final class StationsPage implements ConsolePages, LineEvents.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StationsPage.class);
    static final long COALESCE_MS = 250;
    static final long HEARTBEAT_S = 5;
    /** Every this many heartbeats the stream's session is checked again (a revoked token ends the screen). */
    static final int SESSION_CHECK_EVERY = 6;
    /** Stations listed: those active within this window. */
    static final Duration LISTED_WITHIN = Duration.ofHours(24);

    private final LineReports reports;
    private final StationSteps steps;
    private final Clock clock;
    private final LineEvents events;

    private record Watcher(String station, String shift, ConsoleEvents out) {
    }

    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    /** The unit each watched station has on its screen: a radio event names a DevEUI, not a station. */
    private final Map<Eui64, String> onScreen = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** One thread renders and sends every event, in order: a browser never gets two at once. */
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lorafab-station-screens");
        t.setDaemon(true);
        return t;
    });
    private long beats;

    StationsPage(LineReports reports, StationSteps steps, LineEvents events, Clock clock) {
        this.reports = reports;
        this.steps = steps;
        this.clock = clock;
        this.events = events;
        events.subscribe(this);
        sender.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_S, HEARTBEAT_S, TimeUnit.SECONDS);
    }

    /** The page of the list and the open-by-id form. */
    public record ListModel(List<Link> stations, String error) {
    }

    public record Link(String stationId, String href, String lastActivity) {
    }

    /** The screen page: the screen and the address of its event stream. */
    public record ScreenModel(StationScreen screen, String events) {
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.get(Nav.STATIONS.path(), Nav.STATIONS.role(), c -> {
            String open = c.queryParam("id");
            if (open != null && !open.isBlank()) {
                String id = open.strip();
                if (id.length() <= 64 && id.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                    c.redirect(href(id));
                    return;
                }
                c.render(400, "stations.jte", "Stations", new ListModel(list(), "A station id is up to 64 printable characters "
                        + "without spaces."));
                return;
            }
            c.render("stations.jte", "Stations", new ListModel(list(), null));
        });
        routes.get(Nav.STATIONS.path() + "/{id}", Nav.STATIONS.role(), c -> {
            String id = c.pathParam("id");
            String shift = c.queryParam("shift");
            StationScreen screen;
            try {
                screen = screen(id, shift);
            } catch (StoreException e) {
                c.render(400, "error.jte", "Bad address", new Console.ErrorModel(400, "Bad address", e.getMessage()));
                return;
            }
            String events = href(id) + "/events" + (shift == null || shift.isBlank() ? ""
                    : "?shift=" + URLEncoder.encode(shift.strip(), StandardCharsets.UTF_8));
            c.render("station.jte", "Station " + id, new ScreenModel(screen, events));
        });
        routes.sse(Nav.STATIONS.path() + "/{id}/events", Nav.STATIONS.role(), new ConsoleStream() {
            @Override
            public void check(ConsoleEvents.Request req) {
                try {
                    screen(req.pathParam("id"), req.queryParam("shift"));
                } catch (StoreException e) {
                    throw new NotFound(e.getMessage());
                }
            }

            @Override
            public void open(ConsoleEvents out) {
                Watcher w = new Watcher(out.request().pathParam("id"), out.request().queryParam("shift"), out);
                watchers.computeIfAbsent(w.station(), k -> ConcurrentHashMap.newKeySet()).add(w);
                out.onClose(() -> forget(w));
                sender.execute(() -> send(w)); // the whole current state first
            }
        });
    }

    /** When the server stops: no more events taken, the sender thread ended (it would write to closed streams). */
    @Override
    public void close() {
        events.unsubscribe(this);
        sender.shutdownNow();
    }

    private List<Link> list() {
        Instant now = clock.instant();
        return reports.stations(now, LISTED_WITHIN).stream()
                .map((StationSeen s) -> new Link(s.stationId(), href(s.stationId()), s.lastActivity())).toList();
    }

    static String href(String stationId) {
        return Nav.STATIONS.path() + "/" + URLEncoder.encode(stationId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    StationScreen screen(String stationId, String shift) {
        Instant now = clock.instant();
        Instant since = AuditQuery.parseTime(shift, now, "shift");
        return StationScreen.of(reports.stationActivity(stationId, since, now), steps.latest(stationId), steps.positions(stationId));
    }

    // ---- live updates --------------------------------------------------------------------------------------

    @Override
    public void stationChanged(String stationId) {
        if (watchers.containsKey(stationId) && pending.add(stationId)) {
            sender.schedule(() -> flush(stationId), COALESCE_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void unitHeard(Eui64 devEui) {
        String station = onScreen.get(devEui);
        if (station != null) {
            stationChanged(station);
        }
    }

    private void flush(String stationId) {
        pending.remove(stationId);
        for (Watcher w : watchers.getOrDefault(stationId, Set.of())) {
            send(w);
        }
    }

    private void send(Watcher w) {
        try {
            StationScreen s = screen(w.station(), w.shift());
            if (s.panel().devEui() != null && s.panel().kind().equals("busy")) {
                onScreen.put(Eui64.parse(s.panel().devEui()), w.station());
            }
            if (!w.out().send("screen", w.out().render("station_screen.jte", Map.of("model", s)))) {
                forget(w);
            }
        } catch (RuntimeException e) {
            // the database briefly away: the next change or the browser's reconnect shows the screen again
            LOG.debug("station screen {} not sent: {}", w.station(), e.toString());
        }
    }

    private void heartbeat() {
        boolean checkSessions = ++beats % SESSION_CHECK_EVERY == 0;
        for (Set<Watcher> set : watchers.values()) {
            for (Watcher w : set) {
                try {
                    if (checkSessions && !w.out().stillAllowed(Nav.STATIONS.role())) {
                        w.out().close();
                        forget(w);
                    } else if (!w.out().heartbeat()) {
                        forget(w);
                    }
                } catch (RuntimeException e) {
                    LOG.debug("station screen heartbeat: {}", e.toString());
                    forget(w);
                }
            }
        }
    }

    private void forget(Watcher w) {
        Set<Watcher> set = watchers.get(w.station());
        if (set != null) {
            set.remove(w);
            if (set.isEmpty()) {
                watchers.remove(w.station(), set);
                onScreen.values().removeIf(w.station()::equals);
            }
        }
    }
}
