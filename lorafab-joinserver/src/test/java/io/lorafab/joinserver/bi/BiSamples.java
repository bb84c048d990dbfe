package io.lorafab.joinserver.bi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample bodies under test resources {@code bi/} (provenance in {@code bi/README.md}). */
final class BiSamples {
    private BiSamples() {
    }

    static byte[] resource(String name) {
        try (InputStream in = BiSamples.class.getResourceAsStream("/bi/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource bi/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** A valid ChirpStack-shaped 1.0.3 JoinReq body with {@code extra} JSON members appended (may be ""). */
    static String joinReq(String extra) {
        return "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000000\",\"ReceiverID\":\"0101010101010101\","
                + "\"TransactionID\":7,\"MessageType\":\"JoinReq\",\"MACVersion\":\"1.0.3\","
                + "\"PHYPayload\":\"0001010101010101010202020202020202030309b97b32\",\"DevEUI\":\"0202020202020202\","
                + "\"DevAddr\":\"01ab3c4d\",\"DLSettings\":\"00\",\"RxDelay\":1" + (extra.isEmpty() ? "" : "," + extra)
                + "}";
    }

    /** {@link #joinReq} with one member replaced ({@code value} raw JSON) or removed ({@code value} null). */
    static String joinReqWith(String field, String value) {
        String base = joinReq("");
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"" + field + "\":(\"[^\"]*\"|[0-9]+)").matcher(base);
        if (!m.find()) {
            throw new IllegalArgumentException("no field " + field);
        }
        if (value == null) {
            String without = base.substring(0, m.start()) + base.substring(m.end());
            return without.replace(",,", ",").replace("{,", "{").replace(",}", "}");
        }
        return base.substring(0, m.start()) + "\"" + field + "\":" + value + base.substring(m.end());
    }
}
