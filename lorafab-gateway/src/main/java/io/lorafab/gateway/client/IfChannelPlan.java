package io.lorafab.gateway.client;

import java.util.List;
import java.util.Optional;

/**
 * Which concentrator IF channel ({@code chan}) and RF chain ({@code rfch}) hear a frequency: the channel
 * configuration of an SX1301 packet forwarder's {@code global_conf.json}. {@link #EU868} is the reference
 * forwarder's default EU868 configuration: radio 0 centred on 867.5 MHz, radio 1 on 868.5 MHz; multi-SF
 * channels 0-2 on radio 1 at 868.1/868.3/868.5 MHz (the LoRaWAN default channels), 3-7 on radio 0 at
 * 867.1-867.9 MHz; channel 8 the single-SF 250 kHz LoRa channel at 868.3 MHz and channel 9 the FSK channel at
 * 868.8 MHz, both on radio 1.
 */
public record IfChannelPlan(List<Channel> channels) {

    /** One IF channel: its index, the radio it is on, its centre frequency and bandwidth (0 for FSK). */
    public record Channel(int chan, int rfch, long frequencyHz, int loraBandwidthHz) {
    }

    public static final IfChannelPlan EU868 = new IfChannelPlan(List.of(
            new Channel(0, 1, 868_100_000L, 125_000),
            new Channel(1, 1, 868_300_000L, 125_000),
            new Channel(2, 1, 868_500_000L, 125_000),
            new Channel(3, 0, 867_100_000L, 125_000),
            new Channel(4, 0, 867_300_000L, 125_000),
            new Channel(5, 0, 867_500_000L, 125_000),
            new Channel(6, 0, 867_700_000L, 125_000),
            new Channel(7, 0, 867_900_000L, 125_000),
            new Channel(8, 1, 868_300_000L, 250_000),
            new Channel(9, 1, 868_800_000L, 0)));

    public IfChannelPlan {
        channels = List.copyOf(channels);
    }

    /** The channel that receives LoRa at {@code frequencyHz} with {@code bandwidthHz}, if the plan has one. */
    public Optional<Channel> lora(long frequencyHz, int bandwidthHz) {
        return channels.stream().filter(c -> c.frequencyHz() == frequencyHz && c.loraBandwidthHz() == bandwidthHz).findFirst();
    }
}
