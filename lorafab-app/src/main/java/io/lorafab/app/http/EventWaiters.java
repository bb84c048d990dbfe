package io.lorafab.app.http;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.RadioEvent;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Long-poll requests for radio events, parked without a thread each. One thread answers them: at once for a
 * device whose event was just recorded in this process, every {@value #SWEEP_MS} ms for events another server
 * process recorded in the same database, and with what there is (often nothing) when a request's wait ends.
 */
final class EventWaiters implements AutoCloseable {
    static final long SWEEP_MS = 250;

    private record Waiter(Eui64 devEui, long afterId, int limit, long deadlineNanos, CompletableFuture<List<RadioEvent>> result) {
    }

    private final JoinStore store;
    private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();
    private final Set<Eui64> woken = ConcurrentHashMap.newKeySet();
    private volatile boolean wakeAll;
    private volatile boolean running = true;
    private final Thread thread;

    EventWaiters(JoinStore store) {
        this.store = store;
        this.thread = new Thread(this::loop, "lorafab-event-waiters");
        thread.setDaemon(true);
        thread.start();
    }

    /** Events of {@code devEui} (null: any device) after {@code afterId}, as soon as there are some or after {@code waitMs}. */
    CompletableFuture<List<RadioEvent>> await(Eui64 devEui, long afterId, int limit, long waitMs) {
        CompletableFuture<List<RadioEvent>> f = new CompletableFuture<>();
        if (!running) {
            f.complete(List.of());
            return f;
        }
        waiting.add(new Waiter(devEui, afterId, limit, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs), f));
        LockSupport.unpark(thread);
        return f;
    }

    /** An event was recorded in this process: answer its device's waiters now. */
    void wake(RadioEvent e) {
        if (e.devEui() == null) {
            wakeAll = true;
        } else {
            woken.add(e.devEui());
        }
        LockSupport.unpark(thread);
    }

    private void loop() {
        long nextSweep = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            boolean sweep = now - nextSweep >= 0 || wakeAll;
            if (sweep) {
                nextSweep = now + TimeUnit.MILLISECONDS.toNanos(SWEEP_MS);
                wakeAll = false;
            }
            Set<Eui64> hot = new HashSet<>(woken);
            woken.removeAll(hot);
            long nearest = nextSweep;
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
                Waiter w = it.next();
                boolean due = now - w.deadlineNanos() >= 0;
                if (!(due || sweep || w.devEui() == null || hot.contains(w.devEui()))) {
                    nearest = Math.min(nearest, w.deadlineNanos());
                    continue;
                }
                try {
                    List<RadioEvent> found = store.events(w.devEui(), w.afterId(), w.limit());
                    if (!found.isEmpty() || due) {
                        it.remove();
                        w.result().complete(found);
                        continue;
                    }
                } catch (RuntimeException e) {
                    it.remove();
                    w.result().completeExceptionally(e);
                    continue;
                }
                nearest = Math.min(nearest, w.deadlineNanos());
            }
            long park = nearest - System.nanoTime();
            if (park > 0) {
                LockSupport.parkNanos(this, park);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Waiter w;
        while ((w = waiting.poll()) != null) {
            w.result().complete(List.of());
        }
    }
}
