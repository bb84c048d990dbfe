package io.lorafab.store.model;

import java.time.Instant;

/** An API token as stored: only the SHA-256 of the secret is kept. */
public record ApiToken(long id, String name, Role role, Instant createdAt, Instant revokedAt) {
}
