package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Seeed Studio LoRa-E5 (STM32WLE5JC, Seeed AT firmware 4.x).
 *
 * <ul>
 *   <li>No {@code OK}: every command answers lines {@code +CMD: ...}; an error is {@code +CMD: ERROR(<n>)}
 *       (e.g. {@code +ID: ERROR(-1)} for a bad parameter).</li>
 *   <li>{@code AT+ID=DevEui, "<16 hex>"} answers {@code +ID: DevEui, 2C:F7:F1:20:...} (colon separated, MSB
 *       first); {@code AT+ID=AppEui, "..."} likewise. {@code AT+ID=DevEui} reads it back.</li>
 *   <li>{@code AT+KEY=APPKEY, "<32 hex>"} answers {@code +KEY: APPKEY <hex>}: the key as the module took it.
 *       The firmware has no command to read a key, so that echo is what the read-back compares for the AppKey
 *       (a build that answers without the key leaves it unread).</li>
 *   <li>Setup: {@code AT+MODE=LWOTAA}, {@code AT+DR=EU868}; settings are stored in flash by the firmware
 *       without an explicit save.</li>
 *   <li>Join: {@code AT+JOIN=FORCE} answers {@code +JOIN: Start}, {@code +JOIN: NORMAL}; then asynchronously
 *       {@code +JOIN: Network joined}, {@code +JOIN: NetID ... DevAddr ...} or {@code +JOIN: Join failed},
 *       ending with {@code +JOIN: Done}. A plain {@code AT+JOIN} to a module that still holds a session (a re-test, or
 *       a board that joined before) answers only {@code +JOIN: Joined already} and sends nothing on air, so the
 *       station would wait in vain for the server to hear a join; the AT specification's forced form joins whatever
 *       the module's state (Seeed LoRa-E5 AT Command Specification, JOIN; the same command in RisingHF's PS01509
 *       LoRaWAN AT Command Specification it descends from). {@code +JOIN: LoRaWAN modem is busy} is a module error.</li>
 *   <li>Send: {@code AT+PORT=<n>} then {@code AT+MSGHEX="<hex>"} / {@code AT+CMSGHEX="<hex>"}; the session
 *       ends with {@code +MSGHEX: Done} / {@code +CMSGHEX: Done}; a confirmed uplink is acknowledged when
 *       {@code +CMSGHEX: ACK Received} was seen.</li>
 *   <li>The specification shows {@code AT+KEY=APPKEY,"..."} with and without a space after the comma; the
 *       space form is used for both ID and KEY. Some 4.0.x builds are reported to stay silent after a
 *       well-formed {@code AT+KEY}; that surfaces here as {@code timeout}, never as success.</li>
 *   <li>Data rate: {@code AT+ADR=OFF} ({@code +ADR: OFF}) then {@code AT+DR=DR<n>}, answered {@code +DR: DR<n>} and
 *       {@code +DR: EU868 DR<n> SF.. BW125K}.</li>
 *   <li>LoRaWAN 1.0.x: a {@code nwkKey} is refused with {@code unsupported}.</li>
 * </ul>
 */
public final class SeeedLoraE5 implements AtDialect {

    private static final Pattern ERROR = Pattern.compile("^\\+[A-Z]+: ERROR\\(-?\\d+\\)$");

    private final AtSession at;
    private final String region;
    /** The AppKey the module echoed to the last AT+KEY, if it did; never logged. */
    private Optional<AesKey> echoedAppKey = Optional.empty();

    public SeeedLoraE5(AtTransport transport) {
        this(transport, "EU868");
    }

    public SeeedLoraE5(AtTransport transport, String region) {
        this.at = new AtSession(transport, l -> true, l -> false);
        this.region = region;
    }

    @Override
    public String name() {
        return "seeed-lora-e5";
    }

