package io.lorafab.store.model;

import java.time.Instant;

/** A one-time console sign-in code as stored: the SHA-256 (hex) of the code, its token, its expiry, and when it was used. */
public record SignInCode(String codeHash, long tokenId, Instant createdAt, Instant expiresAt, Instant usedAt) {
    @Override
    public String toString() {
        return "SignInCode[token " + tokenId + ", expires " + expiresAt + (usedAt == null ? "" : ", used " + usedAt) + "]";
    }
}
