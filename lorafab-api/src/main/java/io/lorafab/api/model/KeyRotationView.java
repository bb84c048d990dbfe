package io.lorafab.api.model;

/** {@code POST /api/keys/rotate}: the new and previous KEK labels and how many key sets were re-wrapped (units, sessions). */
public record KeyRotationView(String label, String previous, long rewrapped, long units, long sessions) {
}
