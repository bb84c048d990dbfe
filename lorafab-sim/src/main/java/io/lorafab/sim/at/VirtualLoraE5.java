package io.lorafab.sim.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.sim.JoinOutcome;
import io.lorafab.sim.NvmSession;
import io.lorafab.sim.SimGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A virtual Seeed LoRa-E5 (STM32WLE5, Seeed AT firmware 4.x, LoRaWAN 1.0.x) on a serial line, answering the OTAA
 * subset of the LoRa-E5 AT command specification that a production station uses. Every answer line starts with
 * {@code +CMD: }; there is no {@code OK}. Errors are {@code +CMD: ERROR(n)} with the specification's codes:
 * {@code -1} parameter invalid, {@code -10} unknown command (answered as {@code +AT:}), {@code -11} wrong
 * format, {@code -12} unavailable in the current mode.
 *
 * <ul>
 *   <li>{@code AT} → {@code +AT: OK}; {@code AT+VER} → {@code +VER: 4.0.11}; {@code AT+RESET} drops the session.</li>
 *   <li>{@code AT+ID} (all three), {@code AT+ID=DevEui} / {@code AppEui} / {@code DevAddr} read;
 *       {@code AT+ID=DevEui, "<16 hex>"} and {@code AppEui} set, answered colon separated, MSB first.</li>
 *   <li>{@code AT+KEY=APPKEY, "<32 hex>"} → {@code +KEY: APPKEY <hex>} (the firmware echoes the key; it has no
 *       command to read one back). ABP session keys are not simulated.</li>
 *   <li>{@code AT+MODE=LWOTAA|LWABP|TEST} (a new board starts in LWABP); {@code AT+DR=EU868} (the radio is EU868);
 *       {@code AT+ADR=ON|OFF}; {@code AT+DR=DR<n>} answers {@code +DR: DR<n>} and {@code +DR: EU868 DR<n> SF.. BW125K},
 *       and the next uplinks go out at that data rate (DR0..DR5; DR6 and up answer {@code +DR: ERROR(-1)}). A new
 *       board sends at DR5 with ADR on.</li>
 *   <li>{@code AT+JOIN[=FORCE]} → {@code +JOIN: Start}, {@code +JOIN: NORMAL}, then from the radio
 *       {@code +JOIN: Network joined}, {@code +JOIN: NetID <hex> DevAddr <aa:bb:cc:dd>} (from the join-accept),
 *       {@code +JOIN: Done}; or {@code +JOIN: Join failed}, {@code +JOIN: Done} (the firmware makes one attempt;
 *       one nobody hears ends after the second receive window, 6 s after the join-request, on the module's
 *       {@link RadioTime}). While a join runs: {@code +JOIN: LoRaWAN modem is busy}. Joined and not forced:
 *       {@code +JOIN: Joined already}. Programming an ID or the key, or another mode, drops the session.</li>
 *   <li>{@code AT+PORT=<1..223>}; {@code AT+MSGHEX="<hex>"} / {@code AT+MSG="<text>"} → {@code Start}, then
 *       {@code Done}; the confirmed forms {@code AT+CMSGHEX} / {@code AT+CMSG} add {@code Wait ACK} and, as the
 *       join server never acknowledges, end with {@code Done} without {@code ACK Received}. Not joined:
 *       {@code Please join network first}. A downlink received in the uplink's windows is reported before
 *       {@code Done} as the LoRa-E5 AT specification shows it: {@code +MSGHEX: PORT: 2; RX: "0A1B"} then
 *       {@code +MSGHEX: RXWIN1, RSSI -62, SNR 8.5}.</li>
 * </ul>
 */
public final class VirtualLoraE5 extends VirtualAtModule {

    static final String FIRMWARE = "4.0.11";

    private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();
    private static final String UNKNOWN = "+AT: ERROR(-10)";

    private final AtomicBoolean joining = new AtomicBoolean();
    // guarded by this
    private String mode = "LWABP";
    private int port = 8;

    public VirtualLoraE5(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir, Behaviour behaviour) {
        this(in, out, gateway, nvmDir, behaviour, null);
    }

    /** @param time the radio's time (null: real time) */
    public VirtualLoraE5(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir, Behaviour behaviour,
            RadioTime time) {
        super("lora-e5", in, out, gateway, nvmDir, behaviour, time);
    }

    /**
     * A LoRa-E5 whose secure element holds its identity ({@code devEui}, {@code joinEui} as the part's manifest names
     * them) and a random AppKey of its own: it reports the EUIs, answers {@code ERROR(-1)} (parameter invalid, this
     * firmware's refusal of a value) to every write of an ID or the key, and joins with its own key.
     */
    public static VirtualLoraE5 withSecureElement(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir,
            Behaviour behaviour, Eui64 devEui, Eui64 joinEui) {
        VirtualLoraE5 m = new VirtualLoraE5(in, out, gateway, nvmDir, behaviour, null);
        m.holdIdentityInSecureElement(devEui, joinEui);
        return m;
    }

