package io.lorafab.api.model;

/** One audit record; {@code details} is free text. */
public record AuditEntry(long id, String at, String actor, String action, String subject, String details) {
}
