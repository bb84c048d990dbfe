package io.lorafab.gateway.basicstation;

import io.lorafab.lorawan.types.Eui64;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The messages of LoRa Basics Station's LNS protocol (protocol version 2), one record each. The field names in
 * the comments are the wire names; where each fact comes from is said on {@link LnsCodec}.
 *
 * <p>Byte arrays are copied in and out; records holding them compare by content.
 */
public sealed interface LnsMessage {

    /** The {@code msgtype} on the wire; the discovery messages have none (null). */
    String msgtype();

    // ---------------------------------------------------------------- discovery (/router-info)

    /** {@code {"router": <id>}}: the station asks where its traffic socket is. */
    record RouterInfoRequest(Eui64 router) implements LnsMessage {
        public RouterInfoRequest {
            Objects.requireNonNull(router, "router");
        }

        @Override
        public String msgtype() {
            return null;
        }
    }

    /** {@code {"router", "muxs", "uri"}}: the answer, the station then connects to {@code uri}. */
    record RouterInfoResponse(Eui64 router, String muxs, String uri) implements LnsMessage {
        public RouterInfoResponse {
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(muxs, "muxs");
            Objects.requireNonNull(uri, "uri");
        }

        @Override
        public String msgtype() {
            return null;
        }
    }

    /** {@code {"router", "error"}}: the station is refused (it then goes to CUPS, or retries). */
    record RouterInfoError(Eui64 router, String error) implements LnsMessage {
        public RouterInfoError {
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String msgtype() {
            return null;
        }
    }

    // ---------------------------------------------------------------- traffic: station → server

    /** The first message on the traffic socket. Every field is text the station makes up; none is required. */
    record Version(String station, String firmware, String packageVersion, String model, int protocol,
            String features) implements LnsMessage {
        public Version {
            station = Objects.requireNonNullElse(station, "");
            firmware = Objects.requireNonNullElse(firmware, "");
            packageVersion = Objects.requireNonNullElse(packageVersion, "");
            model = Objects.requireNonNullElse(model, "");
            features = Objects.requireNonNullElse(features, "");
        }

        @Override
        public String msgtype() {
            return "version";
        }
    }

    /**
     * The radio metadata of an uplink ({@code upinfo}) and its top-level {@code DR}, {@code Freq}, {@code RefTime}.
     *
     * @param dr       the data-rate index of the router_config's {@code DRs} table
     * @param freqHz   the frequency in Hz
     * @param rctx     the radio context (which concentrator / antenna heard it): goes back in the downlink
     * @param xtime    the concentrator time of the reception (session id in the upper bits, µs below): goes back
     *                 in the downlink, which the station times from it
     * @param gpstime  GPS time in µs, 0 when the station has none
     * @param rssi     RSSI in dBm (the station sends it negative)
     * @param snr      SNR in dB
     * @param rxtime   the station's UTC time of reception, seconds since the epoch
     * @param refTime  {@code RefTime}: the server's MuxTime the station has plus the time since, 0 when unknown
     */
    record UpInfo(int dr, long freqHz, long rctx, long xtime, long gpstime, int rssi, double snr, double rxtime,
            double refTime) {
    }

    /** {@code jreq}: a join-request, its PHYPayload split into fields. */
    record JoinRequest(int mhdr, Eui64 joinEui, Eui64 devEui, int devNonce, int mic, UpInfo up) implements LnsMessage {
        public JoinRequest {
            Objects.requireNonNull(joinEui, "joinEui");
            Objects.requireNonNull(devEui, "devEui");
            Objects.requireNonNull(up, "up");
        }

        @Override
        public String msgtype() {
            return "jreq";
        }
    }

    /**
     * {@code updf}: a data uplink, its PHYPayload split into fields.
     *
     * @param devAddr the DevAddr as the station sends it: the 32-bit address as a signed int
     * @param fport   -1 when the frame has no FPort
     */
    record DataUplink(int mhdr, int devAddr, int fctrl, int fcnt, byte[] fopts, int fport, byte[] frmPayload, int mic,
            UpInfo up) implements LnsMessage {
        public DataUplink {
            fopts = Objects.requireNonNull(fopts, "fopts").clone();
            frmPayload = Objects.requireNonNull(frmPayload, "frmPayload").clone();
            Objects.requireNonNull(up, "up");
        }

        @Override
        public byte[] fopts() {
            return fopts.clone();
        }

        @Override
        public byte[] frmPayload() {
            return frmPayload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DataUplink d && mhdr == d.mhdr && devAddr == d.devAddr && fctrl == d.fctrl
                    && fcnt == d.fcnt && Arrays.equals(fopts, d.fopts) && fport == d.fport
                    && Arrays.equals(frmPayload, d.frmPayload) && mic == d.mic && up.equals(d.up);
        }

        @Override
        public int hashCode() {
            return Objects.hash(mhdr, devAddr, fctrl, fcnt, Arrays.hashCode(fopts), fport, Arrays.hashCode(frmPayload),
                    mic, up);
        }

        @Override
        public String toString() {
            return "DataUplink[DevAddr=" + String.format("%08X", devAddr) + ", FCnt=" + fcnt + ", FPort=" + fport
                    + ", " + frmPayload.length + " payload bytes, " + up + "]";
        }

        @Override
        public String msgtype() {
            return "updf";
        }
    }

