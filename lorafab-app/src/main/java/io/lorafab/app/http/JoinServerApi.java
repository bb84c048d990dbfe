package io.lorafab.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.api.ApiRoutes;
import io.lorafab.api.model.EventPage;
import io.lorafab.api.model.NonceReset;
import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.RadioEvent;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Join-server endpoints: radio events (long-poll, parked without holding an HTTP worker) and the DevNonce reset
 * for a device that lost its memory.
 */
public final class JoinServerApi implements AutoCloseable {
    private static final long MAX_WAIT_MS = 30_000;

    private final Lorafab lf;
    private final ObjectMapper json;
    private final EventWaiters waiters;
    private final Consumer<RadioEvent> wake;

    public JoinServerApi(Lorafab lf, ObjectMapper json) {
        this.lf = lf;
        this.json = json;
        this.waiters = new EventWaiters(lf.joinStore());
        this.wake = waiters::wake;
        lf.events().subscribe(wake);
    }

    public void register(ApiServer s) {
        s.respond(ApiRoutes.EVENTS, (r, none) -> events(r));
        s.route(ApiRoutes.RESET_NONCES, (r, none) -> {
            Eui64 dev = Eui64.parse(r.path("devEui"));
            lf.registry().unit(dev).orElseThrow(() -> StoreException.notFound("unit " + dev));
            lf.joinStore().resetDevNonces(dev, r.actor()); // with its audit entry, in one transaction
            return new NonceReset(dev.toString(), true);
        });
    }

    /**
     * {@code GET /api/events?devEui=&after=ID&limit=&wait=SECONDS}: events after {@code after}, oldest first;
     * with {@code wait}, holds the request until at least one arrives or the wait ends (long-poll). Events
     * recorded by another server process on the same database are seen within a quarter second.
     */
    private HttpResponse events(HttpRequest r) throws IOException {
        Eui64 dev = r.query("devEui") == null ? null : Eui64.parse(r.query("devEui"));
        long after = r.query("after") == null ? 0 : ProvisioningApi.parseLong(r.query("after"), "after");
        int limit = ProvisioningApi.limit(r, 100, 1000);
        long waitMs = r.query("wait") == null ? 0 : Math.min(MAX_WAIT_MS, ProvisioningApi.parseLong(r.query("wait"), "wait") * 1000);
        List<RadioEvent> found = lf.joinStore().events(dev, after, limit);
        if (!found.isEmpty() || waitMs <= 0) {
            return page(found, after);
        }
        return HttpResponse.later(waiters.await(dev, after, limit, waitMs).thenApply(events -> {
            try {
                return page(events, after);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    private HttpResponse page(List<RadioEvent> found, long after) throws IOException {
        EventPage page = new EventPage(found.stream().map(ApiViews::event).toList(),
                found.isEmpty() ? after : found.get(found.size() - 1).id());
        return HttpResponse.json(200, json.writeValueAsBytes(page));
    }

    @Override
    public void close() {
        lf.events().unsubscribe(wake);
        waiters.close();
    }
}
