package io.lorafab.gateway.semtech;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.lorafab.api.json.JsonFields;
import io.lorafab.api.json.JsonProtocol;
import io.lorafab.api.json.JsonSyntax;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JSON bodies of PUSH_DATA, PULL_RESP and TX_ACK. */
final class SemtechJson {

    /**
     * Floats as exact decimals (so {@code 866.349812} stays exact), duplicate keys and trailing tokens
     * refused. Jackson's default stream limits (number length, nesting depth) stay in force.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern LORA_DATR = Pattern.compile("SF(\\d{1,2})BW(\\d{1,4})");

    private SemtechJson() {
    }

    record PushBody(List<Rxpk> rxpk, Optional<Stat> stat) {
    }

    record TxAckBody(TxAckError error, TxAckError warning, Optional<Integer> warnValue) {
        static final TxAckBody NONE = new TxAckBody(TxAckError.NONE, TxAckError.NONE, Optional.empty());
    }

    // ---------------------------------------------------------------- decoding

    /** Reads of a datagram's JSON: refused with this module's exception, an ill-typed value quoted (nothing here is secret). */
    private static final JsonProtocol<SemtechProtocolException> JSON = new JsonProtocol<>("JSON",
            (path, message) -> new SemtechProtocolException(path + ": " + message),
            n -> JsonFields.kindAndValue(n, SemtechJson::shorten), SemtechJson::shorten);

    private static final BigDecimal MIN_MHZ = BigDecimal.valueOf(Limits.MIN_FREQUENCY_HZ, 6);
    private static final BigDecimal MAX_MHZ = BigDecimal.valueOf(Limits.MAX_FREQUENCY_HZ, 6);

