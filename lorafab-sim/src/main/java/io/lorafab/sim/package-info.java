/**
 * Virtual LoRaWAN end devices and gateways for tests and load runs.
 *
 * <ul>
 * <li>{@link io.lorafab.sim.DeviceNvm}: a device's flash (DevNonces, last JoinNonce, FCntUp, session) in a JSON
 * file, replaced atomically on every change.</li>
 * <li>{@link io.lorafab.sim.VirtualDevice}: join-request, join-accept checks and key derivation, data uplinks for
 * 1.0.2, 1.0.4 and 1.1.</li>
 * <li>{@link io.lorafab.sim.JoinBackoff} and {@link io.lorafab.sim.LoraAirtime}: the join-request duty cycle,
 * pure logic on an injected clock.</li>
 * <li>{@link io.lorafab.sim.VirtualGateway}: a Semtech UDP packet forwarder whose downlinks are matched to
 * receptions by tmst.</li>
 * <li>{@link io.lorafab.sim.JoinLoadGenerator}: N devices through G gateways, joins/s and latency percentiles.</li>
 * </ul>
 *
 * <p>Limitations: the virtual gateway sends PULL_DATA at {@link io.lorafab.sim.VirtualGateway#connect} and
 * on {@link io.lorafab.sim.VirtualGateway#keepAlive} (no timer of its own, no stat); devices send no MAC commands and ignore downlink data frames.
 */
package io.lorafab.sim;
