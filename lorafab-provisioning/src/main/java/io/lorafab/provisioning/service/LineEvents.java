package io.lorafab.provisioning.service;

import io.lorafab.lorawan.types.Eui64;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Something changed at station X" inside this process, for what shows a station live (the console's station
 * screen). It carries no data: a listener reads the current state again through the services, so a missed or
 * doubled signal costs a refresh, never a wrong screen. Fired by {@link Provisioning} once a unit's change is
 * committed, by {@link StationSteps} when a station reports a step, and for a unit's radio events (the join server's
 * events name a DevEUI, not a station: a listener that knows which unit a station holds maps it).
 *
 * <p>Listeners run on the caller's thread (a station's request, the join server's): they must only note the change
 * and return.
 */
public final class LineEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LineEvents.class);

    /** What a listener hears. */
    public interface Listener {
        /** Units or steps of {@code stationId} changed. */
        void stationChanged(String stationId);

        /** A radio event of unit {@code devEui} was recorded (join accepted, uplink verified, ...). */
        default void unitHeard(Eui64 devEui) {
        }
    }

    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Listener l) {
        listeners.add(l);
    }

    public void unsubscribe(Listener l) {
        listeners.remove(l);
    }

    public void stationChanged(String stationId) {
        if (stationId == null || listeners.isEmpty()) {
            return;
        }
        for (Listener l : listeners) {
            try {
                l.stationChanged(stationId);
            } catch (RuntimeException e) {
                // a screen's trouble must never fail the station's call that caused the change
                LOG.debug("line event listener failed: {}", e.toString());
            }
        }
    }

    public void unitHeard(Eui64 devEui) {
        if (devEui == null || listeners.isEmpty()) {
            return;
        }
        for (Listener l : listeners) {
            try {
                l.unitHeard(devEui);
            } catch (RuntimeException e) {
                LOG.debug("line event listener failed: {}", e.toString());
            }
        }
    }
}
