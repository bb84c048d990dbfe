package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.types.Eui64;
import java.util.concurrent.CompletableFuture;

/**
 * The transport seam between the join server and its gateways: uplinks in (deduplicated across gateways),
 * downlinks out. {@link SemtechUdpConnector} speaks the Semtech UDP protocol; a simulator can implement this
 * in-process.
 *
 * <p>Implementations are thread-safe: {@link #send} may be called from any thread.
 */
public interface GatewayConnector extends AutoCloseable {

    /**
     * Starts receiving; every distinct frame then reaches {@code listener} once, with all its receptions.
     *
     * @throws IllegalStateException if already started or closed
     * @throws java.io.UncheckedIOException if the transport cannot be opened (e.g. the port is taken)
     */
    void start(UplinkListener listener);

    /**
     * Hands {@code txpk} to the gateway. The future completes with the gateway's answer ({@link TxResult} with
     * {@link io.lorafab.gateway.semtech.TxAckError#NONE} when accepted, another error when refused), with a
     * {@link TxResult.Status#TIMEOUT} result when the gateway does not answer in time, or exceptionally with
     * {@link GatewayUnavailableException} when there is no route to the gateway (or the connector is closed),
     * or with {@link java.io.UncheckedIOException} when the transport cannot send it. Never throws.
     *
     * <p>The future may be completed on one of the connector's threads: dependent actions must be quick.
     */
    CompletableFuture<TxResult> send(Eui64 gatewayEui, Txpk txpk);

    /** The gateways heard so far (live view of immutable snapshots). */
    GatewayRegistry gateways();

    /**
     * Stops receiving and releases the transport. Sends still waiting for an answer complete exceptionally
     * with {@link GatewayUnavailableException}; frames still in the deduplication window are dropped.
     * Idempotent.
     */
    @Override
    void close();
}
