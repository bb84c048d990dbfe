package io.lorafab.store.model;

/** How a unit's identity came to be: allocated from an EUI block, scanned from a pre-printed label, or added/imported with its keys. */
public enum UnitOrigin {
    ALLOCATED, SCANNED, ADDED, IMPORTED
}
