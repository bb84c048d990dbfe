package io.lorafab.store.model;

import io.lorafab.lorawan.types.Eui64;
import java.time.Instant;

/**
 * A range of DevEUIs a product may use, inside the maker's IEEE assignment: {@code size} EUIs from
 * {@code first}; {@code nextIndex} of them have been handed out, in order, never twice.
 */
public record EuiBlock(long id, String name, Long productId, Assignment assignment, String prefix, Eui64 first,
        long size, long nextIndex, Instant createdAt) {

    public Eui64 last() {
        return Eui64.of(first.value() + size - 1);
    }

    public long remaining() {
        return size - nextIndex;
    }

    public Eui64 at(long index) {
        return Eui64.of(first.value() + index);
    }
}
