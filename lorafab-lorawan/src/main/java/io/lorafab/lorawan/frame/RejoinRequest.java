package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;

/**
 * LoRaWAN 1.1 rejoin-request. Types 0 and 2 carry NetID | DevEUI | RJcount0 (19 bytes in all); type 1
 * carries JoinEUI | DevEUI | RJcount1 (24 bytes).
 */
public sealed interface RejoinRequest extends PhyPayload permits RejoinRequest.Type0or2, RejoinRequest.Type1 {

    int rejoinType();

    Eui64 devEui();

    /** RJcount0 or RJcount1. */
    int rjCount();

    Mic mic();

    /** MHDR .. RJcount: the bytes the MIC covers. */
    byte[] micPayload();

    RejoinRequest withMic(Mic mic);

    static RejoinRequest decode(MHdr mhdr, byte[] b) {
        if (b.length < 2) {
            throw new LorawanFormatException("rejoin-request: truncated (" + b.length + " bytes)");
        }
        int type = b[1] & 0xff;
        switch (type) {
            case 0: case 2:
                if (b.length != Type0or2.SIZE) {
                    throw new LorawanFormatException("rejoin-request type " + type + ": expected 19 bytes, got " + b.length);
                }
                return new Type0or2(mhdr, type, NetId.fromLe(b, 2), Eui64.fromLe(b, 5), (int) Bytes.readLe(b, 13, 2), Mic.of(b, 15));
            case 1:
                if (b.length != Type1.SIZE) {
                    throw new LorawanFormatException("rejoin-request type 1: expected 24 bytes, got " + b.length);
                }
                return new Type1(mhdr, Eui64.fromLe(b, 2), Eui64.fromLe(b, 10), (int) Bytes.readLe(b, 18, 2), Mic.of(b, 20));
            default:
                throw new LorawanFormatException("rejoin-request: unknown rejoin type " + type + " (expected 0, 1 or 2)");
        }
    }

    private static MHdr check(MHdr mhdr) {
        if (mhdr.mType() != MType.REJOIN_REQUEST) {
            throw new LorawanFormatException("rejoin-request: MHDR has MType " + mhdr.mType().displayName());
        }
        return mhdr;
    }

    private static void checkCount(int rjCount) {
        if (rjCount < 0 || rjCount > 0xffff) {
            throw new LorawanFormatException("rejoin-request: RJcount out of 16 bits: " + rjCount);
        }
    }

    /** Rejoin type 0 (reset context, same DevAddr) or type 2 (rekey, same DevAddr). */
    record Type0or2(MHdr mhdr, int rejoinType, NetId netId, Eui64 devEui, int rjCount, Mic mic) implements RejoinRequest {
        public static final int SIZE = 19;

        public Type0or2 {
            check(mhdr);
            if (rejoinType != 0 && rejoinType != 2) {
                throw new LorawanFormatException("rejoin-request: type " + rejoinType + " does not carry a NetID");
            }
            checkCount(rjCount);
        }

        public Type0or2(int rejoinType, NetId netId, Eui64 devEui, int rjCount, Mic mic) {
            this(MHdr.of(MType.REJOIN_REQUEST), rejoinType, netId, devEui, rjCount, mic);
        }

        @Override
        public byte[] micPayload() {
            byte[] b = new byte[SIZE - Mic.SIZE];
            write(b);
            return b;
        }

        @Override
        public byte[] encode() {
            byte[] b = new byte[SIZE];
            write(b);
            mic.write(b, SIZE - Mic.SIZE);
            return b;
        }

        @Override
        public Type0or2 withMic(Mic newMic) {
            return new Type0or2(mhdr, rejoinType, netId, devEui, rjCount, newMic);
        }

        private void write(byte[] b) {
            b[0] = mhdr.encode();
            b[1] = (byte) rejoinType;
            netId.writeLe(b, 2);
            devEui.writeLe(b, 5);
            Bytes.writeLe(rjCount, b, 13, 2);
        }
    }

    /** Rejoin type 1: restore a lost session context through the join server. */
    record Type1(MHdr mhdr, Eui64 joinEui, Eui64 devEui, int rjCount, Mic mic) implements RejoinRequest {
        public static final int SIZE = 24;

        public Type1 {
            check(mhdr);
            checkCount(rjCount);
        }

        public Type1(Eui64 joinEui, Eui64 devEui, int rjCount, Mic mic) {
            this(MHdr.of(MType.REJOIN_REQUEST), joinEui, devEui, rjCount, mic);
        }

        @Override
        public int rejoinType() {
            return 1;
        }

        @Override
        public byte[] micPayload() {
            byte[] b = new byte[SIZE - Mic.SIZE];
            write(b);
            return b;
        }

        @Override
        public byte[] encode() {
            byte[] b = new byte[SIZE];
            write(b);
            mic.write(b, SIZE - Mic.SIZE);
            return b;
        }

        @Override
        public Type1 withMic(Mic newMic) {
            return new Type1(mhdr, joinEui, devEui, rjCount, newMic);
        }

        private void write(byte[] b) {
            b[0] = mhdr.encode();
            b[1] = 1;
            joinEui.writeLe(b, 2);
            devEui.writeLe(b, 10);
            Bytes.writeLe(rjCount, b, 18, 2);
        }
    }
}
