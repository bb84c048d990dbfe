package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Microchip RN2483 (firmware 1.0.x), plain-text commands without {@code AT} prefix.
 *
 * <ul>
 *   <li>{@code sys get ver} answers e.g. {@code RN2483 1.0.5 Oct 31 2018 15:06:52} (model is the first word).</li>
 *   <li>Setup: {@code mac reset 868} (EU868 band, defaults), {@code mac set deveui <16 hex>},
 *       {@code mac set appeui <16 hex>}, {@code mac set appkey <32 hex>}, each answering {@code ok};
 *       {@code mac save} writes them to EEPROM (answers {@code ok}). Hex is MSB first, no separators.</li>
 *   <li>Errors: {@code invalid_param}, {@code keys_not_init}, {@code no_free_ch}, {@code silent},
 *       {@code busy}, {@code mac_paused}, {@code denied}, {@code invalid_data_len}, {@code not_joined},
 *       {@code frame_counter_err_rejoin_needed}.</li>
 *   <li>Read back: {@code mac get deveui}, {@code mac get appeui} print the hex value. There is no
 *       {@code mac get appkey}: the AppKey cannot be read back.</li>
 *   <li>Join: {@code mac join otaa} answers {@code ok}, then asynchronously {@code accepted} or
 *       {@code denied}.</li>
 *   <li>Send: {@code mac tx cnf|uncnf <port> <hex>} answers {@code ok}, then {@code mac_tx_ok},
 *       {@code mac_rx <port> <hex>} (downlink, counts as acknowledged for a confirmed uplink) or
 *       {@code mac_err}.</li>
 *   <li>LoRaWAN 1.0.x: a {@code nwkKey} is refused with {@code unsupported}.</li>
 * </ul>
 */
public final class MicrochipRn2483 implements AtDialect {

    private static final Set<String> ERRORS = Set.of("invalid_param", "keys_not_init", "no_free_ch", "silent",
            "busy", "mac_paused", "denied", "invalid_data_len", "not_joined", "frame_counter_err_rejoin_needed",
            "invalid_class", "invalid_data_rate", "radio_err", "err");

    private final AtSession at;
    private final String band;

    public MicrochipRn2483(AtTransport transport) {
        this(transport, "868");
    }

    public MicrochipRn2483(AtTransport transport, String band) {
        this.at = new AtSession(transport, "ok"::equals, ERRORS::contains);
        this.band = band;
    }

    @Override
    public String name() {
        return "microchip-rn2483";
    }

    @Override
    public ModuleInfo identify() {
        List<String> lines = at.raw("sys get ver");
        String v = AtSession.single("sys get ver", lines);
        if (ERRORS.contains(v)) {
            throw new AtException(AtException.Code.MODULE_ERROR, "sys get ver answered " + v);
        }
        String[] words = v.split(" ");
        if (words.length < 2) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, "sys get ver: no model and version");
        }
        return new ModuleInfo(name(), words[0], words[1]);
    }

    @Override
    public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
        if (nwkKey.isPresent()) {
            throw new AtException(AtException.Code.UNSUPPORTED, "RN2483 has no NwkKey (LoRaWAN 1.0.x)");
        }
        at.exec("mac reset", "mac reset " + band);
        at.exec("mac set deveui", "mac set deveui " + AtSession.hex(devEui.toBytes()));
        at.exec("mac set appeui", "mac set appeui " + AtSession.hex(joinEui.toBytes()));
        at.exec("mac set appkey", "mac set appkey " + AtSession.hex(appKey.bytes()));
        at.exec("mac save", "mac save");
    }

    @Override
    public ReadBack readBack() {
        return new ReadBack(Values.eui("DevEUI", get("mac get deveui")), Values.eui("JoinEUI", get("mac get appeui")),
                Optional.empty(), Optional.empty());
    }

    private String get(String cmd) {
        String v = AtSession.single(cmd, at.raw(cmd));
        if (ERRORS.contains(v)) {
            throw new AtException(AtException.Code.MODULE_ERROR, cmd + " answered " + v);
        }
        return v;
    }

    @Override
    public JoinResult join(Duration timeout) {
        at.exec("mac join", "mac join otaa");
        List<String> ev = at.transport().awaitEvent(l -> l.equals("accepted") || l.equals("denied"), timeout);
        String last = ev.get(ev.size() - 1);
        return new JoinResult(last.equals("accepted"), last);
    }

    /**
     * {@code mac set adr off}, then {@code mac set dr <0..7>}: each answers {@code ok}, or {@code invalid_param} for a
     * data rate the band does not have (RN2483 Command Reference, 2.4.8.8 and 2.4.8.9).
     */
    @Override
    public void dataRate(int dr) {
        at.exec("mac set adr", "mac set adr off");
        at.exec("mac set dr", "mac set dr " + dr);
    }

    @Override
    public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
        AtSession.checkUplink(port, payload);
        at.exec("mac tx", "mac tx " + (confirmed ? "cnf " : "uncnf ") + port + " " + AtSession.hex(payload));
        List<String> ev = at.transport().awaitEvent(l -> l.equals("mac_tx_ok") || l.startsWith("mac_rx ")
                || l.equals("mac_err") || l.equals("invalid_data_len"), timeout);
        String last = ev.get(ev.size() - 1);
        if (last.equals("invalid_data_len")) {
            throw new AtException(AtException.Code.MODULE_ERROR, "mac tx answered invalid_data_len");
        }
        if (!confirmed) {
            if (last.equals("mac_err")) {
                throw new AtException(AtException.Code.MODULE_ERROR, "mac tx answered mac_err");
            }
            return new SendResult(SendResult.Status.SENT, last, downlinkOf(last));
        }
        return new SendResult(last.equals("mac_err") ? SendResult.Status.NOT_ACKNOWLEDGED
                : SendResult.Status.ACKNOWLEDGED, last, downlinkOf(last));
    }

    /** {@code mac_rx <port> <hex>}: the module reports no signal with it. */
    static Optional<ReceivedDownlink> downlinkOf(String line) {
        String[] w = line.split(" ");
        if (w.length < 2 || w.length > 3 || !w[0].equals("mac_rx") || !w[1].matches("\\d{1,3}")) {
            return Optional.empty();
        }
        byte[] payload = DownlinkReports.hex(w.length == 3 ? w[2] : "");
        return payload == null ? Optional.empty() : Optional.of(new ReceivedDownlink(Integer.parseInt(w[1]), payload, Optional.empty(),
                java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), line));
    }

    /** {@code mac_rx} takes the place of {@code mac_tx_ok} as the send's answer: no report can come after it. */
    @Override
    public Optional<ReceivedDownlink> awaitDownlink(Duration timeout) {
        return Optional.empty();
    }
}
