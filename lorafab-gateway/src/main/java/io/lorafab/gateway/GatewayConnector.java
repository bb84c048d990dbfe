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

    /**
     * Sends one class-A downlink planned for both receive windows through {@code gatewayEui}: {@code rx1} and, if the
     * gateway does not send that one, {@code rx2}. The planning (which gateway, which frequencies, data rates and
     * times) is the caller's ({@link JoinAcceptScheduler}, {@link DownlinkPlanner}); a transport only decides how the
     * two reach the gateway. The default sends RX1, waits for the gateway's answer and sends RX2 when RX1 was
     * refused (or not answered, with {@code fallbackOnTimeout}) — what a packet forwarder needs. A transport whose
     * gateway picks the window itself (Basics Station) sends both in one message.
     *
     * <p>Never throws; fails the future as {@link #send} does.
     */
    default CompletableFuture<DownlinkResult> sendClassA(Eui64 gatewayEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout) {
        return JoinAcceptScheduler.rx1ThenRx2(this, gatewayEui, rx1, rx2, fallbackOnTimeout);
    }

    /**
     * {@link #sendClassA(Eui64, Eui64, Txpk, Txpk, boolean)} for a data downlink to the device {@code devEui}: a transport
     * whose gateway reports a transmission only for a named device (Basics Station's {@code dntxed}, sent for a
     * {@code dnmsg} whose {@code DevEui} is not zero) names it; the others ignore it. A join-accept names its device by
     * the join-request the transport has seen, so it needs none.
     */
    default CompletableFuture<DownlinkResult> sendClassA(Eui64 gatewayEui, Eui64 devEui, Txpk rx1, Txpk rx2,
            boolean fallbackOnTimeout) {
        return sendClassA(gatewayEui, rx1, rx2, fallbackOnTimeout);
    }

    /** {@link #send(Eui64, Txpk)} of a data downlink to {@code devEui}, named for the same reason as in sendClassA. */
    default CompletableFuture<TxResult> send(Eui64 gatewayEui, Eui64 devEui, Txpk txpk) {
        return send(gatewayEui, txpk);
    }

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
