package io.lorafab.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lorafab.app.decode.DecodeKeys;
import io.lorafab.app.decode.FrameInspector;
import io.lorafab.app.decode.FrameReport;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Numbers;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lorafab decode}: any PHYPayload, with MIC check, decryption and key derivation where keys allow. */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode a LoRaWAN PHYPayload given as hex or base64 (as in a packet forwarder's rxpk.data).",
                "With keys: check the MIC, decrypt a join-accept and derive its session keys, or decrypt a data frame."},
        footer = {"", "Examples:",
                "  lorafab decode 0001010101010101010202020202020202030309b97b32 --app-key 0102030405060708090a0b0c0d0e0f10",
                "  lorafab decode IPPM1SJquMYPAvguqje5fM= --app-key 0102030405060708090a0b0c0d0e0f10 --dev-nonce 258 --json"})
public final class DecodeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PAYLOAD", description = "PHYPayload as hex or base64")
    String payload;

    @Option(names = "--app-key", paramLabel = "HEX", description = "AppKey (1.0.x root key; 1.1 application root key)")
    String appKey;

    @Option(names = "--nwk-key", paramLabel = "HEX", description = "NwkKey (1.1 network root key)")
    String nwkKey;

    @Option(names = "--dev-nonce", paramLabel = "INT", description = "DevNonce of the join-request a join-accept answers (decimal or 0x hex)")
    String devNonce;

    @Option(names = "--join-eui", paramLabel = "HEX", description = "JoinEUI (needed for 1.1 MIC and keys)")
    String joinEui;

    @Option(names = "--dev-eui", paramLabel = "HEX", description = "DevEUI (needed for the 1.1 join-accept MIC: JSIntKey)")
    String devEui;

    @Option(names = "--mac-version", paramLabel = "V", description = "device MAC version: 1.0.0 .. 1.0.4, 1.1 (decides the join-accept MIC layout)")
    String macVersion;

    @Option(names = "--join-req-type", paramLabel = "INT", description = "for a join-accept answering a rejoin-request: 0, 1 or 2 (default 255 or 0xFF: join-request)")
    String joinReqType;

    @Option(names = "--nwk-s-key", paramLabel = "HEX", description = "1.0 NwkSKey (data-frame MIC, FPort 0 payload)")
    String nwkSKey;

    @Option(names = "--app-s-key", paramLabel = "HEX", description = "AppSKey (FRMPayload on FPort 1..255)")
    String appSKey;

    @Option(names = "--f-nwk-s-int-key", paramLabel = "HEX", description = "1.1 FNwkSIntKey (uplink MIC)")
    String fNwkSIntKey;

    @Option(names = "--s-nwk-s-int-key", paramLabel = "HEX", description = "1.1 SNwkSIntKey (uplink and downlink MIC, rejoin 0/2 MIC)")
    String sNwkSIntKey;

    @Option(names = "--nwk-s-enc-key", paramLabel = "HEX", description = "1.1 NwkSEncKey (FOpts, FPort 0 payload)")
    String nwkSEncKey;

    @Option(names = "--fcnt32", paramLabel = "INT", description = "full 32-bit frame counter when it has passed 65535 (0..4294967295)")
    String fCnt32;

    @Option(names = "--conf-fcnt", paramLabel = "INT", description = "1.1: FCnt of the confirmed frame this one acknowledges (0..65535, its low 16 bits enter the MIC)")
    String confFCnt;

    @Option(names = "--tx-dr", paramLabel = "INT", description = "1.1 uplink MIC: data rate of the uplink (0..15)")
    String txDr;

    @Option(names = "--tx-ch", paramLabel = "INT", description = "1.1 uplink MIC: channel index of the uplink (0..255)")
    String txCh;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        DecodeKeys keys = new DecodeKeys(key(appKey, "--app-key"), key(nwkKey, "--nwk-key"),
                devNonce == null ? null : DevNonce.parse(devNonce),
                joinEui == null ? null : Eui64.parse(joinEui), devEui == null ? null : Eui64.parse(devEui),
                macVersion == null ? null : MacVersion.parse(macVersion),
                key(nwkSKey, "--nwk-s-key"), key(appSKey, "--app-s-key"), key(fNwkSIntKey, "--f-nwk-s-int-key"),
                key(sNwkSIntKey, "--s-nwk-s-int-key"), key(nwkSEncKey, "--nwk-s-enc-key"),
                fCnt32 == null ? null : unsigned("--fcnt32", fCnt32, 0xFFFF_FFFFL),
                confFCnt == null ? null : (int) unsigned("--conf-fcnt", confFCnt, 0xFFFF),
                txDr == null ? null : (int) unsigned("--tx-dr", txDr, 15),
                txCh == null ? null : (int) unsigned("--tx-ch", txCh, 255),
                joinReqType == null ? null : joinReqType(joinReqType));
        FrameReport report = FrameInspector.inspect(PhyPayloadCodec.parseText(payload), keys);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>(report.fields());
            if (!report.notes().isEmpty()) {
                fields.put("notes", report.notes());
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(fields));
        } else {
            printTable(out, report);
        }
        out.flush();
        return 0;
    }

    /** Decimal or 0x hex, 0..max; the message names the option. */
    static long unsigned(String option, String text, long max) {
        try {
            return Numbers.parseUnsigned(text, option, max);
        } catch (LorawanFormatException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    /** JoinReqType: 0xFF for a join-request, 0, 1 or 2 for a rejoin-request of that type. */
    static int joinReqType(String text) {
        int v = (int) unsigned("--join-req-type", text, 0xFF);
        if (v > 2 && v != 0xFF) {
            throw new LorafabCommand.UserException("--join-req-type: expected 0, 1, 2 (rejoin types) or 255 (join-request), got " + v);
        }
        return v;
    }

    private static AesKey key(String hex, String option) {
        if (hex == null) {
            return null;
        }
        try {
            return AesKey.parse(hex);
        } catch (RuntimeException e) {
            // The message names the option, never the value given.
            throw new LorafabCommand.UserException(option + ": " + e.getMessage());
        }
    }

    static void printTable(PrintWriter out, FrameReport report) {
        int width = 0;
        for (String k : report.fields().keySet()) {
            width = Math.max(width, k.length());
        }
        for (Map.Entry<String, Object> e : report.fields().entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                out.println(e.getKey() + ":");
                for (Map.Entry<?, ?> sub : m.entrySet()) {
                    out.printf("  %-" + (width - 2) + "s  %s%n", sub.getKey(), text(sub.getValue()));
                }
            } else {
                out.printf("%-" + width + "s  %s%n", e.getKey(), text(e.getValue()));
            }
        }
        for (String n : report.notes()) {
            out.println("note: " + n);
        }
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        return v.toString();
    }
}
