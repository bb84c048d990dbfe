package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RAKwireless RAK3172 with RUI3 firmware, as the RUI3 AT command manual (docs.rakwireless.com, RUI3 › Serial Operating
 * Modes › AT Command Manual) and the RUI3 sources (github.com/RAKWireless/RAK-STM32-RUI, tags v3.2.0 … v4.1.1) have it.
 *
 * <ul>
 *   <li>Success {@code OK}; errors {@code AT_ERROR}, {@code AT_PARAM_ERROR}, {@code AT_BUSY_ERROR},
 *       {@code AT_TEST_PARAM_OVERFLOW}, {@code AT_NO_CLASSB_ENABLE}, {@code AT_NO_NETWORK_JOINED},
 *       {@code AT_RX_ERROR}, {@code AT_MODE_NO_SUPPORT}, {@code AT_COMMAND_NOT_FOUND}.</li>
 *   <li>Queries {@code AT+X=?} answer {@code AT+X=<value>} (RUI3 4.x echo form) then {@code OK}; the bare
 *       value form of older RUI3 builds is accepted too.</li>
 *   <li>Command echo: {@code ATE} <em>toggles</em> echo and stores it in flash ({@code At_Echo} in
 *       {@code atcmd_general.c}), so a module someone left with echo on prints every command back before its answer.
 *       The driver drops that copy of its own line and never sends {@code ATE}: blindly it could as well turn echo on.</li>
 *   <li>EUIs and keys are 16/32 hex digits MSB first without separators; RUI3 stores settings in flash on
 *       every set, so there is no save command. Keys can be read back ({@code AT+APPKEY=?}).</li>
 *   <li>Setup: {@code AT+NWM=1} (LoRaWAN), {@code AT+NJM=1} (OTAA), {@code AT+BAND=4} (EU868). From RUI3 3.5 on,
 *       setting the work mode prints {@code OK} (without a line end) and reboots the module, even into the mode it was
 *       in ({@code At_NwkWorkMode}, {@code atcmd_p2p.c}); it is ready again when its boot banner has ended with
 *       {@code Current Work Mode: LoRaWAN.}. So the driver asks {@code AT+NWM=?} first and sets the mode only when it
 *       differs, then waits up to {@link #BOOT_TIMEOUT} for the banner (RUI3 3.2–3.4 switch without a reboot and
 *       answer {@code OK} at once: after the wait an {@code AT} must answer).</li>
 *   <li>Join {@code AT+JOIN=<join 1|0>:<auto-join 0|1>:<period 7..255 s>:<re-attempts 0..255>} answers {@code OK};
 *       the module then prints {@code +EVT:JOINED} or {@code +EVT:JOIN_FAILED_<reason>} (e.g.
 *       {@code JOIN_FAILED_RX_TIMEOUT}; the older {@code +EVT:JOIN FAILED} form is accepted too) once the attempt's
 *       receive windows have closed. Param4 counts <em>re</em>-attempts ({@code ++retry > max} ends the join in
 *       {@code service_lora.c}: 0 joins once), and the next attempt starts Param3 seconds after a failed one, not after
 *       its start. RUI3 3.2–3.4 retry only with auto-join (Param2) set, which is kept in flash and makes the module
 *       join at every power-up, so for them (and for a version it cannot read) the driver joins once per command and
 *       sends the next command itself, Param3 after a failure, as the firmware would.</li>
 *   <li>The manual asks to wait for a command's asynchronous event before the next command, so no command is sent
 *       while an attempt is in flight: an attempt under way when the station's deadline passes is waited out (up to
 *       {@link JoinAttempts#ATTEMPT_TIME}); only between attempts, when the module merely waits for its retry timer,
 *       does {@code AT+JOIN=0} stop it, so that a late {@code +EVT:JOINED} cannot reach the next unit.</li>
 *   <li>Send {@code AT+CFM=0|1} then {@code AT+SEND=<port>:<hex>}; events {@code +EVT:TX_DONE} (unconfirmed),
 *       {@code +EVT:SEND_CONFIRMED_OK} / {@code +EVT:SEND_CONFIRMED_FAILED} (confirmed). A downlink received in the
 *       uplink's windows is reported as {@code +EVT:RX_1:<rssi>:<snr>:UNICAST:<port>:<hex>} (RX_2, RX_B, RX_C for the
 *       other slots), before or after the send's own event.</li>
 *   <li>Data rate (the TS009 echo on each of a product's data rates): {@code AT+ADR=0} then {@code AT+DR=<0..15>}, each
 *       answering {@code OK} or {@code AT_PARAM_ERROR}.</li>
 *   <li>LoRaWAN 1.0.x only: a {@code nwkKey} is refused with {@code unsupported}.</li>
 * </ul>
 */
public final class Rak3172Rui3 implements AtDialect {

    /** RUI3 band number of EU868. */
    public static final int BAND_EU868 = 4;

    /**
     * How long a reboot after {@code AT+NWM=1} may take until the banner's last line: a RUI3 boot prints it within
     * about a second; ten times that leaves room for a slow flash and a busy host.
     */
    public static final Duration BOOT_TIMEOUT = Duration.ofSeconds(10);

    /** The last line of RUI3's boot banner, followed by the mode ({@code LoRaWAN.}, {@code LoRa P2P.}). */
    static final String BANNER_END = "Current Work Mode:";

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+");

    private final AtSession at;
    private final int band;
    /** The firmware version {@link #identify()} read (e.g. {@code RUI_4.0.6_RAK3172-E}), null before. */
    private String firmware;

    public Rak3172Rui3(AtTransport transport) {
        this(transport, BAND_EU868);
    }

    public Rak3172Rui3(AtTransport transport, int band) {
        this.at = new AtSession(transport, "OK"::equals, Rak3172Rui3::isError);
        this.band = band;
    }

    private static boolean isError(String l) {
        return l.startsWith("AT_") && l.endsWith("ERROR")
                || l.equals("AT_NO_NETWORK_JOINED") || l.equals("AT_MODE_NO_SUPPORT") || l.equals("AT_NO_CLASSB_ENABLE")
                || l.equals("AT_TEST_PARAM_OVERFLOW") || l.equals("AT_COMMAND_NOT_FOUND");
    }

    @Override
    public String name() {
        return "rak3172-rui3";
    }

    /** Sends {@code line}; returns the value lines of its answer, without the module's echo of the line. */
    private List<String> exec(String label, String line) {
        return withoutEcho(line, at.exec(label, line));
    }

    /** The answer without the copy of the command a module with echo on prints first. */
    private static List<String> withoutEcho(String line, List<String> lines) {
        return !lines.isEmpty() && lines.get(0).equals(line) ? lines.subList(1, lines.size()) : lines;
    }

    @Override
    public ModuleInfo identify() {
        firmware = query("AT+VER");
        return new ModuleInfo(name(), query("AT+HWMODEL"), firmware);
    }

    @Override
    public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
        if (nwkKey.isPresent()) {
            throw new AtException(AtException.Code.UNSUPPORTED, "RAK3172 RUI3 has no NwkKey (LoRaWAN 1.0.x)");
        }
        if (!query("AT+NWM").equals("1")) {
            switchToLoRaWan();
        }
        exec("AT+NJM", "AT+NJM=1");
        exec("AT+BAND", "AT+BAND=" + band);
        exec("AT+DEVEUI", "AT+DEVEUI=" + AtSession.hex(devEui.toBytes()));
        exec("AT+APPEUI", "AT+APPEUI=" + AtSession.hex(joinEui.toBytes()));
        exec("AT+APPKEY", "AT+APPKEY=" + AtSession.hex(appKey.bytes()));
    }

    /** {@code AT+NWM=1} and the reboot that follows it on RUI3 3.5 and later. */
    private void switchToLoRaWan() {
        List<String> answer = withoutEcho("AT+NWM=1", at.transport().commandUntil("AT+NWM=1",
                l -> l.equals("OK") || isError(l) || l.contains(BANNER_END), BOOT_TIMEOUT));
        String last = answer.get(answer.size() - 1);
        if (isError(last)) {
            throw new AtException(AtException.Code.MODULE_ERROR, "AT+NWM answered " + last);
        }
        if (!last.contains(BANNER_END)) {
            try {
                List<String> boot = at.transport().awaitEvent(l -> l.contains(BANNER_END), BOOT_TIMEOUT);
                last = boot.get(boot.size() - 1);
            } catch (AtException e) {
                if (e.code() != AtException.Code.TIMEOUT) {
                    throw e;
                }
                // no reboot (RUI3 3.2-3.4): the module must simply answer
                try {
                    exec("AT", "AT");
                } catch (AtException silent) {
                    if (silent.code() != AtException.Code.TIMEOUT) {
                        throw silent;
                    }
                    throw new AtException(AtException.Code.TIMEOUT,
                            "the module did not come back within " + BOOT_TIMEOUT.toSeconds() + " s after AT+NWM=1");
                }
                return;
            }
        }
        if (!last.substring(last.indexOf(BANNER_END) + BANNER_END.length()).strip().startsWith("LoRaWAN")) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "after AT+NWM=1 the module booted in another work mode");
        }
    }

    @Override
    public ReadBack readBack() {
        return new ReadBack(
                Values.eui("DevEUI", query("AT+DEVEUI")),
                Values.eui("JoinEUI", query("AT+APPEUI")),
                Optional.of(Values.key("AppKey", query("AT+APPKEY"))),
                Optional.empty());
    }

    /** DevEUI and AppEUI only: {@code AT+APPKEY=?} is never sent (a secure element answers it AT_PARAM_ERROR). */
    @Override
    public ReadBack readEuis() {
        return new ReadBack(Values.eui("DevEUI", query("AT+DEVEUI")), Values.eui("JoinEUI", query("AT+APPEUI")),
                Optional.empty(), Optional.empty());
    }

    private String query(String cmd) {
        return Values.afterEcho(cmd + "=", AtSession.single(cmd, exec(cmd, cmd + "=?")));
    }

    /** RUI3's bounds of the reattempt period. */
    static final int MIN_PERIOD_S = 7;
    static final int MAX_PERIOD_S = 255;

    @Override
    public JoinResult join(Duration timeout) {
        return join(JoinAttempts.ONCE, timeout);
    }

    @Override
    public boolean retriesJoins() {
        return true;
    }

    @Override
    public Duration longestJoin(JoinAttempts attempts) {
        return attempts.longestSpacedAfterFailure();
    }

    /**
     * Whether this firmware retries a failed join by itself without auto-join: RUI3 3.5 and later. False for 3.2–3.4
     * and for a version string without a number.
     */
    boolean retriesByItself() {
        if (firmware == null) {
            firmware = query("AT+VER");
        }
        Matcher m = VERSION.matcher(firmware);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 3 || major == 3 && minor >= 5;
    }

    @Override
    public JoinResult join(JoinAttempts attempts, Duration timeout) {
        AtTransport t = at.transport();
        long period = Math.max(MIN_PERIOD_S, Math.min(MAX_PERIOD_S, attempts.period().toSeconds()));
        long periodNanos = Duration.ofSeconds(period).toNanos();
        boolean byModule = retriesByItself();
        String command = "AT+JOIN=1:0:" + period + ":" + (byModule ? attempts.retries() : 0);
        long deadline = t.nanoTime() + timeout.toNanos();
        exec("AT+JOIN", command);
        long attemptStart = t.nanoTime();
        for (int attempt = 1; ; attempt++) {
            // an attempt in flight is waited out even past the deadline: RUI3 takes no command while it joins
            long until = Math.max(attemptStart + JoinAttempts.ATTEMPT_TIME.toNanos(), deadline);
            List<String> ev;
            try {
                ev = t.awaitEvent(l -> l.equals("+EVT:JOINED") || isJoinFailure(l),
                        Duration.ofNanos(Math.max(0, until - t.nanoTime())));
            } catch (AtException e) {
                if (e.code() == AtException.Code.TIMEOUT) {
                    // the attempt's documented time is over without a verdict: no join is outstanding any more
                    stopJoining();
                    throw new AtException(AtException.Code.TIMEOUT, "no join event within "
                            + JoinAttempts.ATTEMPT_TIME.toSeconds() + " s of join attempt " + attempt);
                }
                throw e;
            }
            String last = ev.get(ev.size() - 1);
            if (last.equals("+EVT:JOINED")) {
                return new JoinResult(true, last);
            }
            if (attempt >= attempts.attempts()) {
                return new JoinResult(false, last);
            }
            long failed = t.nanoTime();
            attemptStart = failed + periodNanos;
            if (attemptStart >= deadline) {
                // between attempts nothing is in flight: stop the module's retry timer, if it runs one
                if (byModule) {
                    stopJoining();
                }
                return new JoinResult(false, last);
            }
            if (!byModule) {
                pause(periodNanos);
                exec("AT+JOIN", command);
                attemptStart = t.nanoTime();
            }
        }
    }

    /** Waits on the line for {@code nanos}, as the firmware waits before its next attempt; lines meanwhile are stray. */
    private void pause(long nanos) {
        try {
            at.transport().awaitEvent(l -> false, Duration.ofNanos(nanos));
        } catch (AtException e) {
            if (e.code() != AtException.Code.TIMEOUT) {
                throw e;
            }
        }
    }

    private static boolean isJoinFailure(String l) {
        return l.startsWith("+EVT:JOIN_FAILED") || l.startsWith("+EVT:JOIN FAILED");
    }

    /** {@code AT+JOIN=0}: the module stops retrying; best effort, the join has ended for the station already. */
    private void stopJoining() {
        try {
            exec("AT+JOIN", "AT+JOIN=0");
        } catch (AtException e) {
            if (e.code() == AtException.Code.PORT_UNAVAILABLE) {
                throw e;
            }
            // the join's own outcome is what the station reports
        }
    }

    /** {@code AT+ADR=0}, then {@code AT+DR=<dr>}; each answers {@code OK} ({@code AT_PARAM_ERROR} out of range). */
    @Override
    public void dataRate(int dr) {
        exec("AT+ADR", "AT+ADR=0");
        exec("AT+DR", "AT+DR=" + dr);
    }

    @Override
    public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
        AtSession.checkUplink(port, payload);
        exec("AT+CFM", "AT+CFM=" + (confirmed ? 1 : 0));
        exec("AT+SEND", "AT+SEND=" + port + ":" + AtSession.hex(payload));
        List<String> ev = at.transport().awaitEvent(confirmed
                ? l -> l.startsWith("+EVT:SEND_CONFIRMED_") : l -> l.equals("+EVT:TX_DONE"), timeout);
        String last = ev.get(ev.size() - 1);
        Optional<ReceivedDownlink> down = DownlinkReports.first(ev, Rak3172Rui3::downlinkOf);
        if (!confirmed) {
            return new SendResult(SendResult.Status.SENT, last, down);
        }
        return new SendResult(last.equals("+EVT:SEND_CONFIRMED_OK")
                ? SendResult.Status.ACKNOWLEDGED : SendResult.Status.NOT_ACKNOWLEDGED, last, down);
    }

    /**
     * RUI3's downlink report, {@code +EVT:RX_<slot>:<rssi>:<snr>:<UNICAST|MULTICAST>:<port>:<hex>}: slot 1, 2, B (ping
     * slot) or C; RSSI and SNR whole numbers (RAK's RUI3 examples print them with {@code %d}).
     */
    private static final Pattern RX = Pattern.compile("\\+EVT:RX_(\\w+):(-?\\d+):(-?\\d+):(?:UNICAST|MULTICAST):(\\d+):([0-9A-Fa-f]*)");

    static Optional<ReceivedDownlink> downlinkOf(String line) {
        Matcher m = RX.matcher(line);
        byte[] payload = m.matches() ? DownlinkReports.hex(m.group(5)) : null;
        if (payload == null) {
            return Optional.empty();
        }
        return Optional.of(new ReceivedDownlink(Integer.parseInt(m.group(4)), payload, Optional.of("RX" + m.group(1)),
                java.util.OptionalInt.of(Integer.parseInt(m.group(2))), java.util.OptionalDouble.of(Integer.parseInt(m.group(3))), line));
    }

    /** A report that comes after {@code +EVT:TX_DONE} (RUI3 prints the two from separate callbacks). */
    @Override
    public Optional<ReceivedDownlink> awaitDownlink(Duration timeout) {
        return DownlinkReports.await(at.transport(), Rak3172Rui3::downlinkOf, timeout);
    }
}
