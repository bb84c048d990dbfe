package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import java.util.Optional;

/**
 * A join-accept in plaintext: MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | [CFList] | MIC
 * (17 or 33 bytes). On air it is encrypted; see {@link EncryptedJoinAccept}.
 *
 * @param rxDelay the whole RxDelay byte (delay in bits 3..0, RFU bits 7..4 kept as received)
 */
public record JoinAccept(MHdr mhdr, JoinNonce joinNonce, NetId netId, DevAddr devAddr, DlSettings dlSettings,
        int rxDelay, Optional<CfList> cfList, Mic mic) {

    public static final int SIZE = 17;
    public static final int SIZE_WITH_CFLIST = 33;

    public JoinAccept {
        if (mhdr.mType() != MType.JOIN_ACCEPT) {
            throw new LorawanFormatException("join-accept: MHDR has MType " + mhdr.mType().displayName());
        }
        if (rxDelay < 0 || rxDelay > 0xff) {
            throw new LorawanFormatException("join-accept: RxDelay out of one byte: " + rxDelay);
        }
    }

    public JoinAccept(JoinNonce joinNonce, NetId netId, DevAddr devAddr, DlSettings dlSettings, int rxDelay,
            Optional<CfList> cfList, Mic mic) {
        this(MHdr.of(MType.JOIN_ACCEPT), joinNonce, netId, devAddr, dlSettings, rxDelay, cfList, mic);
    }

    /** Parses the decrypted bytes, MHDR first. */
    public static JoinAccept decode(byte[] b) {
        if (b.length != SIZE && b.length != SIZE_WITH_CFLIST) {
            throw new LorawanFormatException("join-accept: expected 17 or 33 bytes, got " + b.length);
        }
        MHdr mhdr = MHdr.decode(b[0] & 0xff);
        Optional<CfList> cfList = b.length == SIZE_WITH_CFLIST ? Optional.of(CfList.decode(b, 13)) : Optional.empty();
        return new JoinAccept(mhdr, JoinNonce.fromLe(b, 1), NetId.fromLe(b, 4), DevAddr.fromLe(b, 7),
                DlSettings.decode(b[11] & 0xff), b[12] & 0xff, cfList, Mic.of(b, b.length - Mic.SIZE));
    }

    /** The RX1 delay in seconds (0 means 1). */
    public int rxDelaySeconds() {
        int d = rxDelay & 0x0f;
        return d == 0 ? 1 : d;
    }

    /** MHDR .. CFList: the bytes the MIC covers (after the 1.1 prefix, if any). */
    public byte[] micPayload() {
        byte[] b = new byte[length() - Mic.SIZE];
        writeFields(b);
        return b;
    }

    public int length() {
        return cfList.isPresent() ? SIZE_WITH_CFLIST : SIZE;
    }

    public JoinAccept withMic(Mic newMic) {
        return new JoinAccept(mhdr, joinNonce, netId, devAddr, dlSettings, rxDelay, cfList, newMic);
    }

    /** The plaintext bytes, MHDR first and MIC last. */
    public byte[] encode() {
        byte[] b = new byte[length()];
        writeFields(b);
        mic.write(b, b.length - Mic.SIZE);
        return b;
    }

    private void writeFields(byte[] b) {
        b[0] = mhdr.encode();
        joinNonce.writeLe(b, 1);
        netId.writeLe(b, 4);
        devAddr.writeLe(b, 7);
        b[11] = (byte) dlSettings.encode();
        b[12] = (byte) rxDelay;
        cfList.ifPresent(c -> System.arraycopy(c.encode(), 0, b, 13, CfList.SIZE));
    }
}
