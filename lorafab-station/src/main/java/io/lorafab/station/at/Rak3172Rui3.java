package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * RAKwireless RAK3172 with RUI3 firmware.
 *
 * <ul>
 *   <li>Success {@code OK}; errors {@code AT_ERROR}, {@code AT_PARAM_ERROR}, {@code AT_BUSY_ERROR},
 *       {@code AT_TEST_PARAM_OVERFLOW}, {@code AT_NO_CLASSB_ENABLE}, {@code AT_NO_NETWORK_JOINED},
 *       {@code AT_RX_ERROR}, {@code AT_MODE_NO_SUPPORT}, {@code AT_COMMAND_NOT_FOUND}.</li>
 *   <li>Queries {@code AT+X=?} answer {@code AT+X=<value>} (RUI3 4.x echo form) then {@code OK}; the bare
 *       value form of older RUI3 builds is accepted too.</li>
 *   <li>EUIs and keys are 16/32 hex digits MSB first without separators; RUI3 stores settings in flash on
 *       every set, so there is no save command. Keys can be read back ({@code AT+APPKEY=?}).</li>
 *   <li>Setup: {@code AT+NWM=1} (LoRaWAN), {@code AT+NJM=1} (OTAA), {@code AT+BAND=4} (EU868).</li>
 *   <li>Join {@code AT+JOIN=1:0:<period>:<attempts>} (join, no auto-join, reattempt period 7..255 s, attempts)
 *       answers {@code OK}; the module then prints {@code +EVT:JOIN_FAILED_<reason>} (e.g.
 *       {@code JOIN_FAILED_RX_TIMEOUT}, {@code JOIN_FAILED_TX_TIMEOUT}; the older {@code +EVT:JOIN FAILED} form
 *       is accepted too) after <em>each</em> failed attempt and tries again while attempts remain, so the join
 *       has failed only after as many failure events as attempts; {@code +EVT:JOINED} ends it at any point. When
 *       the station gives up waiting, {@code AT+JOIN=0} stops the module joining, so that a late
 *       {@code +EVT:JOINED} cannot reach the next unit.</li>
 *   <li>Send {@code AT+CFM=0|1} then {@code AT+SEND=<port>:<hex>}; events {@code +EVT:TX_DONE} (unconfirmed),
 *       {@code +EVT:SEND_CONFIRMED_OK} / {@code +EVT:SEND_CONFIRMED_FAILED} (confirmed).</li>
 *   <li>LoRaWAN 1.0.x only: a {@code nwkKey} is refused with {@code unsupported}.</li>
 * </ul>
 */
public final class Rak3172Rui3 implements AtDialect {

    /** RUI3 band number of EU868. */
    public static final int BAND_EU868 = 4;

    private final AtSession at;
    private final int band;

    public Rak3172Rui3(AtTransport transport) {
        this(transport, BAND_EU868);
    }

    public Rak3172Rui3(AtTransport transport, int band) {
        this.at = new AtSession(transport, "OK"::equals, l -> l.startsWith("AT_") && l.endsWith("ERROR")
                || l.equals("AT_NO_NETWORK_JOINED") || l.equals("AT_MODE_NO_SUPPORT") || l.equals("AT_NO_CLASSB_ENABLE")
                || l.equals("AT_TEST_PARAM_OVERFLOW") || l.equals("AT_COMMAND_NOT_FOUND"));
        this.band = band;
    }

    @Override
    public String name() {
        return "rak3172-rui3";
    }

    @Override
    public ModuleInfo identify() {
        String ver = Values.afterEcho("AT+VER=", AtSession.single("AT+VER", at.exec("AT+VER", "AT+VER=?")));
        String model = Values.afterEcho("AT+HWMODEL=",
                AtSession.single("AT+HWMODEL", at.exec("AT+HWMODEL", "AT+HWMODEL=?")));
        return new ModuleInfo(name(), model, ver);
    }

    @Override
    public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
        if (nwkKey.isPresent()) {
            throw new AtException(AtException.Code.UNSUPPORTED, "RAK3172 RUI3 has no NwkKey (LoRaWAN 1.0.x)");
        }
        at.exec("AT+NWM", "AT+NWM=1");
        at.exec("AT+NJM", "AT+NJM=1");
        at.exec("AT+BAND", "AT+BAND=" + band);
        at.exec("AT+DEVEUI", "AT+DEVEUI=" + AtSession.hex(devEui.toBytes()));
        at.exec("AT+APPEUI", "AT+APPEUI=" + AtSession.hex(joinEui.toBytes()));
        at.exec("AT+APPKEY", "AT+APPKEY=" + AtSession.hex(appKey.bytes()));
    }

    @Override
    public ReadBack readBack() {
        return new ReadBack(
                Values.eui("DevEUI", query("AT+DEVEUI")),
                Values.eui("JoinEUI", query("AT+APPEUI")),
                Optional.of(Values.key("AppKey", query("AT+APPKEY"))),
                Optional.empty());
    }

    private String query(String cmd) {
        return Values.afterEcho(cmd + "=", AtSession.single(cmd, at.exec(cmd, cmd + "=?")));
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
    public JoinResult join(JoinAttempts attempts, Duration timeout) {
        long period = Math.max(MIN_PERIOD_S, Math.min(MAX_PERIOD_S, attempts.period().toSeconds()));
        at.exec("AT+JOIN", "AT+JOIN=1:0:" + period + ":" + attempts.attempts());
        long deadline = System.nanoTime() + timeout.toNanos();
        int failed = 0;
        while (true) {
            List<String> ev;
            try {
                ev = at.transport().awaitEvent(l -> l.equals("+EVT:JOINED") || isJoinFailure(l),
                        Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (AtException e) {
                stopJoining();
                throw e;
            }
            String last = ev.get(ev.size() - 1);
            if (last.equals("+EVT:JOINED")) {
                return new JoinResult(true, last);
            }
            failed++;
            if (failed >= attempts.attempts()) {
                return new JoinResult(false, last);
            }
        }
    }

    private static boolean isJoinFailure(String l) {
        return l.startsWith("+EVT:JOIN_FAILED") || l.startsWith("+EVT:JOIN FAILED");
    }

    /** {@code AT+JOIN=0}: the module stops trying; best effort, the join has already timed out. */
    private void stopJoining() {
        try {
            at.exec("AT+JOIN", "AT+JOIN=0");
        } catch (AtException ignored) {
            // the timeout is what the station reports
        }
    }

    @Override
    public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
        AtSession.checkUplink(port, payload);
        at.exec("AT+CFM", "AT+CFM=" + (confirmed ? 1 : 0));
        at.exec("AT+SEND", "AT+SEND=" + port + ":" + AtSession.hex(payload));
        List<String> ev = at.transport().awaitEvent(confirmed
                ? l -> l.startsWith("+EVT:SEND_CONFIRMED_") : l -> l.equals("+EVT:TX_DONE"), timeout);
        String last = ev.get(ev.size() - 1);
        if (!confirmed) {
            return new SendResult(SendResult.Status.SENT, last);
        }
        return new SendResult(last.equals("+EVT:SEND_CONFIRMED_OK")
                ? SendResult.Status.ACKNOWLEDGED : SendResult.Status.NOT_ACKNOWLEDGED, last);
    }
}