    /** {@code propdf}: a proprietary frame, whole. lorafab ignores it (counted). */
    record ProprietaryUplink(byte[] frame, UpInfo up) implements LnsMessage {
        public ProprietaryUplink {
            frame = Objects.requireNonNull(frame, "frame").clone();
            Objects.requireNonNull(up, "up");
        }

        @Override
        public byte[] frame() {
            return frame.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ProprietaryUplink p && Arrays.equals(frame, p.frame) && up.equals(p.up);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(frame) + up.hashCode();
        }

        @Override
        public String toString() {
            return "ProprietaryUplink[" + frame.length + " bytes, " + up + "]";
        }

        @Override
        public String msgtype() {
            return "propdf";
        }
    }

    /**
     * {@code dntxed}: the station transmitted a downlink. It sends this only for a downlink that carried a non-zero
     * DevEui ({@code send_dntxed} in {@code src/s2e.c}).
     */
    record DownlinkTransmitted(long diid, Eui64 devEui, int dr, long freqHz, long rctx, long xtime, double txtime,
            long gpstime) implements LnsMessage {
        public DownlinkTransmitted {
            Objects.requireNonNull(devEui, "devEui");
        }

        @Override
        public String msgtype() {
            return "dntxed";
        }
    }

    /** {@code timesync} from the station: its own clock ({@code txtime}, µs) for the server to echo. */
    record TimesyncRequest(long txtime) implements LnsMessage {
        @Override
        public String msgtype() {
            return "timesync";
        }
    }

    /**
     * A message lorafab reads no further: its {@code msgtype} only ({@code rejoin}, {@code dndf}, {@code jacc}
     * the station forwards as it hears them; {@code event}, {@code alarm}, {@code rmtsh}, {@code getxtime}, ...).
     */
    record Other(String msgtype) implements LnsMessage {
        public Other {
            Objects.requireNonNull(msgtype, "msgtype");
        }
    }

    // ---------------------------------------------------------------- traffic: server → station

    /** One entry of {@code DRs}: {@code [sf, bw, dnonly]}; sf 0 is FSK, sf -1 an undefined data rate. */
    record DrDef(int sf, int bwKhz, boolean dnOnly) {
        public static final DrDef UNDEFINED = new DrDef(-1, 0, false);
    }

    /** One entry of {@code upchannels}: {@code [freq, minDR, maxDR]}. */
    record UpChannel(long freqHz, int minDr, int maxDr) {
    }

    /** One entry of the {@code JoinEui} filter: an inclusive range. */
    record EuiRange(Eui64 first, Eui64 last) {
    }

    /** One radio of the concentrator configuration ({@code radio_0}, {@code radio_1}). */
    record Radio(boolean enable, long freqHz) {
    }

    /**
     * One IF channel of the concentrator configuration ({@code chan_multiSF_n}, {@code chan_Lora_std},
     * {@code chan_FSK}): disabled, or enabled on {@code radio} at offset {@code ifHz}; the LoRa standard channel
     * also names its bandwidth (Hz) and spreading factor, the FSK channel its bit rate (in {@code datarate}).
     */
    record IfChannel(boolean enable, int radio, long ifHz, int bandwidthHz, int spreadFactor, int datarate) {
        public static final IfChannel DISABLED = new IfChannel(false, 0, 0, 0, 0, 0);

        public static IfChannel multiSf(int radio, long ifHz) {
            return new IfChannel(true, radio, ifHz, 0, 0, 0);
        }
    }

    /** The concentrator configuration ({@code sx1301_conf[0]} / {@code sx1302_conf[0]}). */
    record ConcentratorConf(List<Radio> radios, List<IfChannel> multiSf, IfChannel loraStd, IfChannel fsk) {
        public ConcentratorConf {
            radios = List.copyOf(radios);
            multiSf = List.copyOf(multiSf);
            Objects.requireNonNull(loraStd, "loraStd");
            Objects.requireNonNull(fsk, "fsk");
        }
    }

