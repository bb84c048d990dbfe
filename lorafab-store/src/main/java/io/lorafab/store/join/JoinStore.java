package io.lorafab.store.join;

import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The join server's durable state: DevNonces seen, JoinNonce counters, DevAddr allocation, sessions and the
 * radio event log. Failures are {@link io.lorafab.store.StoreException}s with the join rejection codes.
 */
public interface JoinStore {

    /**
     * One atomic step: checks the DevNonce by the device's rules (1.0.0-1.0.3: never seen before, else
     * {@code dev_nonce_reused}; 1.0.4 and 1.1: greater than the last, else {@code dev_nonce_too_small}) and
     * records it, advances the JoinNonce (refusing to pass 2^24-1: {@code join_nonce_exhausted}), picks a free
     * random DevAddr under {@code netId} unless {@code devAddr} is given, stores the session {@code build} makes from
     * the grant, and records the event {@code event} makes from the grant (null for none). Either all of it is
     * committed or none; two servers given the same join-request grant it once.
     */
    default JoinCommit commitJoin(Eui64 devEui, MacVersion version, DevNonce devNonce, NetId netId, DevAddr devAddr,
            Function<JoinGrant, NewSession> build, Function<JoinGrant, RadioEvent> event) {
        return commitJoin(devEui, version, devNonce, netId, devAddr, build, event, null);
    }

    /** As {@link #commitJoin(Eui64, MacVersion, DevNonce, NetId, DevAddr, Function, Function)}, also appending {@code audit} (null: none). */
    JoinCommit commitJoin(Eui64 devEui, MacVersion version, DevNonce devNonce, NetId netId, DevAddr devAddr,
            Function<JoinGrant, NewSession> build, Function<JoinGrant, RadioEvent> event, JoinAudit audit);

    /**
     * {@link #commitJoin(Eui64, MacVersion, DevNonce, NetId, DevAddr, Function, Function, JoinAudit)} without holding the
     * caller's thread while the disk syncs: the future completes with the same {@link JoinCommit} once the join is
     * durable, or exceptionally with the same {@link io.lorafab.store.StoreException}. The same guarantees: nothing of
     * the join is visible or sent before it completes. {@code build} and {@code event} run on the store's thread.
     */
    default java.util.concurrent.CompletableFuture<JoinCommit> commitJoinAsync(Eui64 devEui, MacVersion version, DevNonce devNonce,
            NetId netId, DevAddr devAddr, Function<JoinGrant, NewSession> build, Function<JoinGrant, RadioEvent> event, JoinAudit audit) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(commitJoin(devEui, version, devNonce, netId, devAddr, build,
                    event, audit));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Read-only: refuses {@code devNonce} as {@link #commitJoin} would at this moment ({@code dev_nonce_reused},
     * {@code dev_nonce_too_small}), and changes nothing. It lets the join server turn a replayed join-request away
     * before it counts toward the device's join limit; {@link #commitJoin} still checks atomically, so two
     * requests passing this check at once are granted at most once.
     *
     * @return the last JoinNonce granted to the device (0 before its first join), read at the same moment: the join
     *     server derives the session keys for the next one ahead of the commit, which usually grants exactly that
     */
    long checkDevNonce(Eui64 devEui, MacVersion version, DevNonce devNonce);

    Optional<Session> latestSessionByDevAddr(DevAddr devAddr);

    Optional<Session> sessionByKeyId(String sessionKeyId);

    Optional<Session> latestSession(Eui64 devEui);

    /** Records a verified uplink frame counter; false when it is not above the last one (replay). */
    boolean advanceFCntUp(long sessionId, long fCnt32);

    /**
     * Takes the session's next downlink frame counter (1.0 FCntDown, 1.1 AFCntDown: the join server sends application
     * downlinks only) and advances it, atomically and durably before it returns, so that no two downlinks of a session
     * ever share a counter, across restarts and server instances. Empty when there is no such session.
     */
    java.util.OptionalLong takeFCntDown(long sessionId);

    RadioEvent record(RadioEvent event);

    /**
     * {@link #record} without holding the caller's thread: the future completes with the stored event once it is
     * durable (or with the failure).
     */
    default java.util.concurrent.CompletableFuture<RadioEvent> recordAsync(RadioEvent event) {
        return java.util.concurrent.CompletableFuture.completedFuture(record(event));
    }

    /** Events after {@code afterId}, oldest first; {@code devEui} null for all devices. */
    List<RadioEvent> events(Eui64 devEui, long afterId, int limit);

    /**
     * Forgets the DevNonces of a device that lost its non-volatile memory (the JoinNonce never goes back) and
     * writes the audit entry ({@code unit.reset_nonces} by {@code actor}) in the same transaction.
     */
    void resetDevNonces(Eui64 devEui, String actor);

    /** The last JoinNonce granted (0 before the first join) and the last DevNonce, if any. */
    Optional<long[]> joinState(Eui64 devEui);
}
