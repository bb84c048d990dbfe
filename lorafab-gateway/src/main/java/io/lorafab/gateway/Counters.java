package io.lorafab.gateway;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Named event counters, thread-safe. */
final class Counters {
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Adds one and returns the new count. */
    long increment(String name) {
        return counts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    /** Adds {@code n}. */
    void add(String name, long n) {
        counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    }

    long get(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    /** A sorted snapshot. */
    Map<String, Long> snapshot() {
        TreeMap<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return Collections.unmodifiableMap(out);
    }
}
