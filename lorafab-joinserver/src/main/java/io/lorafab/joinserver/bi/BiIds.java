package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.NetId;

/**
 * Identifiers written as plain hex, MSB first, in either case, optionally "0x"-prefixed: the form both
 * ChirpStack (lowercase) and The Things Stack (uppercase) use. Failures name the field and never repeat the input.
 */
final class BiIds {
    private BiIds() {
    }

    static Eui64 eui64(String text, String field) {
        return Eui64.fromBytes(hex(text, field, Eui64.SIZE));
    }

    static NetId netId(String text, String field) {
        return new NetId((int) Bytes.readBe(hex(text, field, NetId.SIZE), 0, NetId.SIZE));
    }

    static DevAddr devAddr(String text, String field) {
        return new DevAddr((int) Bytes.readBe(hex(text, field, DevAddr.SIZE), 0, DevAddr.SIZE));
    }

    static byte[] hex(String text, String field, int length) {
        try {
            return Hex.parse(text, field, length);
        } catch (LorawanFormatException e) {
            throw new BiFormatException(e.getMessage());
        }
    }

    static void requireType(BiHeader header, BiMessageType expected) {
        if (header.messageType() != expected) {
            throw new IllegalArgumentException("header MessageType is " + header.messageType() + ", expected " + expected);
        }
    }
}