    /** Sends, checks the error form and that the answer has the {@code +CMD:} prefix; returns all lines. */
    private List<String> exec(String cmd, String line) {
        List<String> lines = at.raw(line);
        for (String l : lines) {
            if (ERROR.matcher(l).matches()) {
                throw new AtException(AtException.Code.MODULE_ERROR, "AT+" + cmd + " answered " + l);
            }
            if (!l.startsWith("+" + cmd + ":")) {
                throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "AT+" + cmd + " answered an unexpected line");
            }
        }
        return lines;
    }

    private static String value(String cmd, List<String> lines) {
        return lines.get(lines.size() - 1).substring(cmd.length() + 2).strip();
    }

    @Override
    public ModuleInfo identify() {
        return new ModuleInfo(name(), "LoRa-E5", value("VER", exec("VER", "AT+VER")));
    }

    @Override
    public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
        if (nwkKey.isPresent()) {
            throw new AtException(AtException.Code.UNSUPPORTED, "LoRa-E5 has no NwkKey (LoRaWAN 1.0.x)");
        }
        exec("MODE", "AT+MODE=LWOTAA");
        exec("DR", "AT+DR=" + region);
        exec("ID", "AT+ID=DevEui, \"" + AtSession.hex(devEui.toBytes()) + "\"");
        exec("ID", "AT+ID=AppEui, \"" + AtSession.hex(joinEui.toBytes()) + "\"");
        echoedAppKey = Optional.empty();
        String echo = value("KEY", exec("KEY", "AT+KEY=APPKEY, \"" + AtSession.hex(appKey.bytes()) + "\""));
        if (echo.regionMatches(true, 0, "APPKEY ", 0, 7)) {
            echoedAppKey = Optional.of(Values.key("AppKey", echo.substring(7)));
        }
    }

    /**
     * {@code AT+ADR=OFF} ({@code +ADR: OFF}), then {@code AT+DR=DR<n>}: {@code +DR: DR<n>} and a second line naming the
     * region's data rate ({@code +DR: EU868 DR3  SF9  BW125K}), read here so that it is not taken for a later event.
     */
    @Override
    public void dataRate(int dr) {
        String adr = value("ADR", exec("ADR", "AT+ADR=OFF"));
        if (!adr.equalsIgnoreCase("OFF")) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "AT+ADR=OFF answered ADR " + adr);
        }
        String set = value("DR", exec("DR", "AT+DR=DR" + dr));
        if (!set.equalsIgnoreCase("DR" + dr)) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "AT+DR=DR" + dr + " answered " + set);
        }
        try {
            at.transport().awaitEvent(l -> l.startsWith("+DR:"), DR_DETAIL_WAIT);
        } catch (AtException e) {
            if (e.code() != AtException.Code.TIMEOUT) {
                throw e;
            }
            // a build that answers with the first line only
        }
    }

    /** How long the second line of {@code AT+DR}'s answer may take after the first (it follows at once). */
    static final Duration DR_DETAIL_WAIT = Duration.ofSeconds(1);

    @Override
    public ReadBack readBack() {
        return new ReadBack(readId("DevEui", "DevEUI"), readId("AppEui", "JoinEUI"), echoedAppKey, Optional.empty());
    }

    private Eui64 readId(String which, String field) {
        String v = value("ID", exec("ID", "AT+ID=" + which));
        String prefix = which + ",";
        if (!v.startsWith(prefix)) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "AT+ID did not report " + which);
        }
        return Values.eui(field, v.substring(prefix.length()));
    }

    @Override
    public JoinResult join(Duration timeout) {
        List<String> sync = exec("JOIN", "AT+JOIN=FORCE");
        for (String l : sync) {
            if (l.equals("+JOIN: LoRaWAN modem is busy")) {
                throw new AtException(AtException.Code.MODULE_ERROR, "AT+JOIN answered: modem is busy");
            }
            if (l.equals("+JOIN: Joined already")) {
                // the forced join never answers this; taking it for a join would pass a unit nothing was heard from
                throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "AT+JOIN=FORCE answered: joined already");
            }
        }
        List<String> ev = at.transport().awaitEvent("+JOIN: Done"::equals, timeout);
        if (ev.contains("+JOIN: Network joined")) {
            return new JoinResult(true, "+JOIN: Network joined");
        }
        return new JoinResult(false, ev.stream().filter(l -> l.startsWith("+JOIN: Join failed")).findFirst()
                .orElse(ev.get(ev.size() - 1)));
    }

    @Override
    public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
        AtSession.checkUplink(port, payload);
        exec("PORT", "AT+PORT=" + port);
        String cmd = confirmed ? "CMSGHEX" : "MSGHEX";
        List<String> sync = exec(cmd, "AT+" + cmd + "=\"" + AtSession.hex(payload) + "\"");
        if (sync.stream().anyMatch(l -> l.contains("Please join network first"))) {
            throw new AtException(AtException.Code.MODULE_ERROR, "AT+" + cmd + " answered: not joined");
        }
        String done = "+" + cmd + ": Done";
        List<String> ev = sync.contains(done) ? List.of() : at.transport().awaitEvent(done::equals, timeout);
        List<String> all = new java.util.ArrayList<>(sync);
        all.addAll(ev);
        Optional<ReceivedDownlink> down = downlinkOf(all);
        if (!confirmed) {
            return new SendResult(SendResult.Status.SENT, done, down);
        }
        boolean ack = sync.contains("+CMSGHEX: ACK Received") || ev.contains("+CMSGHEX: ACK Received");
        return new SendResult(ack ? SendResult.Status.ACKNOWLEDGED : SendResult.Status.NOT_ACKNOWLEDGED, done, down);
    }

    private static final Pattern RX = Pattern.compile("\\+C?MSG(?:HEX)?: PORT: (\\d+); RX: \"([0-9A-Fa-f ]*)\"");
    private static final Pattern RX_WINDOW = Pattern.compile("\\+C?MSG(?:HEX)?: RXWIN(\\w+), RSSI (-?\\d+), SNR (-?\\d+(?:\\.\\d+)?)");

    /**
     * The downlink in a send's lines: {@code +MSGHEX: PORT: <port>; RX: "<hex>"}, with the window and signal of the
     * {@code +MSGHEX: RXWIN<n>, RSSI <dBm>, SNR <dB>} line that the module prints with it.
     */
    static Optional<ReceivedDownlink> downlinkOf(List<String> lines) {
        Optional<ReceivedDownlink> found = Optional.empty();
        for (String l : lines) {
            java.util.regex.Matcher m = RX.matcher(l);
            byte[] payload = m.matches() ? DownlinkReports.hex(m.group(2)) : null;
            if (payload != null && found.isEmpty()) {
                found = Optional.of(new ReceivedDownlink(Integer.parseInt(m.group(1)), payload, Optional.empty(),
                        java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), l));
            }
        }
        if (found.isEmpty()) {
            return found;
        }
        for (String l : lines) {
            java.util.regex.Matcher w = RX_WINDOW.matcher(l);
            if (w.matches()) {
                return Optional.of(found.get().withSignal(Optional.of("RX" + w.group(1)), java.util.OptionalInt.of(Integer.parseInt(w.group(2))),
                        java.util.OptionalDouble.of(Double.parseDouble(w.group(3))), l));
            }
        }
        return found;
    }

    /** The LoRa-E5 reports a downlink before the send's {@code Done}, so none can come after it. */
    @Override
    public Optional<ReceivedDownlink> awaitDownlink(Duration timeout) {
        return Optional.empty();
    }
}
