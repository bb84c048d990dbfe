package io.lorafab.gateway.basicstation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.api.json.JsonFields;
import io.lorafab.api.json.JsonProtocol;
import io.lorafab.api.json.JsonSyntax;
import io.lorafab.gateway.basicstation.LnsMessage.ConcentratorConf;
import io.lorafab.gateway.basicstation.LnsMessage.DataUplink;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.DrDef;
import io.lorafab.gateway.basicstation.LnsMessage.EuiRange;
import io.lorafab.gateway.basicstation.LnsMessage.IfChannel;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.Other;
import io.lorafab.gateway.basicstation.LnsMessage.ProprietaryUplink;
import io.lorafab.gateway.basicstation.LnsMessage.Radio;
import io.lorafab.gateway.basicstation.LnsMessage.RouterConfig;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoError;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoRequest;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoResponse;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncRequest;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncResponse;
import io.lorafab.gateway.basicstation.LnsMessage.UpChannel;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.gateway.basicstation.LnsMessage.Version;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads and writes the JSON of LoRa Basics Station's LNS protocol. Pure: text in, records out, and back.
 *
 * <p>Written against Basics Station 2.0.6 (github.com/lorabasics/basicstation, tag 2.0.6), whose C source is the
 * authority on what a station sends and accepts:
 * <ul>
 * <li>discovery: {@code src/tc.c} ({@code tc_info_request}: sends {@code {"router": <ID6>}}, reads {@code router},
 * {@code muxs}, {@code uri} (must be ws:// or wss:// with a port and a path) and {@code error});</li>
 * <li>{@code version}: {@code src/tc.c} ({@code tc_muxs_connection}: station, firmware, package, model, protocol = 2,
 * features);</li>
 * <li>{@code jreq}, {@code updf}, {@code propdf}: {@code src/lora.c} ({@code s2e_parse_lora_frame}: MIC is the last
 * four frame bytes read little-endian and cast to a signed 32-bit int; DevAddr likewise; FPort -1 when absent) and
 * {@code src/s2e.c} ({@code s2e_flushRxjobs}: DR, Freq, RefTime, upinfo with rctx, xtime, gpstime, fts, rssi
 * (negative dBm), snr, rxtime);</li>
 * <li>{@code router_config}: {@code src/s2e.c} ({@code handle_router_config}: hwspec and sx1301_conf / sx1302_conf
 * are required, the region name picks the station's TX rules); {@code src/ral_lgw.c} (hwspec must be
 * {@code "sx1301/1"}, the concentrator configuration is an array whose element 0 is used);</li>
 * <li>{@code dnmsg}, {@code dntxed}, {@code timesync}: {@code src/s2e.c} ({@code handle_dnmsg},
 * {@code send_dntxed}, {@code handle_timesync}) and {@code src/timesync.c}.</li>
 * </ul>
 * A number the station writes as a JSON integer is read as one; a field the station does not always send
 * (RefTime, gpstime, fts, rxtime) is optional.
 */
public final class LnsCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A plain factory: the same writing defaults as the mapper behind {@code JsonNode.toString()}. */
    private static final JsonFactory WRITER = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** Nothing a station sends is secret: an ill-typed value may be quoted (shortened). */
    private static final JsonProtocol<LnsProtocolException> JSON = new JsonProtocol<>("message",
            (path, message) -> new LnsProtocolException(path + ": " + message),
            n -> JsonFields.kindAndValue(n, LnsCodec::shorten), LnsCodec::shorten);

    /** The largest text message read; a station's largest (an updf of 255 bytes) is well under 2 KiB. */
    public static final int MAX_MESSAGE_CHARS = 64 * 1024;

    private LnsCodec() {
    }

    // ================================================================ reading

    /** The discovery request on {@code /router-info}. */
    public static RouterInfoRequest decodeRouterInfoRequest(String text) {
        JsonFields<LnsProtocolException> o = root(text);
        return new RouterInfoRequest(eui(o, "router"));
    }

    /** The discovery answer (a station's side, for simulators): a response or an error. */
    public static LnsMessage decodeRouterInfoAnswer(String text) {
        JsonFields<LnsProtocolException> o = root(text);
        Eui64 router = eui(o, "router");
        Optional<String> error = o.optString("error");
        if (error.isPresent()) {
            return new RouterInfoError(router, error.get());
        }
        return new RouterInfoResponse(router, o.text("muxs"), o.reqText("uri"));
    }

    /**
     * A message a station sends on its traffic socket. A {@code jreq} or {@code updf} in the shape the station writes
     * is read by {@link LnsUplinkStream} without a tree; anything else, and anything that path is unsure of, by the
     * tree reader, which alone decides what is refused and how.
     */
    public static LnsMessage decodeFromStation(String text) {
        LnsMessage fast = LnsUplinkStream.tryRead(text);
        return fast != null ? fast : decodeFromStationTree(text);
    }

    /** The tree reader of {@link #decodeFromStation}: the definition of what is accepted, and of every refusal. */
    static LnsMessage decodeFromStationTree(String text) {
        JsonFields<LnsProtocolException> o = root(text);
        String msgtype = o.reqText("msgtype");
        return switch (msgtype) {
            case "version" -> new Version(o.text("station"), o.text("firmware"), o.text("package"), o.text("model"),
                    o.optInt("protocol", 0, Integer.MAX_VALUE).orElse(0), o.text("features"));
            case "jreq" -> new JoinRequest(o.reqInt("MHdr", 0, 255), eui(o, "JoinEui", "JoinEUI"),
                    eui(o, "DevEui", "DevEUI"), o.reqInt("DevNonce", 0, 0xFFFF), mic(o), upInfo(o));
            case "updf" -> readUpdf(o);
            case "propdf" -> new ProprietaryUplink(hex(o, "FRMPayload", 255), upInfo(o));
            case "dntxed" -> new DownlinkTransmitted(o.optLong("diid", Long.MIN_VALUE, Long.MAX_VALUE)
                    .or(() -> o.optLong("seqno", Long.MIN_VALUE, Long.MAX_VALUE))
                    .orElseThrow(() -> o.refuse("diid", "missing")),
                    o.has("DevEui") || o.has("DevEUI") ? eui(o, "DevEui", "DevEUI") : Eui64.of(0),
                    o.optInt("DR", 0, 15).orElse(0), o.optLong("Freq", 0, Long.MAX_VALUE).orElse(0L),
                    o.optLong("rctx", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L),
                    o.optLong("xtime", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L),
                    o.optDouble("txtime", -1e12, 1e12).orElse(0.0),
                    o.optLong("gpstime", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L));
            case "timesync" -> new TimesyncRequest(o.reqLong("txtime", Long.MIN_VALUE, Long.MAX_VALUE));
            default -> new Other(shorten(msgtype));
        };
    }

    private static DataUplink readUpdf(JsonFields<LnsProtocolException> o) {
        byte[] fopts = hex(o, "FOpts", 15);
        int fctrl = o.reqInt("FCtrl", 0, 255);
        if ((fctrl & 0x0F) != fopts.length) {
            throw o.refuse("FOpts", fopts.length + " bytes, but FCtrl says " + (fctrl & 0x0F));
        }
        int fport = o.reqInt("FPort", -1, 255);
        byte[] payload = hex(o, "FRMPayload", 255);
        if (fport < 0 && payload.length > 0) {
            throw o.refuse("FRMPayload", "present without an FPort");
        }
        return new DataUplink(o.reqInt("MHdr", 0, 255), (int) o.reqLong("DevAddr", Integer.MIN_VALUE, 0xFFFF_FFFFL),
                fctrl, o.reqInt("FCnt", 0, 0xFFFF), fopts, fport, payload, mic(o), upInfo(o));
    }

    private static UpInfo upInfo(JsonFields<LnsProtocolException> o) {
        int dr = o.reqInt("DR", 0, 15);
        long freq = o.reqLong("Freq", 1, 10_000_000_000L);
        JsonFields<LnsProtocolException> u = o.reqObject("upinfo");
        return new UpInfo(dr, freq, u.optLong("rctx", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L),
                u.reqLong("xtime", Long.MIN_VALUE, Long.MAX_VALUE),
                u.optLong("gpstime", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L),
                u.reqRoundedInt("rssi", -200, 50), u.optDouble("snr", -100, 100).orElse(Double.NaN),
                u.optDouble("rxtime", 0, 1e11).orElse(0.0), o.optDouble("RefTime", 0, 1e11).orElse(0.0));
    }

    /** The MIC field: a signed 32-bit integer (the station's cast); an unsigned reading is accepted too. */
    private static int mic(JsonFields<LnsProtocolException> o) {
        return (int) o.reqLong("MIC", Integer.MIN_VALUE, 0xFFFF_FFFFL);
    }

    /** A message the server sends (for simulators and tests): router_config, dnmsg or timesync. */
    public static LnsMessage decodeFromServer(String text) {
        JsonFields<LnsProtocolException> o = root(text);
        String msgtype = o.reqText("msgtype");
        return switch (msgtype) {
            case "router_config" -> readRouterConfig(o);
            case "dnmsg" -> readDnmsg(o);
            case "timesync" -> new TimesyncResponse(o.optLong("txtime", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L),
                    o.reqLong("gpstime", Long.MIN_VALUE, Long.MAX_VALUE), o.optDouble("MuxTime", 0, 1e11).orElse(0.0));
            default -> new Other(shorten(msgtype));
        };
    }

    private static DownlinkMessage readDnmsg(JsonFields<LnsProtocolException> o) {
        Optional<Window> rx1 = window(o, "RX1DR", "RX1Freq");
        Optional<Window> rx2 = window(o, "RX2DR", "RX2Freq");
        if (rx1.isEmpty() && rx2.isEmpty()) {
            throw o.refuse("RX1DR", "neither RX1 nor RX2 is given");
        }
        return new DownlinkMessage(eui(o, "DevEui", "DevEUI"), o.reqInt("dC", 0, 2),
                o.optLong("diid", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L), hex(o, "pdu", 255),
                o.optInt("RxDelay", 0, 15).orElse(1), rx1, rx2,
                o.optLong("xtime", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L),
                o.optLong("rctx", Long.MIN_VALUE, Long.MAX_VALUE).orElse(0L), o.optInt("priority", 0, 255).orElse(0),
                o.optDouble("MuxTime", 0, 1e11).map(OptionalDouble::of).orElse(OptionalDouble.empty()));
    }

    /** A DR+Freq pair: both or neither, as the station requires ({@code handle_dnmsg} flags 0x300 / 0xC00). */
    private static Optional<Window> window(JsonFields<LnsProtocolException> o, String drName, String freqName) {
        if (o.has(drName) != o.has(freqName)) {
            throw o.refuse(o.has(drName) ? freqName : drName, "missing (" + drName + " and " + freqName
                    + " go together)");
        }
        if (!o.has(drName)) {
            return Optional.empty();
        }
        return Optional.of(new Window(o.reqInt(drName, 0, 15), o.reqLong(freqName, 1, 10_000_000_000L)));
    }

    private static RouterConfig readRouterConfig(JsonFields<LnsProtocolException> o) {
        JsonNode range = o.require("freq_range");
        if (!range.isArray() || range.size() != 2) {
            throw o.refuse("freq_range", "expected [min, max]");
        }
        long min = o.integer("freq_range[0]", range.get(0), 1, 10_000_000_000L);
        long max = o.integer("freq_range[1]", range.get(1), 1, 10_000_000_000L);
        List<DrDef> drs = new ArrayList<>();
        JsonNode d = array(o, "DRs");
        for (int i = 0; i < d.size(); i++) {
            JsonNode e = d.get(i);
            if (!e.isArray() || e.size() != 3) {
                throw o.refuse("DRs[" + i + "]", "expected [sf, bw, dnonly]");
            }
            drs.add(new DrDef((int) o.integer("DRs[" + i + "][0]", e.get(0), -1, 12),
                    (int) o.integer("DRs[" + i + "][1]", e.get(1), 0, 1625),
                    o.integer("DRs[" + i + "][2]", e.get(2), 0, 1) == 1));
        }
        List<UpChannel> ups = new ArrayList<>();
        JsonNode u = array(o, "upchannels");
        for (int i = 0; i < u.size(); i++) {
            JsonNode e = u.get(i);
            if (!e.isArray() || e.size() != 3) {
                throw o.refuse("upchannels[" + i + "]", "expected [freq, minDR, maxDR]");
            }
            ups.add(new UpChannel(o.integer("upchannels[" + i + "][0]", e.get(0), 1, 10_000_000_000L),
                    (int) o.integer("upchannels[" + i + "][1]", e.get(1), 0, 7),
                    (int) o.integer("upchannels[" + i + "][2]", e.get(2), 0, 7)));
        }
        Optional<List<Integer>> netIds = Optional.empty();
        if (o.has("NetID")) {
            JsonNode n = array(o, "NetID");
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                ids.add((int) o.integer("NetID[" + i + "]", n.get(i), 0, 0xFF_FFFF));
            }
            netIds = Optional.of(ids);
        }
        Optional<List<EuiRange>> joinEuis = Optional.empty();
        String joinKey = o.has("JoinEui") ? "JoinEui" : "JoinEUI";
        if (o.has(joinKey)) {
            JsonNode n = array(o, joinKey);
            List<EuiRange> ranges = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                if (!e.isArray() || e.size() != 2) {
                    throw o.refuse(joinKey + "[" + i + "]", "expected [first, last]");
                }
                ranges.add(new EuiRange(euiNode(o, joinKey + "[" + i + "][0]", e.get(0)),
                        euiNode(o, joinKey + "[" + i + "][1]", e.get(1))));
            }
            joinEuis = Optional.of(ranges);
        }
        String confKey = null;
        for (String k : List.of("sx1301_conf", "SX1301_conf", "sx1302_conf", "SX1302_conf", "radio_conf")) {
            if (o.has(k)) {
                confKey = k;
                break;
            }
        }
        if (confKey == null) {
            throw o.refuse("sx1301_conf", "missing (the station needs sx1301_conf or sx1302_conf)");
        }
        JsonNode confs = array(o, confKey);
        if (confs.isEmpty()) {
            throw o.refuse(confKey, "empty (element 0 configures the concentrator)");
        }
        ConcentratorConf conf = readConf(JsonFields.object(JSON, confs.get(0), confKey + "[0]"));
        return new RouterConfig(o.reqText("region"), min, max, drs, ups, netIds, joinEuis,
                o.optDouble("max_eirp", -50, 100).orElse(0.0), o.reqText("hwspec"), confKey, conf,
                o.optDouble("MuxTime", 0, 1e11).map(OptionalDouble::of).orElse(OptionalDouble.empty()));
    }

    private static ConcentratorConf readConf(JsonFields<LnsProtocolException> c) {
        List<Radio> radios = new ArrayList<>();
        for (int i = 0; c.has("radio_" + i); i++) {
            JsonFields<LnsProtocolException> r = c.reqObject("radio_" + i);
            radios.add(new Radio(r.optBool("enable").orElse(false), r.optLong("freq", 0, 10_000_000_000L).orElse(0L)));
        }
        List<IfChannel> multi = new ArrayList<>();
        for (int i = 0; c.has("chan_multiSF_" + i); i++) {
            multi.add(readIf(c.reqObject("chan_multiSF_" + i)));
        }
        IfChannel std = c.optObject("chan_Lora_std").map(LnsCodec::readIf).orElse(IfChannel.DISABLED);
        IfChannel fsk = c.optObject("chan_FSK").map(LnsCodec::readIf).orElse(IfChannel.DISABLED);
        return new ConcentratorConf(radios, multi, std, fsk);
    }

    private static IfChannel readIf(JsonFields<LnsProtocolException> f) {
        if (!f.optBool("enable").orElse(false)) {
            return IfChannel.DISABLED;
        }
        return new IfChannel(true, f.optInt("radio", 0, 7).orElse(0), f.optLong("if", -2_000_000, 2_000_000).orElse(0L),
                f.optInt("bandwidth", 0, 2_000_000).orElse(0), f.optInt("spread_factor", 0, 12).orElse(0),
                f.optInt("datarate", 0, 1_000_000).orElse(0));
    }

    // ---------------------------------------------------------------- reading helpers

    private static JsonFields<LnsProtocolException> root(String text) {
        if (text == null) {
            throw new LnsProtocolException("empty message");
        }
        if (text.length() > MAX_MESSAGE_CHARS) {
            throw new LnsProtocolException("message too large: " + text.length() + " characters (at most "
                    + MAX_MESSAGE_CHARS + ")");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new LnsProtocolException("invalid JSON, " + JsonSyntax.problem(e), e);
        } catch (NumberFormatException e) {
            throw new LnsProtocolException("invalid JSON: a number is out of range", e);
        }
        if (root == null || !root.isObject()) {
            throw new LnsProtocolException("a message must be a JSON object, got " + JSON.describe().apply(root));
        }
        return JsonFields.object(JSON, root, "");
    }

    private static JsonNode array(JsonFields<LnsProtocolException> o, String name) {
        JsonNode n = o.require(name);
        if (!n.isArray()) {
            throw o.refuse(name, "expected an array, got " + JSON.describe().apply(n));
        }
        return n;
    }

    /** The first of {@code names} present, as an EUI in any form the station uses. */
    private static Eui64 eui(JsonFields<LnsProtocolException> o, String... names) {
        for (String name : names) {
            JsonNode n = o.get(name);
            if (n != null) {
                return euiNode(o, name, n);
            }
        }
        throw o.refuse(names[0], "missing");
    }

    private static Eui64 euiNode(JsonFields<LnsProtocolException> o, String name, JsonNode n) {
        if (n.isTextual()) {
            return StationEui.parse(n.textValue(), o.at(name));
        }
        if (n.isIntegralNumber() || n.isBigDecimal()) {
            // an EUI as a JSON number: the station's reader (uj_eui) keeps its 64 bits; a negative number is the
            // same 64 bits read as signed
            BigDecimal d = o.decimal(name, n);
            if (d.compareTo(new BigDecimal(Long.MIN_VALUE)) < 0 || d.compareTo(new BigDecimal("18446744073709551615")) > 0
                    || d.stripTrailingZeros().scale() > 0) {
                throw o.refuse(name, "not a 64-bit EUI number");
            }
            return Eui64.of(d.toBigIntegerExact().longValue());
        }
        throw o.refuse(name, "expected an EUI (text or number), got " + JSON.describe().apply(n));
    }

    private static byte[] hex(JsonFields<LnsProtocolException> o, String name, int maxBytes) {
        String s = o.optString(name).orElseThrow(() -> o.refuse(name, "missing"));
        if (s.length() % 2 != 0) {
            throw o.refuse(name, "odd number of hex digits");
        }
        if (s.length() / 2 > maxBytes) {
            throw o.refuse(name, "too long: " + s.length() / 2 + " bytes (at most " + maxBytes + ")");
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw o.refuse(name, "not hex");
        }
    }

    private static String shorten(String s) {
        String cut = s.length() <= 48 ? s : s.substring(0, 45) + "...";
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    // ================================================================ writing

    /**
     * The message as one JSON text, the wire names and forms the station reads. A {@code dnmsg}, one per join-accept
     * and per test downlink, is written with a generator; the rest, rare, through a tree.
     */
    public static String encode(LnsMessage m) {
        return m instanceof DownlinkMessage d ? writeDnmsg(d) : encodeTree(m);
    }

    /**
     * A {@code dnmsg} straight to text, field for field what {@link #encodeTree} writes for it (the same order and
     * number forms, byte for byte; a test compares the two), without building the tree first.
     */
    private static String writeDnmsg(DownlinkMessage d) {
        StringWriter w = new StringWriter(192);
        try (JsonGenerator g = WRITER.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("msgtype", d.msgtype());
            g.writeStringField("DevEui", StationEui.format(d.devEui()));
            g.writeNumberField("dC", d.deviceClass());
            g.writeNumberField("diid", d.diid());
            g.writeStringField("pdu", d.pduHex());
            g.writeNumberField("RxDelay", d.rxDelay());
            if (d.rx1().isPresent()) {
                g.writeNumberField("RX1DR", d.rx1().get().dr());
                g.writeNumberField("RX1Freq", d.rx1().get().freqHz());
            }
            if (d.rx2().isPresent()) {
                g.writeNumberField("RX2DR", d.rx2().get().dr());
                g.writeNumberField("RX2Freq", d.rx2().get().freqHz());
            }
            g.writeNumberField("xtime", d.xtime());
            g.writeNumberField("rctx", d.rctx());
            g.writeNumberField("priority", d.priority());
            if (d.muxTime().isPresent()) {
                g.writeNumberField("MuxTime", d.muxTime().getAsDouble());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /**
     * The message through a Jackson tree. Still writes a {@code dnmsg} too: the reference {@link #writeDnmsg} is
     * tested against.
     */
    static String encodeTree(LnsMessage m) {
        ObjectNode o = NODES.objectNode();
        if (m.msgtype() != null && !(m instanceof Other)) {
            o.put("msgtype", m.msgtype());
        }
        if (m instanceof RouterInfoRequest r) {
            o.put("router", StationEui.formatId6(r.router()));
        } else if (m instanceof RouterInfoResponse r) {
            o.put("router", StationEui.formatId6(r.router()));
            o.put("muxs", r.muxs());
            o.put("uri", r.uri());
        } else if (m instanceof RouterInfoError r) {
            o.put("router", StationEui.formatId6(r.router()));
            o.put("error", r.error());
        } else if (m instanceof Version v) {
            o.put("station", v.station());
            o.put("firmware", v.firmware());
            o.put("package", v.packageVersion());
            o.put("model", v.model());
            o.put("protocol", v.protocol());
            o.put("features", v.features());
        } else if (m instanceof JoinRequest j) {
            o.put("MHdr", j.mhdr());
            o.put("JoinEui", StationEui.format(j.joinEui()));
            o.put("DevEui", StationEui.format(j.devEui()));
            o.put("DevNonce", j.devNonce());
            o.put("MIC", j.mic());
            putUp(o, j.up());
        } else if (m instanceof DataUplink u) {
            o.put("MHdr", u.mhdr());
            o.put("DevAddr", u.devAddr());
            o.put("FCtrl", u.fctrl());
            o.put("FCnt", u.fcnt());
            o.put("FOpts", HEX.formatHex(u.fopts()));
            o.put("FPort", u.fport());
            o.put("FRMPayload", HEX.formatHex(u.frmPayload()));
            o.put("MIC", u.mic());
            putUp(o, u.up());
        } else if (m instanceof ProprietaryUplink p) {
            o.put("FRMPayload", HEX.formatHex(p.frame()));
            putUp(o, p.up());
        } else if (m instanceof DownlinkTransmitted t) {
            o.put("seqno", t.diid());
            o.put("diid", t.diid());
            o.put("DR", t.dr());
            o.put("Freq", t.freqHz());
            o.put("DevEui", StationEui.format(t.devEui()));
            o.put("rctx", t.rctx());
            o.put("xtime", t.xtime());
            o.put("txtime", t.txtime());
            o.put("gpstime", t.gpstime());
        } else if (m instanceof TimesyncRequest t) {
            o.put("txtime", t.txtime());
        } else if (m instanceof TimesyncResponse t) {
            o.put("txtime", t.txtime());
            o.put("gpstime", t.gpstime());
            o.put("MuxTime", t.muxTime());
        } else if (m instanceof Other x) {
            o.put("msgtype", x.msgtype());
        } else if (m instanceof RouterConfig c) {
            writeRouterConfig(o, c);
        } else if (m instanceof DownlinkMessage d) {
            o.put("DevEui", StationEui.format(d.devEui()));
            o.put("dC", d.deviceClass());
            o.put("diid", d.diid());
            o.put("pdu", d.pduHex());
            o.put("RxDelay", d.rxDelay());
            d.rx1().ifPresent(w -> {
                o.put("RX1DR", w.dr());
                o.put("RX1Freq", w.freqHz());
            });
            d.rx2().ifPresent(w -> {
                o.put("RX2DR", w.dr());
                o.put("RX2Freq", w.freqHz());
            });
            o.put("xtime", d.xtime());
            o.put("rctx", d.rctx());
            o.put("priority", d.priority());
            d.muxTime().ifPresent(t -> o.put("MuxTime", t));

        }
        return o.toString();
    }

    private static void putUp(ObjectNode o, UpInfo u) {
        o.put("RefTime", u.refTime());
        o.put("DR", u.dr());
        o.put("Freq", u.freqHz());
        ObjectNode i = o.putObject("upinfo");
        i.put("rctx", u.rctx());
        i.put("xtime", u.xtime());
        i.put("gpstime", u.gpstime());
        i.put("rssi", u.rssi());
        if (!Double.isNaN(u.snr())) {
            i.put("snr", u.snr());
        }
        i.put("rxtime", u.rxtime());
    }

    private static void writeRouterConfig(ObjectNode o, RouterConfig c) {
        o.put("region", c.region());
        ArrayNode range = o.putArray("freq_range");
        range.add(c.freqMinHz());
        range.add(c.freqMaxHz());
        ArrayNode drs = o.putArray("DRs");
        for (DrDef d : c.drs()) {
            ArrayNode e = drs.addArray();
            e.add(d.sf());
            e.add(d.bwKhz());
            e.add(d.dnOnly() ? 1 : 0);
        }
        ArrayNode ups = o.putArray("upchannels");
        for (UpChannel u : c.upchannels()) {
            ArrayNode e = ups.addArray();
            e.add(u.freqHz());
            e.add(u.minDr());
            e.add(u.maxDr());
        }
        if (c.netIds().isPresent()) {
            ArrayNode n = o.putArray("NetID");
            c.netIds().get().forEach(n::add);
        } else {
            o.putNull("NetID");
        }
        if (c.joinEuis().isPresent()) {
            ArrayNode n = o.putArray("JoinEui");
            for (EuiRange r : c.joinEuis().get()) {
                // as numbers: the station reads the filter's bounds with uj_int (handle_router_config)
                ArrayNode e = n.addArray();
                e.add(r.first().value());
                e.add(r.last().value());
            }
        } else {
            o.putNull("JoinEui");
        }
        o.put("max_eirp", c.maxEirp());
        o.put("hwspec", c.hwspec());
        ObjectNode conf = o.putArray(c.confKey()).addObject();
        List<Radio> radios = c.conf().radios();
        for (int i = 0; i < radios.size(); i++) {
            ObjectNode r = conf.putObject("radio_" + i);
            r.put("enable", radios.get(i).enable());
            r.put("freq", radios.get(i).freqHz());
        }
        List<IfChannel> multi = c.conf().multiSf();
        for (int i = 0; i < multi.size(); i++) {
            writeIf(conf.putObject("chan_multiSF_" + i), multi.get(i), false);
        }
        writeIf(conf.putObject("chan_Lora_std"), c.conf().loraStd(), true);
        writeIf(conf.putObject("chan_FSK"), c.conf().fsk(), true);
        c.muxTime().ifPresent(t -> o.put("MuxTime", t));
    }

    private static void writeIf(ObjectNode o, IfChannel ch, boolean withRate) {
        o.put("enable", ch.enable());
        if (!ch.enable()) {
            return;
        }
        o.put("radio", ch.radio());
        o.put("if", ch.ifHz());
        if (withRate && ch.bandwidthHz() > 0) {
            o.put("bandwidth", ch.bandwidthHz());
            o.put("spread_factor", ch.spreadFactor());
        }
        if (withRate && ch.datarate() > 0) {
            o.put("datarate", ch.datarate());
        }
    }
}
