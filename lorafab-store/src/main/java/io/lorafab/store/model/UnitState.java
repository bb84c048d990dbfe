package io.lorafab.store.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a unit: RESERVED (identity and keys committed, not yet in a device) → PROGRAMMED (written and
 * read back) → PASSED or FAILED (end-of-line test). A FAILED unit may be re-programmed or re-tested (each
 * test appends a run); any unit not yet PASSED may be voided, and a PASSED one scrapped to VOID. VOID is
 * final: its DevEUI is never reused.
 */
public enum UnitState {
    RESERVED, PROGRAMMED, PASSED, FAILED, VOID;

    public Set<UnitState> next() {
        switch (this) {
            case RESERVED: return EnumSet.of(PROGRAMMED, FAILED, VOID);
            case PROGRAMMED: return EnumSet.of(PROGRAMMED, PASSED, FAILED, VOID);
            case FAILED: return EnumSet.of(PROGRAMMED, PASSED, FAILED, VOID);
            case PASSED: return EnumSet.of(VOID);
            default: return EnumSet.noneOf(UnitState.class);
        }
    }

    public boolean canMoveTo(UnitState target) {
        return next().contains(target);
    }
}
