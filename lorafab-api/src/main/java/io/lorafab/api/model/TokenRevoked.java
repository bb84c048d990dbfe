package io.lorafab.api.model;

/** {@code DELETE /api/tokens/{id}}. */
public record TokenRevoked(boolean revoked) {
}
