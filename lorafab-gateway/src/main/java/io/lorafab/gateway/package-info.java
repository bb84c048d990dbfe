/**
 * The gateway side of the join server: receiving uplinks from gateways and sending downlinks through them.
 *
 * <ul>
 * <li>{@link io.lorafab.gateway.GatewayConnector}: the transport seam (uplinks in, deduplicated; downlinks
 * out, answered with a {@link io.lorafab.gateway.TxResult}), implemented for the Semtech UDP packet
 * forwarder by {@link io.lorafab.gateway.SemtechUdpConnector}.</li>
 * <li>{@link io.lorafab.gateway.Deduplicator}: merges the receptions of one frame by several gateways; pure,
 * time passed in.</li>
 * <li>{@link io.lorafab.gateway.DownlinkPlanner}: RX1/RX2 txpk for a reception and a region; pure.</li>
 * <li>{@link io.lorafab.gateway.JoinAcceptScheduler}: RX1 with fallback to RX2.</li>
 * <li>{@link io.lorafab.gateway.GatewayRegistry}: what is known of each gateway, as immutable
 * {@link io.lorafab.gateway.GatewayState} snapshots.</li>
 * </ul>
 *
 * <p>A join server wires them like this:
 * <pre>{@code
 * SemtechUdpConnector connector = new SemtechUdpConnector(SemtechUdpConfig.defaults(), Clock.systemUTC());
 * JoinAcceptScheduler scheduler = new JoinAcceptScheduler(connector);
 * connector.start(uplink -> executor.execute(() -> {
 *     byte[] joinAccept = joinServer.handle(uplink.phyPayload());   // null if not a valid join-request
 *     if (joinAccept != null) {
 *         scheduler.scheduleJoinAccept(region, uplink, joinAccept)
 *                 .whenComplete((result, failure) -> log(result, failure));
 *     }
 * }));
 * }</pre>
 */
package io.lorafab.gateway;