    static JsonFields<SemtechProtocolException> parseRoot(String text, String what) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SemtechProtocolException(what + ": invalid JSON, " + JsonSyntax.problem(e), e);
        } catch (NumberFormatException e) {
            // Jackson reads floats as BigDecimal and refuses exponents past an int (e.g. 1e2147483648) this way.
            throw new SemtechProtocolException(what + ": invalid JSON: a number is out of range", e);
        }
        if (root == null || !root.isObject()) {
            throw new SemtechProtocolException(what + ": JSON must be an object, got " + JSON.describe().apply(root));
        }
        return JsonFields.object(JSON, root, "");
    }

    static PushBody readPush(JsonFields<SemtechProtocolException> root) {
        List<Rxpk> rxpk = new ArrayList<>();
        for (JsonFields<SemtechProtocolException> o : root.arrayOfObjects("rxpk")) {
            rxpk.add(readRxpk(o));
        }
        Optional<Stat> stat = root.optObject("stat").map(SemtechJson::readStat);
        return new PushBody(rxpk, stat);
    }

    static Rxpk readRxpk(JsonFields<SemtechProtocolException> o) {
        var time = o.optString("time").map(s -> WireTime.parseCompact(s, o.at("time")));
        var tmms = o.optLong("tmms", 0, Long.MAX_VALUE);
        long tmst = o.reqLong("tmst", 0, Limits.UINT32_MAX);
        long freq = frequencyHz(o, "freq");
        int rfch = o.reqInt("rfch", 0, Limits.MAX_CHAIN);
        CrcStatus crc = CrcStatus.fromCode(o.reqLong("stat", -1, 1)).orElseThrow();
        DataRate dataRate = readDataRate(o);
        Optional<CodingRate> codr = readCodingRate(o);
        List<Rsig> rsig = new ArrayList<>();
        for (JsonFields<SemtechProtocolException> a : o.arrayOfObjects("rsig")) {
            rsig.add(readRsig(a));
        }
        Optional<Rsig> best = Rsig.best(rsig);
        int chan = o.optInt("chan", 0, Limits.MAX_CHAIN).or(() -> best.map(Rsig::chan))
                .orElseThrow(() -> o.refuse("chan", "missing (and no rsig antenna to take it from)"));
        int rssi = o.optRoundedInt("rssi", Limits.MIN_RSSI, Limits.MAX_RSSI).or(() -> best.map(Rsig::rssic))
                .orElseThrow(() -> o.refuse("rssi", "missing (and no rsig antenna to take it from)"));
        Optional<Double> lsnr = o.optDouble("lsnr", Limits.MIN_SNR, Limits.MAX_SNR)
                .or(() -> best.flatMap(Rsig::lsnr));
        byte[] data = readData(o);
        return new Rxpk(time, tmms, tmst, freq, chan, rfch, crc, dataRate, codr, rssi, lsnr, data, rsig);
    }

    static Rsig readRsig(JsonFields<SemtechProtocolException> o) {
        int ant = o.reqInt("ant", 0, Limits.MAX_CHAIN);
        int chan = o.reqInt("chan", 0, Limits.MAX_CHAIN);
        int rssic = o.reqRoundedInt("rssic", Limits.MIN_RSSI, Limits.MAX_RSSI);
        var rssis = o.optRoundedInt("rssis", Limits.MIN_RSSI, Limits.MAX_RSSI);
        var rssisd = o.optRoundedInt("rssisd", 0, Limits.MAX_RSSI);
        var lsnr = o.optDouble("lsnr", Limits.MIN_SNR, Limits.MAX_SNR);
        var etime = o.optString("etime");
        if (etime.isPresent() && !Rsig.isPrintableAscii(etime.get())) {
            throw o.refuse("etime", "expected printable ASCII (base64)");
        }
        var ftime = o.optLong("ftime", Long.MIN_VALUE, Long.MAX_VALUE);
        var foff = o.optLong("foff", Long.MIN_VALUE, Long.MAX_VALUE);
        return new Rsig(ant, chan, rssic, rssis, rssisd, lsnr, etime, ftime, foff);
    }

    static Stat readStat(JsonFields<SemtechProtocolException> o) {
        return new Stat(o.optString("time").map(s -> WireTime.parseExpanded(s, o.at("time"))),
                o.optDouble("lati", -90.0, 90.0),
                o.optDouble("long", -180.0, 180.0),
                o.optRoundedInt("alti", Integer.MIN_VALUE, Integer.MAX_VALUE),
                o.optLong("rxnb", 0, Limits.UINT32_MAX),
                o.optLong("rxok", 0, Limits.UINT32_MAX),
                o.optLong("rxfw", 0, Limits.UINT32_MAX),
                o.optDouble("ackr", 0.0, 100.0),
                o.optLong("dwnb", 0, Limits.UINT32_MAX),
                o.optLong("txnb", 0, Limits.UINT32_MAX));
    }

    static Txpk readTxpk(JsonFields<SemtechProtocolException> root) {
        JsonFields<SemtechProtocolException> o = root.optObject("txpk")
                .orElseThrow(() -> root.refuse("txpk", "missing (a PULL_RESP must carry a \"txpk\" object)"));
        boolean imme = o.optBool("imme").orElse(false);
        var tmst = o.optLong("tmst", 0, Limits.UINT32_MAX);
        var tmms = o.optLong("tmms", 0, Long.MAX_VALUE);
        if (!imme && tmst.isEmpty() && tmms.isEmpty()) {
            throw JSON.refuse(o.path(), "no timing: needs \"imme\":true, a \"tmst\" or a \"tmms\"");
        }
        long freq = frequencyHz(o, "freq");
        int rfch = o.reqInt("rfch", 0, Limits.MAX_CHAIN);
        var powe = o.optInt("powe", -128, 127);
        DataRate dataRate = readDataRate(o);
        Optional<CodingRate> codr = readCodingRate(o);
        if (dataRate.modulation() == Modulation.LORA && codr.isEmpty()) {
            throw o.refuse("codr", "missing (required for LoRa)");
        }
        var fdev = o.optInt("fdev", 0, 1_000_000);
        if (dataRate.modulation() == Modulation.FSK && fdev.isEmpty()) {
            throw o.refuse("fdev", "missing (required for FSK)");
        }
        boolean ipol = o.optBool("ipol").orElse(false);
        var prea = o.optInt("prea", 0, 65_535);
        byte[] data = readData(o);
        boolean ncrc = o.optBool("ncrc").orElse(false);
        return new Txpk(imme, tmst, tmms, freq, rfch, powe, dataRate, codr, fdev, ipol, prea, data, ncrc);
    }

    /** {@code {"txpk_ack":{"error":...}}} or {@code {"txpk_ack":{"warn":...,"value":...}}}; {@code {}} is NONE. */
    static TxAckBody readTxAck(JsonFields<SemtechProtocolException> root) {
        Optional<JsonFields<SemtechProtocolException>> ack = root.optObject("txpk_ack");
        if (ack.isEmpty()) {
            return TxAckBody.NONE;
        }
        JsonFields<SemtechProtocolException> o = ack.get();
        TxAckError error = o.optString("error").map(TxAckError::fromWire).orElse(TxAckError.NONE);
        TxAckError warn = o.optString("warn").map(TxAckError::fromWire).orElse(TxAckError.NONE);
        Optional<Integer> value = warn == TxAckError.NONE ? Optional.empty()
                : o.optInt("value", Integer.MIN_VALUE, Integer.MAX_VALUE);
        return new TxAckBody(error, warn, value);
    }

    /** A frequency in MHz (1..10000) converted exactly to Hz, rounded half-up below 1 Hz. */
    private static long frequencyHz(JsonFields<SemtechProtocolException> o, String name) {
        BigDecimal mhz = o.decimal(name, o.require(name), MIN_MHZ, MAX_MHZ);
        // mhz >= 1, so its scale is bounded by its (bounded) precision: the rounding is cheap.
        return mhz.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static DataRate readDataRate(JsonFields<SemtechProtocolException> o) {
        String modu = o.reqString("modu");
        JsonNode datr = o.require("datr");
        switch (modu) {
            case "LORA": {
                if (!datr.isTextual()) {
                    throw o.refuse("datr", "a LoRa data rate must be a string like \"SF7BW125\", got "
                            + JSON.describe().apply(datr));
                }
                return parseLoraDatr(datr.textValue(), o.at("datr"));
            }
            case "FSK": {
                if (!datr.isNumber()) {
                    throw o.refuse("datr", "an FSK data rate must be a number (bit/s), got "
                            + JSON.describe().apply(datr));
                }
                return new DataRate.Fsk(o.integer("datr", datr, 1, DataRate.Fsk.MAX_BIT_RATE));
            }
            default:
                throw o.refuse("modu", "unknown modulation " + quote(modu) + " (expected \"LORA\" or \"FSK\")");
        }
    }

    static DataRate.Lora parseLoraDatr(String s, String at) {
        Matcher m = LORA_DATR.matcher(s);
        if (!m.matches()) {
            throw JSON.refuse(at, "not a LoRa data rate like \"SF7BW125\": " + quote(s));
        }
        int sf = Integer.parseInt(m.group(1));
        int bwKhz = Integer.parseInt(m.group(2));
        if (sf < DataRate.Lora.MIN_SF || sf > DataRate.Lora.MAX_SF) {
            throw JSON.refuse(at, "spreading factor " + sf + " out of range 5..12 in " + quote(s));
        }
        if (!DataRate.Lora.isSupportedBandwidth(bwKhz * 1000)) {
            throw JSON.refuse(at, "bandwidth " + bwKhz + " kHz not one of 125, 250, 500 in " + quote(s));
        }
        return DataRate.Lora.of(sf, bwKhz);
    }

    private static Optional<CodingRate> readCodingRate(JsonFields<SemtechProtocolException> o) {
        Optional<String> s = o.optString("codr");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CodingRate.fromWire(s.get()).orElseThrow(() -> o.refuse("codr",
                "unknown coding rate " + quote(s.get()) + " (expected 4/5, 4/6, 4/7, 4/8 or OFF)")));
    }

    /** {@code data} (base64) checked against {@code size} when present. */
    private static byte[] readData(JsonFields<SemtechProtocolException> o) {
        byte[] data = Base64Data.decode(o.reqString("data"), o.at("data"));
        if (data.length > Limits.MAX_PAYLOAD) {
            throw o.refuse("data", data.length + " bytes, more than " + Limits.MAX_PAYLOAD);
        }
        Optional<Integer> size = o.optInt("size", 0, Limits.MAX_PAYLOAD);
        if (size.isPresent() && size.get() != data.length) {
            throw o.refuse("size", "size " + size.get() + " does not match the " + data.length
                    + " bytes of data");
        }
        return data;
    }

    /** A value quoted in a message: {@code "SF13BW125"}. */
    static String quote(String s) {
        return "\"" + shorten(s) + "\"";
    }

    /** At most 48 characters, control characters as '?': a value from the network never breaks a log line. */
    private static String shorten(String s) {
        String cut = s.length() <= 48 ? s : s.substring(0, 45) + "...";
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- encoding

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return out.toByteArray();
    }

    static byte[] writePush(List<Rxpk> rxpk, Optional<Stat> stat) {
        return write(g -> {
            g.writeStartObject();
            if (!rxpk.isEmpty()) {
                g.writeArrayFieldStart("rxpk");
                for (Rxpk r : rxpk) {
                    writeRxpk(g, r);
                }
                g.writeEndArray();
            }
            if (stat.isPresent()) {
                writeStat(g, stat.get());
            }
            g.writeEndObject();
        });
    }

    static byte[] writePullResp(Txpk t) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("txpk");
            g.writeBooleanField("imme", t.immediate());
            writeOptLong(g, "tmst", t.tmst());
            writeOptLong(g, "tmms", t.tmms());
            g.writeFieldName("freq");
            g.writeNumber(mhz(t.frequencyHz()));
            g.writeNumberField("rfch", t.rfch());
            writeOptLong(g, "powe", t.power());
            writeDataRate(g, t.dataRate());
            if (t.codingRate().isPresent()) {
                g.writeStringField("codr", t.codingRate().get().wire());
            }
            writeOptLong(g, "fdev", t.fdev());
            if (t.modulation() == Modulation.LORA) {
                g.writeBooleanField("ipol", t.invertPolarity());
            }
            writeOptLong(g, "prea", t.preamble());
            g.writeNumberField("size", t.size());
            g.writeStringField("data", Base64Data.encode(t.data()));
            if (t.noCrc()) {
                g.writeBooleanField("ncrc", true);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The TX_ACK JSON, or an empty array when there is nothing to report. */
    static byte[] writeTxAck(TxAckError error, TxAckError warning, Optional<Integer> warnValue) {
        if (error == TxAckError.NONE && warning == TxAckError.NONE) {
            return new byte[0];
        }
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("txpk_ack");
            if (error != TxAckError.NONE) {
                g.writeStringField("error", error.name());
            }
            if (warning != TxAckError.NONE) {
                g.writeStringField("warn", warning.name());
                writeOptLong(g, "value", warnValue);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void writeRxpk(JsonGenerator g, Rxpk r) throws IOException {
        g.writeStartObject();
        if (r.time().isPresent()) {
            g.writeStringField("time", WireTime.formatCompact(r.time().get()));
        }
        writeOptLong(g, "tmms", r.tmms());
        g.writeNumberField("tmst", r.tmst());
        g.writeNumberField("chan", r.chan());
        g.writeNumberField("rfch", r.rfch());
        g.writeFieldName("freq");
        g.writeNumber(mhz(r.frequencyHz()));
        g.writeNumberField("stat", r.crcStatus().code());
        writeDataRate(g, r.dataRate());
        if (r.codingRate().isPresent()) {
            g.writeStringField("codr", r.codingRate().get().wire());
        }
        g.writeNumberField("rssi", r.rssi());
        writeOptDouble(g, "lsnr", r.lsnr());
        g.writeNumberField("size", r.size());
        g.writeStringField("data", Base64Data.encode(r.data()));
        if (!r.rsig().isEmpty()) {
            g.writeArrayFieldStart("rsig");
            for (Rsig a : r.rsig()) {
                g.writeStartObject();
                g.writeNumberField("ant", a.ant());
                g.writeNumberField("chan", a.chan());
                g.writeNumberField("rssic", a.rssic());
                writeOptLong(g, "rssis", a.rssis());
                writeOptLong(g, "rssisd", a.rssisd());
                writeOptDouble(g, "lsnr", a.lsnr());
                if (a.etime().isPresent()) {
                    g.writeStringField("etime", a.etime().get());
                }
                writeOptLong(g, "ftime", a.ftime());
                writeOptLong(g, "foff", a.foff());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeStat(JsonGenerator g, Stat s) throws IOException {
        g.writeObjectFieldStart("stat");
        if (s.time().isPresent()) {
            g.writeStringField("time", WireTime.formatExpanded(s.time().get()));
        }
        writeOptDouble(g, "lati", s.latitude());
        writeOptDouble(g, "long", s.longitude());
        writeOptLong(g, "alti", s.altitude());
        writeOptLong(g, "rxnb", s.rxnb());
        writeOptLong(g, "rxok", s.rxok());
        writeOptLong(g, "rxfw", s.rxfw());
        writeOptDouble(g, "ackr", s.ackr());
        writeOptLong(g, "dwnb", s.dwnb());
        writeOptLong(g, "txnb", s.txnb());
        g.writeEndObject();
    }

    private static void writeDataRate(JsonGenerator g, DataRate dr) throws IOException {
        g.writeStringField("modu", dr.modulation().wire());
        if (dr instanceof DataRate.Lora lora) {
            g.writeStringField("datr", lora.datr());
        } else if (dr instanceof DataRate.Fsk fsk) {
            g.writeNumberField("datr", fsk.bitRate());
        }
    }

    private static void writeOptLong(JsonGenerator g, String name, Optional<? extends Number> v) throws IOException {
        if (v.isPresent()) {
            g.writeNumberField(name, v.get().longValue());
        }
    }

    private static void writeOptDouble(JsonGenerator g, String name, Optional<Double> v) throws IOException {
        if (v.isPresent()) {
            g.writeNumberField(name, v.get().doubleValue());
        }
    }

    /** Hz as MHz with as many decimals as needed (at least one): 869525000 gives {@code 869.525}. */
    static String mhz(long hz) {
        BigDecimal d = BigDecimal.valueOf(hz, 6).stripTrailingZeros();
        if (d.scale() < 1) {
            d = d.setScale(1);
        }
        return d.toPlainString();
    }
}
