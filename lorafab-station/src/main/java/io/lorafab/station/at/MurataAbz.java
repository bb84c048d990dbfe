package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Murata Type ABZ (CMWX1ZZABZ) with the Murata/Arduino LoRaWAN modem firmware (the one the Arduino MKR WAN
 * 1300/1310 ships).
 *
 * <ul>
 *   <li>Success {@code +OK} or {@code +OK=<value>}; errors {@code +ERR} and {@code +ERR_<kind>} ({@code +ERR_PARAM},
 *       {@code +ERR_BUSY}, {@code +ERR_PARAM_OVERFLOW}, {@code +ERR_NO_NETWORK}, {@code +ERR_RX}, {@code +ERR_UNKNOWN},
 *       as the Arduino MKRWAN library expects them), or {@code +ERR=<n>} in Murata's numbered form; the error line
 *       is quoted in the exception message.</li>
 *   <li>Queries end in {@code ?}: {@code AT+DEV?} → {@code +OK=ABZ}, {@code AT+VER?} → {@code +OK=1.2.3},
 *       {@code AT+DEVEUI?} / {@code AT+APPEUI?} → {@code +OK=<16 hex>} (MSB first, no separators).</li>
 *   <li>Setup: {@code AT+MODE=1} (OTAA), {@code AT+BAND=5} (EU868), {@code AT+DEVEUI=}, {@code AT+APPEUI=},
 *       {@code AT+APPKEY=}, then {@code AT&W} to save the configuration to NVM.</li>
 *   <li>Keys are write-only in this firmware (chosen: no key query is sent), so keys are not read back.</li>
 *   <li>Join: {@code AT+JOIN} answers {@code +OK} (some builds {@code +ACK}), then {@code +EVENT=1,1}
 *       (joined) or {@code +EVENT=1,0} (failed).</li>
 *   <li>Unsure: {@code AT&W} as the save command (taken from the Murata modem command set; the Arduino
 *       MKRWAN library never sends it) and whether {@code AT+APPKEY?} can read the key (treated as
 *       write-only). Commands end in CR only on the wire and the module answers lines ended by CR
 *       ({@link Dialects}: the line ending and 19200 baud belong to the dialect).</li>
 *   <li>Send: {@code AT+PORT=<n>}, then {@code AT+UTX <len>} / {@code AT+CTX <len>} followed by a CR and the
 *       raw payload bytes ({@link AtTransport#commandWithData}); answers {@code +OK}; confirmed uplinks end
 *       with {@code +ACK} or {@code +NOACK}.</li>
 *   <li>A received downlink: {@code +RECV=<port>,<length>}, a blank line, then the payload as {@code length} raw bytes
 *       (the Arduino MKRWAN library's {@code waitResponse} reads it so); no RSSI or SNR is reported with it.</li>
 *   <li>LoRaWAN 1.0.x: a {@code nwkKey} is refused with {@code unsupported}.</li>
 * </ul>
 */
public final class MurataAbz implements AtDialect {

    public static final int BAND_EU868 = 5;

    private final AtSession at;
    private final int band;

    public MurataAbz(AtTransport transport) {
        this(transport, BAND_EU868);
    }

    public MurataAbz(AtTransport transport, int band) {
        this.at = new AtSession(transport, l -> l.equals("+OK") || l.startsWith("+OK="), l -> l.startsWith("+ERR"));
        this.band = band;
    }

    @Override
    public String name() {
        return "murata-abz";
    }

    /** Sends a query; returns the value after {@code +OK=}. */
    private String query(String cmd) {
        List<String> lines = at.raw(cmd + "?");
        String last = lines.get(lines.size() - 1);
        if (last.startsWith("+ERR")) {
            throw new AtException(AtException.Code.MODULE_ERROR, cmd + " answered " + last);
        }
        if (!last.startsWith("+OK=")) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, cmd + " did not answer +OK=<value>");
        }
        return last.substring(4).strip();
    }

    @Override
    public ModuleInfo identify() {
        String model = query("AT+DEV");
        return new ModuleInfo(name(), model, query("AT+VER"));
    }

    @Override
    public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
        if (nwkKey.isPresent()) {
            throw new AtException(AtException.Code.UNSUPPORTED, "Murata ABZ modem has no NwkKey (LoRaWAN 1.0.x)");
        }
        at.exec("AT+MODE", "AT+MODE=1");
        at.exec("AT+BAND", "AT+BAND=" + band);
        at.exec("AT+DEVEUI", "AT+DEVEUI=" + AtSession.hex(devEui.toBytes()));
        at.exec("AT+APPEUI", "AT+APPEUI=" + AtSession.hex(joinEui.toBytes()));
        at.exec("AT+APPKEY", "AT+APPKEY=" + AtSession.hex(appKey.bytes()));
        at.exec("AT&W", "AT&W");
    }

    @Override
    public ReadBack readBack() {
        return new ReadBack(Values.eui("DevEUI", query("AT+DEVEUI")), Values.eui("JoinEUI", query("AT+APPEUI")),
                Optional.empty(), Optional.empty());
    }

    @Override
    public JoinResult join(Duration timeout) {
        // some firmware builds answer +ACK rather than +OK to AT+JOIN; both mean "join started"
        List<String> sync = at.raw("AT+JOIN");
        String ack = sync.get(sync.size() - 1);
        if (ack.startsWith("+ERR")) {
            throw new AtException(AtException.Code.MODULE_ERROR, "AT+JOIN answered " + ack);
        }
        if (!ack.equals("+OK") && !ack.equals("+ACK")) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "AT+JOIN did not answer +OK");
        }
        List<String> ev = at.transport().awaitEvent(l -> l.startsWith("+EVENT=1,"), timeout);
        String last = ev.get(ev.size() - 1);
        return new JoinResult(last.equals("+EVENT=1,1"), last);
    }

    /** {@code AT+ADR=0}, then {@code AT+DR=<dr>}: {@code +OK} each (as the MKRWAN library's setADR and dataRate send them). */
    @Override
    public void dataRate(int dr) {
        at.exec("AT+ADR", "AT+ADR=0");
        at.exec("AT+DR", "AT+DR=" + dr);
    }

    @Override
    public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
        AtSession.checkUplink(port, payload);
        at.exec("AT+PORT", "AT+PORT=" + port);
        String cmd = confirmed ? "AT+CTX" : "AT+UTX";
        at.execWithData(cmd, cmd + " " + payload.length, payload);
        if (!confirmed) {
            return new SendResult(SendResult.Status.SENT, "+OK");
        }
        List<String> ev = at.transport().awaitEvent(l -> l.equals("+ACK") || l.equals("+NOACK"), timeout);
        String last = ev.get(ev.size() - 1);
        Optional<ReceivedDownlink> down = Optional.empty();
        for (int i = 0; i + 1 < ev.size() && down.isEmpty(); i++) {
            down = downlinkOf(ev.get(i), ev.get(i + 1));
        }
        return new SendResult(last.equals("+ACK") ? SendResult.Status.ACKNOWLEDGED
                : SendResult.Status.NOT_ACKNOWLEDGED, last, down);
    }

    private static final java.util.regex.Pattern RECV = java.util.regex.Pattern.compile("\\+RECV=(\\d{1,3}),(\\d{1,3})");

    /**
     * For the transport: a {@code +RECV=<port>,<length>} header is followed by a blank line and {@code length} raw
     * payload bytes (the Arduino MKRWAN library reads them so: up to two LFs, then the bytes).
     */
    static int rawBytesAfter(String line) {
        java.util.regex.Matcher m = RECV.matcher(line);
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The header and the raw bytes after it (as the transport hands them on); no signal is reported. */
    static Optional<ReceivedDownlink> downlinkOf(String header, String raw) {
        java.util.regex.Matcher m = RECV.matcher(header);
        if (!m.matches() || !raw.startsWith(StreamTransport.RAW_DATA)) {
            return Optional.empty();
        }
        byte[] payload = DownlinkReports.hex(raw.substring(StreamTransport.RAW_DATA.length()));
        if (payload == null || payload.length != Integer.parseInt(m.group(2))) {
            return Optional.empty(); // the line closed in the middle of the bytes
        }
        return Optional.of(new ReceivedDownlink(Integer.parseInt(m.group(1)), payload, Optional.empty(), java.util.OptionalInt.empty(),
                java.util.OptionalDouble.empty(), header));
    }

    /** {@code +RECV=} comes after an unconfirmed send's {@code +OK}; its bytes follow at once. */
    @Override
    public Optional<ReceivedDownlink> awaitDownlink(Duration timeout) {
        try {
            List<String> ev = at.transport().awaitEvent(l -> RECV.matcher(l).matches(), timeout);
            List<String> raw = at.transport().awaitEvent(l -> true, Duration.ofSeconds(1));
            return downlinkOf(ev.get(ev.size() - 1), raw.get(0));
        } catch (AtException e) {
            if (e.code() != AtException.Code.TIMEOUT) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
