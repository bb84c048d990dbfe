package io.lorafab.store.join;

import java.util.function.Function;

/**
 * An audit record of a join, appended to the audit log in the join's own transaction, so that a join handed to a
 * network server is never without its record and costs no commit of its own. Its subject is the DevEUI.
 *
 * @param details made from the stored session (e.g. to name its SessionKeyID); never key material
 */
public record JoinAudit(String actor, String action, Function<Session, String> details) {
}
