package io.lorafab.store.join;

/** What a committed join stored: the session and the {@code join_accepted} event, both with their ids. */
public record JoinCommit(Session session, RadioEvent event) {
}
