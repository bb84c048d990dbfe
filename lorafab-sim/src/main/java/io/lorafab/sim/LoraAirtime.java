package io.lorafab.sim;

import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Airtime;
import io.lorafab.lorawan.region.DataRate;
import io.lorafab.lorawan.region.Modulation;
import java.time.Duration;

/**
 * LoRa time on air of LoRaWAN uplinks (CRC on), in the simulator's terms: {@link Airtime} with the simulator's exception.
 */
public final class LoraAirtime {

    private LoraAirtime() {
    }

    /** Time on air of a PHYPayload of {@code payloadBytes} bytes at {@code sf} (7..12) and {@code bandwidthHz}. */
    public static Duration timeOnAir(int payloadBytes, int sf, int bandwidthHz) {
        try {
            return Airtime.lora(payloadBytes, sf, bandwidthHz, true);
        } catch (io.lorafab.lorawan.LorawanFormatException e) {
            throw new SimException(e.getMessage());
        }
    }

    /** Time on air of a join-request (23 bytes) at a LoRa data rate. */
    public static Duration joinRequest(DataRate dr) {
        if (dr.modulation() != Modulation.LORA) {
            throw new SimException("airtime: only LoRa data rates are supported, not " + dr);
        }
        return timeOnAir(JoinRequest.SIZE, dr.spreadingFactor(), dr.bandwidthHz());
    }
}
