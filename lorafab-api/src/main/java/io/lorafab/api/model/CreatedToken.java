package io.lorafab.api.model;

/** {@code POST /api/tokens}: the new token and, this once, its secret. */
public record CreatedToken(long id, String name, String role, boolean active, String createdAt, String revokedAt, String token) {

    /** Without the secret. */
    @Override
    public String toString() {
        return "CreatedToken[" + id + ", " + name + ", " + role + ", token=redacted]";
    }
}
