package io.lorafab.station.at;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The dialect names of the command line ({@code rak3172}, {@code lora-e5}, {@code rn2483}, {@code stm32wl-at},
 * {@code murata-abz}) mapped to their drivers and to what their serial line needs: the rule that ends an answer,
 * the line ending of a command, and the speed the vendor ships the module at.
 *
 * <ul>
 *   <li>RAK3172 RUI3: commands end in CR LF; 115200 baud (RUI3 AT command manual).</li>
 *   <li>Seeed LoRa-E5: CR LF; 9600 baud (LoRa-E5 AT command specification).</li>
 *   <li>Microchip RN2483: CR LF; 57600 baud (RN2483 command reference).</li>
 *   <li>STM32WL LoRaWAN_AT_Slave: CR LF; 9600 baud (AN5481, the example's USART setting).</li>
 *   <li>Murata ABZ with the Murata/Arduino modem firmware: CR only (the Arduino MKRWAN library ends every
 *       command with CR, and the raw payload of {@code AT+UTX <len>} follows that CR directly, so a LF would become
 *       payload byte 0); 19200 baud (the MKRWAN library opens the module at that speed).</li>
 * </ul>
 */
public final class Dialects {
    private Dialects() {
    }

    /** A dialect known by its command-line name. */
    public record Entry(String cliName, String transportName, Function<AtTransport, AtDialect> driver, String lineEnding,
            int defaultBaud, Predicate<String> finalLine) {

        /**
         * The transport over a serial port's streams with this dialect's end-of-answer rule and line ending (and, for
         * Murata, the raw payload after {@code +RECV=}).
         */
        public StreamTransport transport(InputStream in, OutputStream out) {
            return new StreamTransport(in, out, finalLine, lineEnding, cliName.equals("murata-abz") ? MurataAbz::rawBytesAfter : l -> -1);
        }
    }

    /** RUI3 and the ST AT slave: {@code OK} or any {@code AT_...} status. */
    private static boolean okOrAtStatus(String l) {
        return l.equals("OK") || l.startsWith("AT_");
    }

    /**
     * Murata modem firmware: {@code +OK}, {@code +OK=<value>} (a query's answer), {@code +ERR}, {@code +ERR_<kind>}
     * (e.g. {@code +ERR_PARAM}, {@code +ERR_BUSY}, {@code +ERR_NO_NETWORK}, as the MKRWAN library lists them) or
     * {@code +ERR=<n>}; and {@code +ACK}, which some builds answer to {@code AT+JOIN}. Asynchronous lines
     * ({@code +EVENT=...}, {@code +RECV=...}, {@code +NOACK}) never end an answer.
     */
    static boolean murataFinal(String l) {
        return l.equals("+OK") || l.startsWith("+OK=") || l.equals("+ERR") || l.startsWith("+ERR_") || l.startsWith("+ERR=")
                || l.equals("+ACK");
    }

    public static final List<Entry> ALL = List.of(
            new Entry("rak3172", "rak3172-rui3", Rak3172Rui3::new, "\r\n", 115200, Dialects::okOrAtStatus),
            // LoRa-E5: the first "+CMD: ..." line; the rest of a multi-line answer is read as events
            new Entry("lora-e5", "seeed-lora-e5", SeeedLoraE5::new, "\r\n", 9600, l -> l.startsWith("+")),
            // RN2483 answers every command with exactly one line
            new Entry("rn2483", "microchip-rn2483", MicrochipRn2483::new, "\r\n", 57600, l -> true),
            new Entry("stm32wl-at", "stm32wl-at-slave", Stm32wlAtSlave::new, "\r\n", 9600, Dialects::okOrAtStatus),
            new Entry("murata-abz", "murata-abz", MurataAbz::new, "\r", 19200, Dialects::murataFinal));

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
