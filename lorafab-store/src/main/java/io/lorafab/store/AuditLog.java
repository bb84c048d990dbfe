package io.lorafab.store;

import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import java.util.List;

/**
 * The audit log: who did what to which subject, append-only.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface AuditLog {

    AuditEvent audit(String actor, String action, String subject, String details);

    /** The newest {@code limit} audit events, newest first. */
    default List<AuditEvent> auditLog(int limit) {
        return auditLog(AuditQuery.newest(limit));
    }

    /** The newest audit events that match {@code q} (filtered by the database), newest first. */
    List<AuditEvent> auditLog(AuditQuery q);
}
