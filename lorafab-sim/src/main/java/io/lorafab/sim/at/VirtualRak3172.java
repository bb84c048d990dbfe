package io.lorafab.sim.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.sim.SimGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A virtual RAK3172 (RUI3 firmware, LoRaWAN 1.0.3) on a serial line: the AT commands a production station uses
 * (version and model, work mode, OTAA mode, band, DevEUI/AppEUI/AppKey set and read back, join, send) answered as
 * the RUI3 AT command manual documents them: {@code OK}; {@code AT_PARAM_ERROR} for a value out of range;
 * {@code AT_BUSY_ERROR} for a join while one is running; {@code AT_NO_NETWORK_JOINED}; {@code AT_COMMAND_NOT_FOUND};
 * asynchronous {@code +EVT:} lines.
 *
 * <ul>
 *   <li>{@code AT+JOIN=<join>:<auto>:<period>:<re-attempts>}, any prefix of the four: join 1 starts joining, 0 stops
 *       it; auto-join 0 or 1; reattempt period 7..255 s; re-attempts 0..255 (0 joins once, 2 makes three attempts).
 *       A plain {@code AT+JOIN} joins with the settings last given. {@code AT+JOIN=?} prints them as
 *       {@code AT+JOIN=j:a:p:n}.</li>
 *   <li>Each failed attempt prints {@code +EVT:JOIN_FAILED_RX_TIMEOUT}; the next one starts a period after that
 *       failure, until the re-attempts are used up; {@code +EVT:JOINED} ends the join. An attempt that nobody hears
 *       ends after the second receive window, 6 s after the join-request, on the module's {@link RadioTime}. (RUI3 4.x,
 *       {@code service_lora.c}: {@code ++retry > max} ends the join, the retry timer starts at the failure.)</li>
 *   <li>{@code ATE} toggles command echo, which lasts until toggled again, reboots included (RUI3 keeps it in flash):
 *       with echo on, every command line is printed back before its answer.</li>
 *   <li>{@code AT+NWM=?}; {@code AT+NWM=0..2} answers {@code OK} and reboots, into the same mode too, as RUI3 3.5 and
 *       later do: the module answers nothing for {@link #BOOT_TIME} on its radio time, drops its join and session, and
 *       prints its banner, {@code RAKwireless RAK3172-E Example}, a dashed line, {@code Current Work Mode: LoRaWAN.}
 *       ({@code LoRa P2P.} for modes 0 and 2). A new board starts in LoRaWAN mode.</li>
 *   <li>{@code AT+NJM=0|1}, {@code AT+CFM=0|1}, {@code AT+BAND=0..12}, {@code AT+CLASS=A|B|C}.</li>
 *   <li>{@code AT+ADR=0|1} and {@code AT+DR=<n>} (also read with {@code =?}): the next uplinks go out at EU868 DR n
 *       (DR0..DR5, SF12..SF7 at 125 kHz; 6..15 are refused with {@code AT_PARAM_ERROR}, as the virtual radio does not
 *       send them). A new board sends at DR5 with ADR on.</li>
 *   <li>{@code AT+SEND=<port>:<hex>} answers {@code OK}; after the receive windows {@code +EVT:TX_DONE}, preceded by
 *       {@code +EVT:RX_1:<rssi>:<snr>:UNICAST:<port>:<hex>} when a downlink came (RUI3 prints RSSI and SNR as whole
 *       numbers).</li>
 * </ul>
 * A secure-element board ({@link #withSecureElement}) holds DevEUI, AppEUI and its own AppKey from construction: it
 * reports the two EUIs, and answers {@code AT_PARAM_ERROR}, RUI3's answer to a value it will not take, to every write
 * of the three and to a read of the key, which never leaves the part.
 * RUI3's join and session behaviour is that of the simulator's 1.0.2 device (random DevNonce, 1.0 MICs and keys);
 * see {@link VirtualAtModule} for the radio and the faults.
 */
public final class VirtualRak3172 extends VirtualAtModule {

    /** Allowed values of the numeric settings: {min, max}. */
    private static final Map<String, int[]> RANGES = Map.of(
            "NJM", new int[] {0, 1}, "CFM", new int[] {0, 1}, "ADR", new int[] {0, 1},
            "BAND", new int[] {0, 12}, "DR", new int[] {0, 15});

    /** How long a reboot after {@code AT+NWM=} takes: a slow one, longer than a command's answer may take. */
    public static final Duration BOOT_TIME = Duration.ofSeconds(3);

    static final String[] BANNER = {"RAKwireless RAK3172-E Example", "------------------------------------------------------"};

    // guarded by this: echo, work mode, a reboot under way
    private boolean echo;
    private int workMode = 1;
    private boolean rebooting;
    // guarded by this: the join settings, and the join running (its number, so that a stopped one ends quietly)
    private int autoJoin;
    private int period = 8;
    private int attempts;
    private boolean joining;
    private int run;

    public VirtualRak3172(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir, Behaviour behaviour) {
        this(in, out, gateway, nvmDir, behaviour, null);
    }

    /** @param time the radio's time (null: real time) */
    public VirtualRak3172(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir, Behaviour behaviour,
            RadioTime time) {
        super("rak3172", in, out, gateway, nvmDir, behaviour, time);
    }

    /**
     * A RAK3172 whose secure element holds its identity ({@code devEui}, {@code joinEui} as the part's manifest names
     * them) and a random AppKey of its own; it joins with that key, which no join server here has.
     */
    public static VirtualRak3172 withSecureElement(InputStream in, OutputStream out, SimGateway gateway, Path nvmDir,
            Behaviour behaviour, Eui64 devEui, Eui64 joinEui) {
        VirtualRak3172 m = new VirtualRak3172(in, out, gateway, nvmDir, behaviour, null);
        m.holdIdentityInSecureElement(devEui, joinEui);
        return m;
    }

    @Override
    protected void boardInserted() {
        echo = false;
        workMode = 1;
        rebooting = false;
        run++;
        joining = false;
        autoJoin = 0;
        period = 8;
        attempts = 0;
    }

    @Override
    protected void handle(String cmd) throws IOException {
        synchronized (this) {
            if (rebooting) {
                return; // nobody listens to the serial line while the module boots
            }
            if (echo) {
                reply(cmd);
            }
        }
        String upper = cmd.toUpperCase(Locale.ROOT);
        if (upper.equals("ATE")) {
            synchronized (this) {
                echo = !echo;
            }
            reply("OK");
        } else if (upper.equals("AT+NWM=?")) {
            synchronized (this) {
                reply("AT+NWM=" + workMode, "OK");
            }
        } else if (upper.startsWith("AT+NWM=")) {
            workMode(upper.substring(7));
        } else if (upper.equals("AT")) {
            reply("OK");
        } else if (upper.equals("AT+VER=?")) {
            reply("AT+VER=RUI_4.0.6_RAK3172-E", "OK");
        } else if (upper.equals("AT+HWMODEL=?")) {
            reply("AT+HWMODEL=rak3172", "OK");
        } else if (upper.equals("AT+DR=?")) {
            reply("AT+DR=" + dataRate(), "OK");
        } else if (upper.equals("AT+ADR=?")) {
            reply("AT+ADR=" + (adr() ? 1 : 0), "OK");
        } else if (upper.startsWith("AT+DR=")) {
            // RUI3 takes 0..15; the virtual radio sends EU868 DR0..DR5 and refuses the rest as out of range
            String v = upper.substring(6);
            reply(inRange(v, RANGES.get("DR")) && dataRate(Integer.parseInt(v)) ? "OK" : "AT_PARAM_ERROR");
        } else if (upper.startsWith("AT+ADR=")) {
            String v = upper.substring(7);
            boolean ok = inRange(v, RANGES.get("ADR"));
            if (ok) {
                adr(v.equals("1"));
            }
            reply(ok ? "OK" : "AT_PARAM_ERROR");
        } else if (upper.matches("AT\\+(NWM|NJM|CFM|BAND)=.*")) {
            String name = upper.substring(3, upper.indexOf('='));
            reply(inRange(upper.substring(upper.indexOf('=') + 1), RANGES.get(name)) ? "OK" : "AT_PARAM_ERROR");
        } else if (upper.startsWith("AT+CLASS=")) {
            reply(upper.substring(9).matches("[ABC]") ? "OK" : "AT_PARAM_ERROR");
        } else if (secureElement() && upper.matches("AT\\+(DEVEUI|APPEUI|APPKEY)=.*") && !upper.matches("AT\\+(DEVEUI|APPEUI)=\\?")) {
            // the secure element keeps its identity and its key: the same refusal as for any value RUI3 will not take
            if (!upper.equals("AT+APPKEY=?")) {
                refusedWrite();
            }
            reply("AT_PARAM_ERROR");
        } else if (upper.equals("AT+DEVEUI=?")) {
            reply("AT+DEVEUI=" + devEui(), "OK");
        } else if (upper.equals("AT+APPEUI=?")) {
            reply("AT+APPEUI=" + appEui(), "OK");
        } else if (upper.equals("AT+APPKEY=?")) {
            reply("AT+APPKEY=" + appKey().toHex(), "OK");
        } else if (upper.startsWith("AT+DEVEUI=")) {
            // a malformed DevEUI clears the one programmed before
            Eui64 e = eui(cmd.substring(10));
            devEui(e == null ? Eui64.of(0) : e);
            reply(e == null ? "AT_PARAM_ERROR" : "OK");
        } else if (upper.startsWith("AT+APPEUI=")) {
            Eui64 e = eui(cmd.substring(10));
            if (e != null) {
                appEui(e);
            }
            reply(e == null ? "AT_PARAM_ERROR" : "OK");
        } else if (upper.startsWith("AT+APPKEY=")) {
            if (behaviour().rejectsAppKey()) {
                reply("AT_PARAM_ERROR");
                return;
            }
            try {
                appKey(AesKey.parse(cmd.substring(10)));
                reply("OK");
            } catch (RuntimeException e) {
                reply("AT_PARAM_ERROR");
            }
        } else if (upper.equals("AT+JOIN=?")) {
            synchronized (this) {
                reply("AT+JOIN=" + (joining ? 1 : 0) + ":" + autoJoin + ":" + period + ":" + attempts, "OK");
            }
        } else if (upper.equals("AT+JOIN")) {
            join(null);
        } else if (upper.startsWith("AT+JOIN=")) {
            join(upper.substring(8).split(":", -1));
        } else if (upper.startsWith("AT+SEND=")) {
            send(cmd.substring(8));
        } else {
            reply("AT_COMMAND_NOT_FOUND");
        }
    }

    /** {@code AT+NWM=<mode>}: OK, then a reboot into that mode. */
    private void workMode(String value) throws IOException {
        if (!inRange(value, new int[] {0, 2})) {
            reply("AT_PARAM_ERROR");
            return;
        }
        int mode = Integer.parseInt(value);
        synchronized (this) {
            workMode = mode;
            rebooting = true;
            run++; // a join under way dies with the reboot
            joining = false;
            forgetSession();
            reply("OK");
        }
        onRadioAfter(BOOT_TIME, () -> {
            synchronized (this) {
                rebooting = false;
            }
            event(BANNER[0], BANNER[1], "Current Work Mode: " + (mode == 1 ? "LoRaWAN." : "LoRa P2P."));
        });
    }

    private static boolean inRange(String value, int[] range) {
        if (!value.matches("\\d{1,3}")) {
            return false;
        }
        int v = Integer.parseInt(value);
        return v >= range[0] && v <= range[1];
    }

    /** {@code AT+JOIN} ({@code params} null) or {@code AT+JOIN=j[:a[:p[:n]]]}. */
    private void join(String[] params) throws IOException {
        if (params != null && (params.length > 4 || !inRange(params[0], new int[] {0, 1})
                || params.length > 1 && !inRange(params[1], new int[] {0, 1})
                || params.length > 2 && !inRange(params[2], new int[] {7, 255})
                || params.length > 3 && !inRange(params[3], new int[] {0, 255}))) {
            reply("AT_PARAM_ERROR");
            return;
        }
        int myRun;
        int n;
        Duration p;
        synchronized (this) {
            if (params != null && params[0].equals("0")) {
                run++; // a join still running ends without another event
                joining = false;
                reply("OK");
                return;
            }
            if (joining) {
                reply("AT_BUSY_ERROR");
                return;
            }
            if (params != null) {
                autoJoin = params.length > 1 ? Integer.parseInt(params[1]) : autoJoin;
                period = params.length > 2 ? Integer.parseInt(params[2]) : period;
                attempts = params.length > 3 ? Integer.parseInt(params[3]) : attempts;
            }
            joining = true;
            myRun = ++run;
            n = attempts + 1; // Param4 counts the attempts after the first
            p = Duration.ofSeconds(period);
            reply("OK");
        }
        onRadio(() -> attempt(myRun, 1, n, p));
    }

    private synchronized boolean current(int myRun) {
        return joining && run == myRun;
    }

    private synchronized void joinEnded(int myRun) {
        if (run == myRun) {
            joining = false;
        }
    }

    /** On the radio thread: attempt {@code n} of {@code of}; a failure schedules the next one a period later. */
    private void attempt(int myRun, int n, int of, Duration p) {
        if (!current(myRun)) {
            return;
        }
        joinAttempt(o -> {
            if (!current(myRun)) {
                return;
            }
            if (o.isPresent() && o.get().joined()) {
                joinEnded(myRun);
                event("+EVT:JOINED");
                return;
            }
            if (n >= of) {
                joinEnded(myRun);
            }
            event("+EVT:JOIN_FAILED_RX_TIMEOUT");
            if (n < of) {
                onRadioAfter(p, () -> attempt(myRun, n + 1, of, p));
            }
        });
    }

    private void send(String args) throws IOException {
        String[] parts = args.split(":", 2);
        boolean joined = session().isPresent();
        if (parts.length != 2 || !joined) {
            reply(joined ? "AT_PARAM_ERROR" : "AT_NO_NETWORK_JOINED");
            return;
        }
        byte[] payload;
        int port;
        try {
            port = Integer.parseInt(parts[0]);
            payload = Hex.parse(parts[1], "payload");
        } catch (RuntimeException e) {
            reply("AT_PARAM_ERROR");
            return;
        }
        reply("OK");
        onRadio(() -> {
            // RUI3 reports the transmission done whether or not a gateway heard it, after the receive windows; a downlink
            // received in them is reported first
            uplinkOverTheAir(port, payload, false, r -> event("+EVT:RX_" + r.window() + ":" + r.rssi() + ":" + Math.round(r.snr())
                    + ":UNICAST:" + r.port() + ":" + Hex.format(r.payload()).toUpperCase(Locale.ROOT)));
            event("+EVT:TX_DONE");
        });
    }

    private static Eui64 eui(String hex) {
        try {
            return Eui64.parse(hex);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
