package io.lorafab.joinserver.bi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.api.json.JsonFields;
import io.lorafab.api.json.JsonProtocol;
import io.lorafab.api.json.JsonSyntax;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure codec for LoRaWAN Backend Interfaces JSON bodies as a Join Server receives and sends them: no I/O, no
 * logging, no state; safe from any thread.
 *
 * <p>{@link #parse(byte[])} either returns a validated {@link BiMessage} or throws {@link BiFormatException};
 * nothing else escapes it, whatever the input. {@link #write(BiMessage)} writes a message so that
 * {@code parse(write(m)).equals(m)}. The package documentation lists the rules.
 */
public final class BiCodec {

    /** Exact decimals, duplicate keys and trailing content refused; Jackson's stream limits stay in force. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Reads of a body: refused with {@link BiFormatException}, an ill-typed value described by its type alone
     * (a value could be key material), a number or a non-secret word cut short and with control characters masked.
     */
    private static final JsonProtocol<BiFormatException> JSON = new JsonProtocol<>("body",
            (path, message) -> new BiFormatException(path + ": " + message), JsonFields::kind, BiCodec::shorten);

    private static final Pattern RX_DELAY_ENUM = Pattern.compile("RX_DELAY_([0-9]{1,2})");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}");

    private BiCodec() {
    }

    // ---------------------------------------------------------------- parsing

    /** Parses one message body (UTF-8 JSON). */
    public static BiMessage parse(byte[] json) {
        if (json == null) {
            throw new BiFormatException("body: missing");
        }
        JsonFields<BiFormatException> in = JsonFields.object(JSON, readTree(json), "");
        BiHeader header = readHeader(in);
        try {
            switch (header.messageType()) {
                case JOIN_REQ:
                    return readJoinReq(in, header);
                case JOIN_ANS:
                    return readJoinAns(in, header);
                case APP_S_KEY_REQ:
                    return readAppSKeyReq(in, header);
                case APP_S_KEY_ANS:
                    return readAppSKeyAns(in, header);
                default:
                    if (header.messageType().isRequest()) {
                        throw new BiFormatException("MessageType: " + header.messageType()
                                + " is not supported by this Join Server");
                    }
                    return new ErrorAnswer(header, readResult(in));
            }
        } catch (BiFormatException e) {
            throw e.withHeader(header);
        }
    }

    private static JsonNode readTree(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new BiFormatException("body: JSON " + JsonSyntax.problem(e), e);
        } catch (JsonProcessingException e) {
            throw new BiFormatException("body: invalid JSON, " + JsonSyntax.problem(e), e);
        } catch (IOException e) {
            throw new BiFormatException("body: unreadable", e);
        } catch (NumberFormatException e) {
            // Jackson reads a number such as 1e9999999999 (exponent beyond an int) only when building the tree.
            throw new BiFormatException("body: invalid JSON, a number beyond range", e);
        } catch (RuntimeException e) {
            throw new BiFormatException("body: unreadable JSON", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new BiFormatException("body: empty");
        }
        return root;
    }

    private static BiHeader readHeader(JsonFields<BiFormatException> in) {
        String typeText = in.reqText("MessageType");
        BiMessageType type = BiMessageType.fromWire(typeText).orElseThrow(
                () -> new BiFormatException("MessageType: unknown " + quote(typeText)));
        String senderId = in.reqText("SenderID");
        String receiverId = in.reqText("ReceiverID");
        long transactionId = reqUnsigned(in, "TransactionID", BiHeader.MAX_TRANSACTION_ID);
        Optional<String> senderNsId = in.optText("SenderNSID");
        Optional<String> receiverNsId = in.optText("ReceiverNSID");
        Optional<HexBytes> senderToken = optHex(in, "SenderToken");
        Optional<HexBytes> receiverToken = optHex(in, "ReceiverToken");
        // The version last, so that even a message refused for its version can be answered.
        BiHeader provisional = new BiHeader(BiProtocolVersion.V1_0, senderId, receiverId, transactionId, type,
                senderNsId, receiverNsId, senderToken, receiverToken);
        JsonNode v = in.get("ProtocolVersion");
        if (v == null) {
            throw new BiFormatException("ProtocolVersion: missing", BiResultCode.MALFORMED_REQUEST, provisional, null);
        }
        if (!v.isTextual()) {
            throw new BiFormatException("ProtocolVersion: expected a string, got " + JsonFields.kind(v),
                    BiResultCode.MALFORMED_REQUEST, provisional, null);
        }
        BiProtocolVersion version = BiProtocolVersion.fromWire(v.textValue()).orElseThrow(
                () -> new BiFormatException("ProtocolVersion: unsupported " + quote(v.textValue())
                        + " (expected 1.0 or 1.1)", BiResultCode.INVALID_PROTOCOL_VERSION, provisional, null));
        return new BiHeader(version, senderId, receiverId, transactionId, type, senderNsId, receiverNsId,
                senderToken, receiverToken);
    }

    private static JoinReq readJoinReq(JsonFields<BiFormatException> in, BiHeader header) {
        MacVersion macVersion = macVersion(in.reqText("MACVersion"));
        HexBytes phyPayload = reqHex(in, "PHYPayload");
        Eui64 devEui = BiIds.eui64(in.reqText("DevEUI"), "DevEUI");
        DevAddr devAddr = BiIds.devAddr(in.reqText("DevAddr"), "DevAddr");
        DlSettings dlSettings = DlSettings.decode(dlSettings(in));
        int rxDelay = rxDelay(in);
        Optional<HexBytes> cfList = optHex(in, "CFList");
        return new JoinReq(header, macVersion, phyPayload, devEui, devAddr, dlSettings, rxDelay, cfList);
    }

    private static MacVersion macVersion(String text) {
        try {
            return MacVersion.parse(text);
        } catch (LorawanFormatException e) {
            throw new BiFormatException("MACVersion: unknown " + quote(text)
                    + " (expected 1.0, 1.0.0 .. 1.0.4, 1.1 or 1.1.0)");
        }
    }

    /** One byte in hex ("80"), as everyone writes it; a JSON number (128) is read too. */
    private static int dlSettings(JsonFields<BiFormatException> in) {
        JsonNode n = in.require("DLSettings");
        if (n.isNumber()) {
            return (int) unsigned(in, "DLSettings", n, 0xff);
        }
        return BiIds.hex(in.reqText("DLSettings"), "DLSettings", 1)[0] & 0xff;
    }

    /** A number (5), a decimal string ("5", an early The Things Stack), or the enum name "RX_DELAY_5". */
    private static int rxDelay(JsonFields<BiFormatException> in) {
        JsonNode n = in.require("RxDelay");
        if (n.isTextual()) {
            Matcher m = RX_DELAY_ENUM.matcher(n.textValue().strip());
            if (m.matches()) {
                int v = Integer.parseInt(m.group(1));
                if (v > JoinReq.MAX_RX_DELAY) {
                    throw in.refuse("RxDelay", "out of range 0.." + JoinReq.MAX_RX_DELAY + ": " + v);
                }
                return v;
            }
        }
        return (int) unsigned(in, "RxDelay", n, JoinReq.MAX_RX_DELAY);
    }

    private static JoinAns readJoinAns(JsonFields<BiFormatException> in, BiHeader header) {
        BiResult result = readResult(in);
        Optional<HexBytes> phyPayload = optHex(in, "PHYPayload");
        Optional<KeyEnvelope> nwkSKey = readEnvelope(in, "NwkSKey");
        Optional<KeyEnvelope> fNwkSIntKey = readEnvelope(in, "FNwkSIntKey");
        Optional<KeyEnvelope> sNwkSIntKey = readEnvelope(in, "SNwkSIntKey");
        Optional<KeyEnvelope> nwkSEncKey = readEnvelope(in, "NwkSEncKey");
        boolean any11 = fNwkSIntKey.isPresent() || sNwkSIntKey.isPresent() || nwkSEncKey.isPresent();
        Optional<NetworkKeys> networkKeys;
        if (nwkSKey.isPresent()) {
            if (any11) {
                throw new BiFormatException("NwkSKey: not allowed together with FNwkSIntKey, SNwkSIntKey or"
                        + " NwkSEncKey (a session is either 1.0 or 1.1)");
            }
            networkKeys = Optional.of(new NetworkKeys.Lorawan10(nwkSKey.get()));
        } else if (any11) {
            for (String name : new String[] {"FNwkSIntKey", "SNwkSIntKey", "NwkSEncKey"}) {
                if (!in.has(name)) {
                    throw new BiFormatException(name + ": missing (FNwkSIntKey, SNwkSIntKey and NwkSEncKey come"
                            + " together)");
                }
            }
            networkKeys = Optional.of(new NetworkKeys.Lorawan11(fNwkSIntKey.get(), sNwkSIntKey.get(),
                    nwkSEncKey.get()));
        } else {
            networkKeys = Optional.empty();
        }
        Optional<KeyEnvelope> appSKey = readEnvelope(in, "AppSKey");
        Optional<HexBytes> sessionKeyId = optHex(in, "SessionKeyID");
        Optional<Long> lifetime = optUnsigned(in, "Lifetime", 0xFFFF_FFFFL);
        return new JoinAns(header, result, phyPayload, networkKeys, appSKey, sessionKeyId, lifetime);
    }

    private static AppSKeyReq readAppSKeyReq(JsonFields<BiFormatException> in, BiHeader header) {
        Eui64 devEui = BiIds.eui64(in.reqText("DevEUI"), "DevEUI");
        HexBytes sessionKeyId = reqHex(in, "SessionKeyID");
        return new AppSKeyReq(header, devEui, sessionKeyId);
    }

    private static AppSKeyAns readAppSKeyAns(JsonFields<BiFormatException> in, BiHeader header) {
        BiResult result = readResult(in);
        Optional<Eui64> devEui = in.optText("DevEUI").map(s -> BiIds.eui64(s, "DevEUI"));
        Optional<KeyEnvelope> appSKey = readEnvelope(in, "AppSKey");
        Optional<HexBytes> sessionKeyId = optHex(in, "SessionKeyID");
        return new AppSKeyAns(header, result, devEui, appSKey, sessionKeyId);
    }

    private static BiResult readResult(JsonFields<BiFormatException> in) {
        JsonFields<BiFormatException> r = in.reqObject("Result");
        String codeText = r.reqText("ResultCode");
        BiResultCode code = BiResultCode.fromWire(codeText).orElseThrow(
                () -> r.refuse("ResultCode", "unknown " + quote(codeText)));
        return new BiResult(code, r.text("Description"));
    }

    /** A KeyEnvelope; a missing KEKLabel is "" (a plain key). */
    private static Optional<KeyEnvelope> readEnvelope(JsonFields<BiFormatException> in, String name) {
        return in.optObject(name).map(o -> {
            String label = o.text("KEKLabel");
            byte[] key = reqHex(o, "AESKey").bytes();
            KeyEnvelope.check(label, key, o.at("AESKey"));
            return new KeyEnvelope(label, key);
        });
    }

    private static Optional<HexBytes> optHex(JsonFields<BiFormatException> in, String name) {
        return in.optText(name).map(s -> HexBytes.parse(s, in.at(name)));
    }

    private static HexBytes reqHex(JsonFields<BiFormatException> in, String name) {
        return HexBytes.parse(in.reqText(name), in.at(name));
    }

    private static long reqUnsigned(JsonFields<BiFormatException> in, String name, long max) {
        return unsigned(in, name, in.require(name), max);
    }

    /** Absent, null and "" are all absent. */
    private static Optional<Long> optUnsigned(JsonFields<BiFormatException> in, String name, long max) {
        JsonNode n = in.get(name);
        if (n == null || (n.isTextual() && n.textValue().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(unsigned(in, name, n, max));
    }

    /**
     * An unsigned integer up to {@code max}, written as a JSON number (integral; 5.0 is 5) or as a string of
     * decimal digits, both of which servers send for TransactionID and RxDelay.
     */
    private static long unsigned(JsonFields<BiFormatException> in, String name, JsonNode n, long max) {
        BigDecimal d;
        if (n.isNumber()) {
            d = in.decimal(name, n);
        } else if (n.isTextual() && DECIMAL.matcher(n.textValue().strip()).matches()) {
            d = new BigDecimal(n.textValue().strip());
        } else {
            throw in.refuse(name, "expected an unsigned integer, got " + JsonFields.kind(n));
        }
        return in.integer(name, d, 0, max);
    }

    /** A short quote of a non-secret value (a MessageType, a version, a result code) for a message. */
    static String quote(String s) {
        return "'" + shorten(s) + "'";
    }

    private static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 32; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 32 ? b + "..." : b.toString();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code message} as compact UTF-8 JSON: fields in a fixed order, hex in lowercase, numbers as JSON
     * numbers, absent optional fields left out, Result.Description left out when empty, KEKLabel always written.
     */
    public static byte[] write(BiMessage message) {
        Objects.requireNonNull(message, "message");
        ObjectNode o = MAPPER.createObjectNode();
        writeHeader(o, message.header());
        if (message instanceof JoinReq r) {
            o.put("MACVersion", r.macVersion().text());
            o.put("PHYPayload", r.phyPayload().toHex());
            o.put("DevEUI", r.devEui().toString());
            o.put("DevAddr", r.devAddr().toString());
            o.put("DLSettings", Hex.format(new byte[] {(byte) r.dlSettings().encode()}));
            o.put("RxDelay", r.rxDelay());
            r.cfList().ifPresent(c -> o.put("CFList", c.toHex()));
        } else if (message instanceof JoinAns a) {
            writeResult(o, a.result());
            a.phyPayload().ifPresent(p -> o.put("PHYPayload", p.toHex()));
            a.lifetime().ifPresent(l -> o.put("Lifetime", l));
            a.networkKeys().ifPresent(k -> {
                if (k instanceof NetworkKeys.Lorawan10 k10) {
                    writeEnvelope(o, "NwkSKey", k10.nwkSKey());
                } else if (k instanceof NetworkKeys.Lorawan11 k11) {
                    writeEnvelope(o, "FNwkSIntKey", k11.fNwkSIntKey());
                    writeEnvelope(o, "SNwkSIntKey", k11.sNwkSIntKey());
                    writeEnvelope(o, "NwkSEncKey", k11.nwkSEncKey());
                }
            });
            a.appSKey().ifPresent(k -> writeEnvelope(o, "AppSKey", k));
            a.sessionKeyId().ifPresent(s -> o.put("SessionKeyID", s.toHex()));
        } else if (message instanceof AppSKeyReq r) {
            o.put("DevEUI", r.devEui().toString());
            o.put("SessionKeyID", r.sessionKeyId().toHex());
        } else if (message instanceof AppSKeyAns a) {
            writeResult(o, a.result());
            a.devEui().ifPresent(d -> o.put("DevEUI", d.toString()));
            a.appSKey().ifPresent(k -> writeEnvelope(o, "AppSKey", k));
            a.sessionKeyId().ifPresent(s -> o.put("SessionKeyID", s.toHex()));
        } else if (message instanceof ErrorAnswer e) {
            writeResult(o, e.result());
        }
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a JSON tree failed", e);
        }
    }

    private static void writeHeader(ObjectNode o, BiHeader h) {
        o.put("ProtocolVersion", h.protocolVersion().wire());
        o.put("SenderID", h.senderId());
        o.put("ReceiverID", h.receiverId());
        h.senderNsId().ifPresent(s -> o.put("SenderNSID", s));
        h.receiverNsId().ifPresent(s -> o.put("ReceiverNSID", s));
        o.put("TransactionID", h.transactionId());
        o.put("MessageType", h.messageType().wire());
        h.senderToken().ifPresent(t -> o.put("SenderToken", t.toHex()));
        h.receiverToken().ifPresent(t -> o.put("ReceiverToken", t.toHex()));
    }

    private static void writeResult(ObjectNode o, BiResult r) {
        ObjectNode result = o.putObject("Result");
        result.put("ResultCode", r.code().wire());
        if (!r.description().isEmpty()) {
            result.put("Description", r.description());
        }
    }

    private static void writeEnvelope(ObjectNode o, String name, KeyEnvelope k) {
        ObjectNode e = o.putObject(name);
        e.put("KEKLabel", k.kekLabel());
        e.put("AESKey", Hex.format(k.aesKey()));
    }
}
