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
 * <li>{@link io.lorafab.sim.SimGateway}: the gateway devices, AT modules and load runs use, whatever it speaks to the
 * server.</li>
 * <li>{@link io.lorafab.sim.VirtualGateway}: a Semtech UDP packet forwarder whose downlinks are matched to
 * receptions by tmst, checked by the forwarder's TX queue rules ({@link io.lorafab.sim.TxQueue}: TOO_LATE,
 * TOO_EARLY, COLLISION_PACKET) and delivered at their tmst on its clock, or at once in compressed timing; with
 * keep-alive PULL_DATA and stat reports on a timer.</li>
 * <li>{@link io.lorafab.sim.VirtualBasicsStation}: a LoRa Basics Station (discovery, version, router_config,
 * jreq/updf, dnmsg timed from xtime in RX1 or RX2, dntxed, timesync, reconnect) over the JDK's websocket client.</li>
 * <li>{@link io.lorafab.sim.JoinLoadGenerator}: N devices through G gateways, joins/s and latency percentiles.</li>
 * </ul>
 *
 * <p>Limitations: the virtual gateway has one radio and no frequency or power checks (no TX_FREQ, TX_POWER),
 * no GPS (a downlink timed by tmms alone is answered GPS_UNLOCKED); devices send no MAC commands and ignore downlink data frames.
 */
package io.lorafab.sim;
