package io.lorafab.store.model;

import io.lorafab.store.StoreException;

/** What became of one {@link UnitReservation} in a batch: the committed unit, or why it was refused. */
public record ReservationOutcome(Unit unit, StoreException failure) {

    public ReservationOutcome {
        if ((unit == null) == (failure == null)) {
            throw new IllegalArgumentException("an outcome is either a unit or a failure");
        }
    }

    public static ReservationOutcome of(Unit unit) {
        return new ReservationOutcome(unit, null);
    }

    public static ReservationOutcome refused(StoreException failure) {
        return new ReservationOutcome(null, failure);
    }

    /** The unit, or the refusal thrown. */
    public Unit orThrow() {
        if (failure != null) {
            throw failure;
        }
        return unit;
    }
}
