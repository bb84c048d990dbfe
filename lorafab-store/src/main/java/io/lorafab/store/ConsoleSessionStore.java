package io.lorafab.store;

import io.lorafab.store.model.ConsoleSession;
import io.lorafab.store.model.SignInCode;
import java.time.Instant;
import java.util.Optional;

/**
 * Web console sessions and one-time sign-in codes, held by the hash of their secret only. The rules (expiry,
 * single use, the token still active) are the {@code ConsoleSessions} service's; this store keeps rows.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 */
public interface ConsoleSessionStore {

    void insertConsoleSession(ConsoleSession session);

    Optional<ConsoleSession> consoleSession(String idHash);

    /** Records a use of the session; false if it is gone. */
    boolean touchConsoleSession(String idHash, Instant lastSeen);

    /** Ends one session; false if there was none. */
    boolean deleteConsoleSession(String idHash);

    /** Ends every session opened with this token; how many there were. */
    int deleteConsoleSessionsOfToken(long tokenId);

    /** Deletes sessions past their end or unused since {@code idleBefore}, and codes expired before {@code now}. */
    int purgeConsoleSessions(Instant now, Instant idleBefore);

    void insertSignInCode(SignInCode code);

    Optional<SignInCode> signInCode(String codeHash);

    /** Marks the code used at {@code at} if it was not yet; true only for the one call that did (single use under races). */
    boolean useSignInCode(String codeHash, Instant at);
}
