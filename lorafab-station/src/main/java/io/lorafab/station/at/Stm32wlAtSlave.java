package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ST STM32WL {@code LoRaWAN_AT_Slave} application (STM32CubeWL, AN5481).
 *
 * <ul>
 *   <li>Success {@code OK}; errors {@code AT_ERROR}, {@code AT_PARAM_ERROR}, {@code AT_BUSY_ERROR},
 *       {@code AT_TEST_PARAM_OVERFLOW}, {@code AT_NO_NET_JOINED}, {@code AT_RX_ERROR},
 *       {@code AT_NO_CLASS_B_ENABLE}, {@code AT_DUTYCYCLE_RESTRICTED}, {@code AT_CRYPTO_ERROR}.</li>
 *   <li>EUIs and keys are written and printed as colon-separated bytes MSB first:
 *       {@code AT+DEUI=01:23:45:67:89:AB:CD:EF}, {@code AT+APPEUI=...}, {@code AT+APPKEY=2B:7E:...},
 *       {@code AT+NWKKEY=...}. Queries {@code AT+X=?} print the bare value then {@code OK}.</li>
 *   <li>Keys are read back with {@code AT+APPKEY=?} / {@code AT+NWKKEY=?} (the STM32CubeWL example prints
 *       them; a build that masks key reads would answer {@code AT_ERROR}, reported as {@code module_error}). With LoRaWAN 1.0.x the application uses the AppKey for both
 *       roles; when no NwkKey is given, the NwkKey is set equal to the AppKey.</li>
 *   <li>{@code AT+VER=?} prints several lines ({@code APPLICATION_VERSION: V1.x.x},
 *       {@code MW_LORAWAN_VERSION: V2.x.x}, {@code MW_RADIO_VERSION: ...}, {@code L2_SPEC_VERSION: ...},
 *       {@code RP_SPEC_VERSION: ...}); firmware is the APPLICATION_VERSION value.</li>
 *   <li>Setup: {@code AT+BAND=5} (EU868; 0 AS923 … 5 EU868 … 9 RU864). OTAA is selected by the join
 *       command itself. {@code AT+CS} then stores the context in flash; it may print {@code NVM DATA STORED}
 *       or {@code NVM DATA UP TO DATE} before {@code OK}.</li>
 *   <li>Join: {@code AT+JOIN=1} (OTAA) answers {@code OK}, then {@code +EVT:JOINED} or
 *       {@code +EVT:JOIN FAILED}.</li>
 *   <li>Send: {@code AT+SEND=<port>:<ack 0|1>:<hex>} answers {@code OK}; unconfirmed is done at {@code OK};
 *       confirmed waits for {@code +EVT:SEND_CONFIRMED}, which the firmware prints only when the ack arrived;
 *       there is no negative event, so a confirmed uplink whose ack does not arrive within the timeout is
 *       {@code NOT_ACKNOWLEDGED}.</li>
 *   <li>A received downlink ({@code AT_event_receive} in STM32CubeWL's {@code lora_at.c}): {@code +EVT:<port>:<size as
 *       2 hex digits>:<hex>}, then {@code +EVT:RX_<slot>, PORT <port>, DR <dr>, RSSI <dBm>, SNR <dB>} (older releases
 *       without {@code PORT}).</li>
 * </ul>
 */
public final class Stm32wlAtSlave implements AtDialect {

    public static final int BAND_EU868 = 5;

    private final AtSession at;
    private final int band;

    public Stm32wlAtSlave(AtTransport transport) {
        this(transport, BAND_EU868);
    }

    public Stm32wlAtSlave(AtTransport transport, int band) {
        this.at = new AtSession(transport, "OK"::equals, l -> l.startsWith("AT_"));
        this.band = band;
    }

    @Override
    public String name() {
        return "stm32wl-at-slave";
    }

    @Override
    public ModuleInfo identify() {
        List<String> lines = at.exec("AT+VER", "AT+VER=?");
        String app = lines.stream().filter(l -> l.startsWith("APPLICATION_VERSION:")).findFirst()
                .map(l -> l.substring("APPLICATION_VERSION:".length()).strip())
                .orElseThrow(() -> new AtException(AtException.Code.UNEXPECTED_RESPONSE,
                        "AT+VER did not report APPLICATION_VERSION"));
        return new ModuleInfo(name(), "STM32WL", app);
    }

