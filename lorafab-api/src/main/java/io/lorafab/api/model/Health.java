package io.lorafab.api.model;

/** {@code GET /api/health}: {@code status} is "ok"; {@code database} the dialect in lower case ("sqlite", "postgresql"). */
public record Health(String status, String database) {
}
