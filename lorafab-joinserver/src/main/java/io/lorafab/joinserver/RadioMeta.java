package io.lorafab.joinserver;

import io.lorafab.lorawan.types.Eui64;

/**
 * How a frame was heard, by its best gateway: the gateway, RSSI (dBm), SNR (dB), frequency (Hz), data rate as
 * the packet forwarder writes it ("SF7BW125"), the gateway's µs counter, and how many gateways heard it.
 */
public record RadioMeta(Eui64 gatewayEui, int rssi, double snr, long frequencyHz, String datr, long tmst, int gateways) {
}
