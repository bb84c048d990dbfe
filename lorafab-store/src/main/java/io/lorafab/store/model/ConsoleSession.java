package io.lorafab.store.model;

import java.time.Instant;

/**
 * A web console session as stored: the SHA-256 (hex) of its id, never the id; the API token it was opened with;
 * the secret its forms carry against cross-site requests; when it was opened, last used, and when it ends at the
 * latest.
 */
public record ConsoleSession(String idHash, long tokenId, String csrfSecret, Instant createdAt, Instant lastSeenAt,
        Instant expiresAt) {
    @Override
    public String toString() {
        return "ConsoleSession[token " + tokenId + ", created " + createdAt + ", expires " + expiresAt + "]";
    }
}