    @Override
    public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
        at.exec("AT+BAND", "AT+BAND=" + band);
        at.exec("AT+DEUI", "AT+DEUI=" + AtSession.colonHex(devEui.toBytes()));
        at.exec("AT+APPEUI", "AT+APPEUI=" + AtSession.colonHex(joinEui.toBytes()));
        at.exec("AT+APPKEY", "AT+APPKEY=" + AtSession.colonHex(appKey.bytes()));
        at.exec("AT+NWKKEY", "AT+NWKKEY=" + AtSession.colonHex(nwkKey.orElse(appKey).bytes()));
        at.exec("AT+CS", "AT+CS");
    }

    @Override
    public ReadBack readBack() {
        return new ReadBack(
                Values.eui("DevEUI", query("AT+DEUI")),
                Values.eui("JoinEUI", query("AT+APPEUI")),
                Optional.of(Values.key("AppKey", query("AT+APPKEY"))),
                Optional.of(Values.key("NwkKey", query("AT+NWKKEY"))));
    }

    private String query(String cmd) {
        return AtSession.single(cmd, at.exec(cmd, cmd + "=?"));
    }

    @Override
    public JoinResult join(Duration timeout) {
        at.exec("AT+JOIN", "AT+JOIN=1");
        List<String> ev = at.transport().awaitEvent(
                l -> l.equals("+EVT:JOINED") || l.startsWith("+EVT:JOIN FAILED"), timeout);
        String last = ev.get(ev.size() - 1);
        return new JoinResult(last.equals("+EVT:JOINED"), last);
    }

    /**
     * {@code AT+ADR=0}, then {@code AT+DR=<dr>}: {@code OK}; {@code AT_PARAM_ERROR} for a malformed value and
     * {@code AT_ERROR} when the stack refuses it ({@code LmHandlerSetTxDatarate} refuses any data rate while ADR is on).
     */
    @Override
    public void dataRate(int dr) {
        at.exec("AT+ADR", "AT+ADR=0");
        at.exec("AT+DR", "AT+DR=" + dr);
    }

    @Override
    public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
        AtSession.checkUplink(port, payload);
        at.exec("AT+SEND", "AT+SEND=" + port + ":" + (confirmed ? 1 : 0) + ":" + AtSession.hex(payload));
        if (!confirmed) {
            return new SendResult(SendResult.Status.SENT, "OK");
        }
        try {
            List<String> ev = at.transport().awaitEvent("+EVT:SEND_CONFIRMED"::equals, timeout);
            Optional<ReceivedDownlink> down = DownlinkReports.first(ev, Stm32wlAtSlave::dataOf)
                    .map(d -> DownlinkReports.first(ev, l -> signalOf(d, l)).orElse(d));
            return new SendResult(SendResult.Status.ACKNOWLEDGED, ev.get(ev.size() - 1), down);
        } catch (AtException e) {
            if (e.code() != AtException.Code.TIMEOUT) {
                throw e;
            }
            return new SendResult(SendResult.Status.NOT_ACKNOWLEDGED, "no +EVT:SEND_CONFIRMED");
        }
    }

    private static final Pattern DATA = Pattern.compile("\\+EVT:(\\d{1,3}):([0-9A-Fa-f]{2}):([0-9A-Fa-f]*)");
    private static final Pattern SIGNAL = Pattern.compile("\\+EVT:RX_(\\w+), (?:PORT \\d+, )?DR \\d+, RSSI (-?\\d+), SNR (-?\\d+).*");

    /** {@code +EVT:<port>:<size, 2 hex digits>:<hex>}; a size that does not match the bytes is no report. */
    static Optional<ReceivedDownlink> dataOf(String line) {
        Matcher m = DATA.matcher(line);
        byte[] payload = m.matches() ? DownlinkReports.hex(m.group(3)) : null;
        if (payload == null || payload.length != Integer.parseInt(m.group(2), 16)) {
            return Optional.empty();
        }
        return Optional.of(new ReceivedDownlink(Integer.parseInt(m.group(1)), payload, Optional.empty(), java.util.OptionalInt.empty(),
                java.util.OptionalDouble.empty(), line));
    }

    /** {@code d} with the slot and signal of {@code +EVT:RX_<slot>, [PORT <p>, ]DR <dr>, RSSI <dBm>, SNR <dB>}. */
    static Optional<ReceivedDownlink> signalOf(ReceivedDownlink d, String line) {
        Matcher m = SIGNAL.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(d.withSignal(Optional.of("RX" + m.group(1)), java.util.OptionalInt.of(Integer.parseInt(m.group(2))),
                java.util.OptionalDouble.of(Integer.parseInt(m.group(3))), line));
    }

    /**
     * The data line, then the signal line the application prints right after it ({@code AT_event_receive}); an
     * unconfirmed send is over at {@code OK}, so both come after it.
     */
    @Override
    public Optional<ReceivedDownlink> awaitDownlink(Duration timeout) {
        Optional<ReceivedDownlink> data = DownlinkReports.await(at.transport(), Stm32wlAtSlave::dataOf, timeout);
        if (data.isEmpty()) {
            return data;
        }
        return Optional.of(DownlinkReports.await(at.transport(), l -> signalOf(data.get(), l), SIGNAL_LINE_WAIT).orElse(data.get()));
    }

    /** How long the signal line may trail the data line: both are printed by one function, back to back. */
    static final Duration SIGNAL_LINE_WAIT = Duration.ofSeconds(1);
}
