package io.lorafab.station.at;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The dialect names of the command line ({@code rak3172}, {@code lora-e5}, {@code rn2483}, {@code stm32wl-at},
 * {@code murata-abz}) mapped to their drivers and to the final-line rule of their serial transport.
 */
public final class Dialects {
    private Dialects() {
    }

    /** A dialect known by its command-line name. */
    public record Entry(String cliName, String transportName, Function<AtTransport, AtDialect> driver) {
    }

    public static final List<Entry> ALL = List.of(
            new Entry("rak3172", "rak3172-rui3", Rak3172Rui3::new),
            new Entry("lora-e5", "seeed-lora-e5", SeeedLoraE5::new),
            new Entry("rn2483", "microchip-rn2483", MicrochipRn2483::new),
            new Entry("stm32wl-at", "stm32wl-at-slave", Stm32wlAtSlave::new),
            new Entry("murata-abz", "murata-abz", MurataAbz::new));

    public static Entry byName(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (Entry e : ALL) {
            if (e.cliName().equals(n) || e.transportName().equals(n)) {
                return e;
            }
        }
        throw new AtException(AtException.Code.UNSUPPORTED, "unknown dialect '" + name
                + "' (rak3172, lora-e5, rn2483, stm32wl-at, murata-abz)");
    }
}
