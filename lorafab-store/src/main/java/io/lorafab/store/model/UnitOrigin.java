package io.lorafab.store.model;

/**
 * How a unit's identity came to be: allocated from an EUI block, scanned from a pre-printed label, added/imported
 * with its keys, or registered by {@code lorafab sim joins} for a load test (only those may be removed again).
 */
public enum UnitOrigin {
    ALLOCATED, SCANNED, ADDED, IMPORTED, SIMULATED
}
