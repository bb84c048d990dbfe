package io.lorafab.joinserver;

import io.lorafab.store.join.RadioEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans recorded radio events out to subscribers in this process (long-poll waiters, the MQTT publisher). A
 * subscriber that throws is skipped for that event; it never affects the join.
 */
public final class EventBus {
    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());
    private final List<Consumer<RadioEvent>> subscribers = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<RadioEvent> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<RadioEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    public void publish(RadioEvent e) {
        for (Consumer<RadioEvent> s : subscribers) {
            try {
                s.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "event subscriber failed: " + ex);
            }
        }
    }
}
