package io.lorafab.store.model;

import java.time.Instant;

/** One line of the append-only audit log: who did what to which subject, when. */
public record AuditEvent(long id, Instant at, String actor, String action, String subject, String details) {
}