    @Override
    protected void boardInserted() {
        mode = "LWABP";
        port = 8;
    }

    @Override
    protected void handle(String cmd) throws IOException {
        if (!cmd.regionMatches(true, 0, "AT", 0, 2)) {
            reply(UNKNOWN);
            return;
        }
        String rest = cmd.substring(2);
        if (rest.isEmpty()) {
            reply("+AT: OK");
            return;
        }
        if (!rest.startsWith("+")) {
            reply(UNKNOWN);
            return;
        }
        int eq = rest.indexOf('=');
        String name = (eq < 0 ? rest.substring(1) : rest.substring(1, eq)).strip().toUpperCase(Locale.ROOT);
        if (name.endsWith("?")) { // AT+VER? is read as AT+VER
            name = name.substring(0, name.length() - 1);
        }
        String args = eq < 0 ? "" : rest.substring(eq + 1).strip();
        switch (name) {
            case "VER" -> reply("+VER: " + FIRMWARE);
            case "RESET" -> {
                forgetSession();
                reply("+RESET: OK");
            }
            case "ID" -> id(args);
            case "KEY" -> key(args);
            case "MODE" -> mode(args);
            case "DR" -> dataRate(args);
            case "ADR" -> adr(args);
            case "JOIN" -> join(args);
            case "PORT" -> port(args);
            case "MSGHEX" -> message(name, args, false, true);
            case "CMSGHEX" -> message(name, args, true, true);
            case "MSG" -> message(name, args, false, false);
            case "CMSG" -> message(name, args, true, false);
            default -> reply(UNKNOWN);
        }
    }

    private void id(String args) throws IOException {
        if (args.isEmpty()) {
            reply(idLine("DevAddr"), idLine("DevEui"), idLine("AppEui"));
            return;
        }
        int comma = args.indexOf(',');
        String which = canonicalId(comma < 0 ? args : args.substring(0, comma).strip());
        if (which == null) {
            reply("+ID: ERROR(-1)");
            return;
        }
        if (comma < 0) {
            reply(idLine(which));
            return;
        }
        if (secureElement() && !which.equals("DevAddr")) {
            refusedWrite(); // the secure element keeps its identity
            reply("+ID: ERROR(-1)");
            return;
        }
        Eui64 value = which.equals("DevAddr") ? null : eui(unquote(args.substring(comma + 1)));
        if (value == null) { // a malformed value, or a DevAddr (ABP is not simulated)
            reply("+ID: ERROR(-1)");
            return;
        }
        if (which.equals("DevEui")) {
            devEui(value);
        } else {
            appEui(value);
        }
        forgetSession();
        reply(idLine(which));
    }

    private static String canonicalId(String s) {
        return switch (s.toUpperCase(Locale.ROOT)) {
            case "DEVEUI" -> "DevEui";
            case "APPEUI" -> "AppEui";
            case "DEVADDR" -> "DevAddr";
            default -> null;
        };
    }

    private String idLine(String which) {
        byte[] value = switch (which) {
            case "DevEui" -> devEui().toBytes();
            case "AppEui" -> appEui().toBytes();
            default -> session().map(NvmSession::address).orElse(DevAddr.of(0)).toBytes();
        };
        return "+ID: " + which + ", " + COLONS.formatHex(value);
    }

    private void key(String args) throws IOException {
        int comma = args.indexOf(',');
        if (comma < 0) {
            reply("+KEY: ERROR(-11)"); // no key can be read back
            return;
        }
        if (secureElement()) {
            refusedWrite(); // the key stays the secure element's own
            reply("+KEY: ERROR(-1)");
            return;
        }
        if (!args.substring(0, comma).strip().equalsIgnoreCase("APPKEY") || behaviour().rejectsAppKey()) {
            reply("+KEY: ERROR(-1)");
            return;
        }
        AesKey key;
        try {
            key = AesKey.parse(unquote(args.substring(comma + 1)).replace(" ", ""));
        } catch (RuntimeException e) {
            reply("+KEY: ERROR(-1)");
            return;
        }
        appKey(key);
        forgetSession();
        reply("+KEY: APPKEY " + key.toHex().toUpperCase(Locale.ROOT));
    }

    private void mode(String args) throws IOException {
        if (args.isEmpty()) {
            reply("+MODE: " + mode());
            return;
        }
        String m = args.toUpperCase(Locale.ROOT);
        if (!m.equals("LWOTAA") && !m.equals("LWABP") && !m.equals("TEST")) {
            reply("+MODE: ERROR(-1)");
            return;
        }
        synchronized (this) {
            if (!m.equals(mode)) {
                forgetSession();
            }
            mode = m;
        }
        reply("+MODE: " + m);
    }

