package io.lorafab.joinserver;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/** A sliding-window limit of events per key (at most {@code limit} in any {@code window}), on an injected clock. */
public final class RateLimiter {
    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<Object, Deque<Long>> seen = new ConcurrentHashMap<>();

    public RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Counts one event for {@code key}; false when that exceeds the limit (the event is then not counted). */
    public boolean tryAcquire(Object key) {
        if (limit <= 0 || key == null) {
            return true;
        }
        long now = clock.millis();
        Deque<Long> q = seen.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst() <= now - windowMillis) {
                q.pollFirst();
            }
            if (q.size() >= limit) {
                return false;
            }
            q.addLast(now);
            return true;
        }
    }
}
