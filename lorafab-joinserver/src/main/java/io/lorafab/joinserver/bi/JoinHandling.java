package io.lorafab.joinserver.bi;

import io.lorafab.joinserver.JoinOverrides;
import io.lorafab.joinserver.JoinResult;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.store.join.JoinAudit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How {@link BackendInterfaces} has the join server handle a JoinReq's join-request: a future of the join's result,
 * failed with the {@link io.lorafab.joinserver.JoinRejection} or {@link io.lorafab.store.StoreException} that
 * {@link JoinServer#handle} would throw.
 *
 * <p>The seam exists so that a JoinReq need not hold an HTTP thread while its join waits for the group commit: with
 * a join server that completes the future after the commit, the number of JoinReqs that share one commit (one
 * fsync) is no longer capped by the number of HTTP handler threads.
 */
@FunctionalInterface
public interface JoinHandling {

    CompletableFuture<JoinResult> handle(byte[] phyPayload, Optional<JoinOverrides> overrides, JoinAudit audit);

    /**
     * Without holding the calling thread: {@link JoinServer#handleAsync}, whose future the join store completes on the one
     * thread that completes every join's commit; the rest of the answer (wrapping the session keys for the network
     * server, writing the JoinAns) is handed to {@code answers} so that it does not queue behind every other join there.
     */
    static JoinHandling async(JoinServer joinServer, java.util.concurrent.Executor answers) {
        return (phyPayload, overrides, audit) -> joinServer.handleAsync(phyPayload, null, overrides, audit)
                .whenCompleteAsync((result, failure) -> { }, answers); // only the thread changes: same result or failure
    }

    /** On the calling thread, which waits for the commit: the future is complete when this returns. */
    static JoinHandling blocking(JoinServer joinServer) {
        return (phyPayload, overrides, audit) -> {
            try {
                return CompletableFuture.completedFuture(joinServer.handle(phyPayload, null, overrides, audit));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }
}