    private synchronized String mode() {
        return mode;
    }

    private void dataRate(String args) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)DR(\\d{1,2})").matcher(args);
        if (args.isEmpty()) {
            int dr = dataRate();
            reply("+DR: DR" + dr, drLine(dr));
        } else if (args.equalsIgnoreCase("EU868")) {
            reply("+DR: EU868");
        } else if (m.matches() && dataRate(Integer.parseInt(m.group(1)))) {
            int dr = dataRate();
            reply("+DR: DR" + dr, drLine(dr));
        } else {
            reply("+DR: ERROR(-1)");
        }
    }

    /** The second line of the DR answer: the region's data rate as the firmware names it. */
    private static String drLine(int dr) {
        return "+DR: EU868 DR" + dr + " SF" + (12 - dr) + " BW125K";
    }

    /** {@code AT+ADR=ON|OFF} answers {@code +ADR: ON|OFF}; {@code AT+ADR} reads it. */
    private void adr(String args) throws IOException {
        if (args.isEmpty()) {
            reply("+ADR: " + (adr() ? "ON" : "OFF"));
        } else if (args.equalsIgnoreCase("ON") || args.equalsIgnoreCase("OFF")) {
            adr(args.equalsIgnoreCase("ON"));
            reply("+ADR: " + args.toUpperCase(Locale.ROOT));
        } else {
            reply("+ADR: ERROR(-1)");
        }
    }

    private void join(String args) throws IOException {
        boolean force = args.equalsIgnoreCase("FORCE");
        if (!args.isEmpty() && !force) {
            reply("+JOIN: ERROR(-1)");
            return;
        }
        if (!mode().equals("LWOTAA")) {
            reply("+JOIN: ERROR(-12)");
            return;
        }
        if (!force && session().isPresent()) {
            reply("+JOIN: Joined already");
            return;
        }
        if (!joining.compareAndSet(false, true)) {
            reply("+JOIN: LoRaWAN modem is busy");
            return;
        }
        reply("+JOIN: Start", "+JOIN: NORMAL");
        onRadio(() -> {
            try {
                joinAttempt(this::joinEnded);
            } catch (RuntimeException e) {
                joining.set(false);
                throw e;
            }
        });
    }

    private void joinEnded(Optional<JoinOutcome> o) {
        joining.set(false);
        if (o.isPresent() && o.get().joined()) {
            event("+JOIN: Network joined",
                    "+JOIN: NetID " + o.get().netId().toString().toUpperCase(Locale.ROOT) + " DevAddr "
                            + COLONS.formatHex(o.get().devAddr().toBytes()),
                    "+JOIN: Done");
        } else {
            event("+JOIN: Join failed", "+JOIN: Done");
        }
    }

    private void port(String args) throws IOException {
        if (args.isEmpty()) {
            reply("+PORT: " + port());
            return;
        }
        int p;
        try {
            p = Integer.parseInt(args);
        } catch (NumberFormatException e) {
            reply("+PORT: ERROR(-1)");
            return;
        }
        if (p < 1 || p > 223) {
            reply("+PORT: ERROR(-1)");
            return;
        }
        synchronized (this) {
            port = p;
        }
        reply("+PORT: " + p);
    }

    private synchronized int port() {
        return port;
    }

    private void message(String name, String args, boolean confirmed, boolean hex) throws IOException {
        String value = unquote(args);
        byte[] payload;
        if (hex) {
            try {
                payload = HexFormat.of().parseHex(value.replace(" ", ""));
            } catch (IllegalArgumentException e) {
                reply("+" + name + ": ERROR(-1)");
                return;
            }
        } else {
            payload = value.getBytes(StandardCharsets.US_ASCII);
        }
        if (!mode().equals("LWOTAA") && !mode().equals("LWABP")) {
            reply("+" + name + ": ERROR(-12)");
            return;
        }
        if (session().isEmpty()) {
            reply("+" + name + ": Please join network first");
            return;
        }
        int fPort = port();
        if (confirmed) {
            reply("+" + name + ": Start", "+" + name + ": Wait ACK");
        } else {
            reply("+" + name + ": Start");
        }
        onRadio(() -> {
            uplinkOverTheAir(fPort, payload, confirmed, r -> event(
                    "+" + name + ": PORT: " + r.port() + "; RX: \"" + HexFormat.of().withUpperCase().formatHex(r.payload()) + "\"",
                    "+" + name + ": RXWIN" + r.window() + ", RSSI " + r.rssi() + ", SNR " + r.snr()));
            event("+" + name + ": Done");
        });
    }

    /** The value of a quoted parameter ({@code "0102"}), or the parameter itself without quotes. */
    private static String unquote(String s) {
        String v = s.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).strip();
        }
        return v;
    }

    private static Eui64 eui(String text) {
        try {
            return Eui64.parse(text.replace(" ", ""));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