    /**
     * {@code router_config}: the channel plan and radio set-up; the station starts its radio on it and drops any
     * downlink that comes before it.
     *
     * @param region       the station's region name (EU868, US915, AU915, KR920, AS923-1, IL915, ...)
     * @param drs          the 16 data rates by index
     * @param netIds       the NetID filter for data uplinks; empty = every NetID (sent as {@code null})
     * @param joinEuis     the JoinEUI filter for join-requests; empty = every JoinEUI (sent as {@code null})
     * @param confKey      {@code "sx1301_conf"} or {@code "sx1302_conf"}
     */
    record RouterConfig(String region, long freqMinHz, long freqMaxHz, List<DrDef> drs, List<UpChannel> upchannels,
            Optional<List<Integer>> netIds, Optional<List<EuiRange>> joinEuis, double maxEirp, String hwspec,
            String confKey, ConcentratorConf conf, OptionalDouble muxTime) implements LnsMessage {
        public RouterConfig {
            Objects.requireNonNull(region, "region");
            drs = List.copyOf(drs);
            upchannels = List.copyOf(upchannels);
            netIds = netIds.map(List::copyOf);
            joinEuis = joinEuis.map(List::copyOf);
            Objects.requireNonNull(hwspec, "hwspec");
            Objects.requireNonNull(confKey, "confKey");
            Objects.requireNonNull(conf, "conf");
            Objects.requireNonNull(muxTime, "muxTime");
        }

        @Override
        public String msgtype() {
            return "router_config";
        }
    }

    /**
     * {@code dnmsg}: a class-A downlink the station times itself from the uplink's {@code xtime}: RX1 at
     * {@code xtime + RxDelay} seconds on {@code RX1Freq}/{@code RX1DR}, and if that cannot be sent, RX2 one second
     * later on {@code RX2Freq}/{@code RX2DR} ({@code handle_dnmsg}, {@code altTxTime} in {@code src/s2e.c}).
     *
     * @param deviceClass {@code dC}: 0 class A, 1 class B, 2 class C
     * @param rxDelay     seconds, 0..15 (the station reads 0 as 1)
     * @param rx1         RX1 data rate and frequency, both or neither
     * @param rx2         RX2 data rate and frequency, both or neither
     */
    record DownlinkMessage(Eui64 devEui, int deviceClass, long diid, byte[] pdu, int rxDelay, Optional<Window> rx1,
            Optional<Window> rx2, long xtime, long rctx, int priority, OptionalDouble muxTime) implements LnsMessage {
        public DownlinkMessage {
            Objects.requireNonNull(devEui, "devEui");
            pdu = Objects.requireNonNull(pdu, "pdu").clone();
            Objects.requireNonNull(rx1, "rx1");
            Objects.requireNonNull(rx2, "rx2");
            Objects.requireNonNull(muxTime, "muxTime");
            if (rx1.isEmpty() && rx2.isEmpty()) {
                throw new IllegalArgumentException("a downlink needs RX1, RX2 or both");
            }
        }

        @Override
        public byte[] pdu() {
            return pdu.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DownlinkMessage d && devEui.equals(d.devEui) && deviceClass == d.deviceClass
                    && diid == d.diid && Arrays.equals(pdu, d.pdu) && rxDelay == d.rxDelay && rx1.equals(d.rx1)
                    && rx2.equals(d.rx2) && xtime == d.xtime && rctx == d.rctx && priority == d.priority
                    && muxTime.equals(d.muxTime);
        }

        @Override
        public int hashCode() {
            return Objects.hash(devEui, deviceClass, diid, Arrays.hashCode(pdu), rxDelay, rx1, rx2, xtime, rctx);
        }

        @Override
        public String toString() {
            return "DownlinkMessage[DevEui=" + devEui + ", diid=" + diid + ", " + pdu.length + " bytes, RxDelay="
                    + rxDelay + ", RX1=" + rx1 + ", RX2=" + rx2 + ", xtime=" + xtime + "]";
        }

        @Override
        public String msgtype() {
            return "dnmsg";
        }

        /** The payload in hex, for tests and logs at DEBUG. */
        String pduHex() {
            return HexFormat.of().withUpperCase().formatHex(pdu);
        }
    }

    /** One receive window of a {@link DownlinkMessage}: data-rate index and frequency. */
    record Window(int dr, long freqHz) {
    }

    /**
     * {@code timesync} from the server: the station's {@code txtime} echoed with the server's GPS time (µs since
     * 1980-01-06T00:00:00Z, leap seconds included) and MuxTime.
     */
    record TimesyncResponse(long txtime, long gpstime, double muxTime) implements LnsMessage {
        @Override
        public String msgtype() {
            return "timesync";
        }
    }
}
