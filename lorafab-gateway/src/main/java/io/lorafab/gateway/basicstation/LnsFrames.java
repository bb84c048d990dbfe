package io.lorafab.gateway.basicstation;

import io.lorafab.gateway.basicstation.LnsMessage.DataUplink;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.lorawan.types.Eui64;
import java.util.Arrays;

/**
 * A station splits each frame it hears into fields ({@code s2e_parse_lora_frame} in {@code src/lora.c}); these
 * functions put the fields back together into the PHYPayload the frame was, byte for byte, and split a PHYPayload
 * the way the station does (for a virtual station). Every multi-byte field is little-endian on air: the station reads
 * JoinEUI, DevEUI, DevNonce, DevAddr, FCnt and MIC with {@code rt_rlsbf*} (read little-endian), and sends MIC and
 * DevAddr cast to a signed 32-bit int.
 */
public final class LnsFrames {

    /** MHDR | JoinEUI | DevEUI | DevNonce | MIC ({@code OFF_jreq_len} in {@code src/lora.c}). */
    public static final int JOIN_REQUEST_LENGTH = 23;
    /** MHDR | DevAddr | FCtrl | FCnt | MIC, the shortest data frame ({@code OFF_df_minlen}). */
    public static final int DATA_MIN_LENGTH = 12;

    private LnsFrames() {
    }

    /** The join-request PHYPayload a {@code jreq} describes. */
    public static byte[] phyPayload(JoinRequest j) {
        byte[] b = new byte[JOIN_REQUEST_LENGTH];
        b[0] = (byte) j.mhdr();
        j.joinEui().writeLe(b, 1);
        j.devEui().writeLe(b, 9);
        b[17] = (byte) j.devNonce();
        b[18] = (byte) (j.devNonce() >>> 8);
        writeIntLe(b, 19, j.mic());
        return b;
    }

    /** The data-frame PHYPayload an {@code updf} describes. */
    public static byte[] phyPayload(DataUplink u) {
        byte[] fopts = u.fopts();
        byte[] payload = u.frmPayload();
        int portBytes = u.fport() >= 0 ? 1 : 0;
        byte[] b = new byte[8 + fopts.length + portBytes + payload.length + 4];
        b[0] = (byte) u.mhdr();
        writeIntLe(b, 1, u.devAddr());
        b[5] = (byte) u.fctrl();
        b[6] = (byte) u.fcnt();
        b[7] = (byte) (u.fcnt() >>> 8);
        System.arraycopy(fopts, 0, b, 8, fopts.length);
        int p = 8 + fopts.length;
        if (portBytes == 1) {
            b[p++] = (byte) u.fport();
        }
        System.arraycopy(payload, 0, b, p, payload.length);
        writeIntLe(b, b.length - 4, u.mic());
        return b;
    }

    /** The MIC field as the station sends it: the last four bytes, little-endian, as a signed int. */
    public static int micField(byte[] frame) {
        int n = frame.length;
        return (frame[n - 4] & 0xFF) | (frame[n - 3] & 0xFF) << 8 | (frame[n - 2] & 0xFF) << 16 | frame[n - 1] << 24;
    }

    /** A join-request PHYPayload as the station's {@code jreq}. */
    public static JoinRequest joinRequest(byte[] frame, UpInfo up) {
        if (frame.length != JOIN_REQUEST_LENGTH || (frame[0] & 0xE0) != 0x00) {
            throw new LnsProtocolException("not a join-request: " + frame.length + " bytes, MHDR "
                    + String.format("%02X", frame[0] & 0xFF));
        }
        return new JoinRequest(frame[0] & 0xFF, Eui64.fromLe(frame, 1), Eui64.fromLe(frame, 9),
                (frame[17] & 0xFF) | (frame[18] & 0xFF) << 8, micField(frame), up);
    }

    /** A data-uplink PHYPayload as the station's {@code updf}. */
    public static DataUplink dataUplink(byte[] frame, UpInfo up) {
        int ftype = frame.length > 0 ? frame[0] & 0xE0 : -1;
        if (frame.length < DATA_MIN_LENGTH || (ftype != 0x40 && ftype != 0x80)) {
            throw new LnsProtocolException("not a data uplink");
        }
        int foptsLen = frame[5] & 0x0F;
        int portOff = 8 + foptsLen;
        if (portOff > frame.length - 4) {
            throw new LnsProtocolException("not a data uplink: FOpts run past the MIC");
        }
        int devAddr = (frame[1] & 0xFF) | (frame[2] & 0xFF) << 8 | (frame[3] & 0xFF) << 16 | frame[4] << 24;
        boolean hasPort = portOff < frame.length - 4;
        return new DataUplink(frame[0] & 0xFF, devAddr, frame[5] & 0xFF, (frame[6] & 0xFF) | (frame[7] & 0xFF) << 8,
                Arrays.copyOfRange(frame, 8, portOff), hasPort ? frame[portOff] & 0xFF : -1,
                hasPort ? Arrays.copyOfRange(frame, portOff + 1, frame.length - 4) : new byte[0], micField(frame), up);
    }

    private static void writeIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
