package io.lorafab.lorawan.frame;

/**
 * A LoRaWAN PHYPayload: MHDR, MACPayload or join message, MIC. One record per message type; the join-accept
 * appears here in its encrypted on-air form ({@link EncryptedJoinAccept}) because it cannot be read
 * without the key; {@link JoinAccept} is its plaintext.
 */
public sealed interface PhyPayload
        permits JoinRequest, RejoinRequest, EncryptedJoinAccept, DataFrame, Proprietary {

    /** Longest PHYPayload a LoRa radio carries. */
    int MAX_SIZE = 255;

    MHdr mhdr();

    /** The bytes on air. */
    byte[] encode();

    default MType mType() {
        return mhdr().mType();
    }
}
