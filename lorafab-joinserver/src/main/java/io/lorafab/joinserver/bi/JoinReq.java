package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import java.util.Objects;
import java.util.Optional;

/**
 * JoinReq, network server to Join Server: the device's join-request and what the network wants in the
 * join-accept. SenderID is the network's NetID, ReceiverID the JoinEUI.
 *
 * @param macVersion the device's LoRaWAN version (ChirpStack writes "1.1.0", The Things Stack "1.1")
 * @param phyPayload the join-request PHYPayload as received (not decoded here)
 * @param dlSettings the DLSettings byte for the join-accept; OptNeg set asks for 1.1 session keys
 * @param rxDelay the RxDelay for the join-accept, 0..15
 * @param cfList the 16-byte CFList for the join-accept, if any
 */
public record JoinReq(BiHeader header, MacVersion macVersion, HexBytes phyPayload, Eui64 devEui, DevAddr devAddr,
        DlSettings dlSettings, int rxDelay, Optional<HexBytes> cfList) implements BiMessage {

    public static final int MAX_RX_DELAY = 15;
    public static final int CF_LIST_SIZE = 16;
    public static final int MAX_PHY_PAYLOAD = 255;

    public JoinReq {
        Objects.requireNonNull(header, "header");
        BiIds.requireType(header, BiMessageType.JOIN_REQ);
        BiIds.netId(header.senderId(), "SenderID");
        BiIds.eui64(header.receiverId(), "ReceiverID");
        Objects.requireNonNull(macVersion, "macVersion");
        Objects.requireNonNull(phyPayload, "phyPayload");
        if (phyPayload.isEmpty() || phyPayload.length() > MAX_PHY_PAYLOAD) {
            throw new BiFormatException("PHYPayload: expected 1.." + MAX_PHY_PAYLOAD + " bytes, got "
                    + phyPayload.length());
        }
        Objects.requireNonNull(devEui, "devEui");
        Objects.requireNonNull(devAddr, "devAddr");
        Objects.requireNonNull(dlSettings, "dlSettings");
        if (rxDelay < 0 || rxDelay > MAX_RX_DELAY) {
            throw new BiFormatException("RxDelay: out of range 0.." + MAX_RX_DELAY + ": " + rxDelay);
        }
        cfList = Objects.requireNonNull(cfList, "cfList").filter(c -> !c.isEmpty());
        if (cfList.isPresent() && cfList.get().length() != CF_LIST_SIZE) {
            throw new BiFormatException("CFList: expected " + CF_LIST_SIZE + " bytes, got " + cfList.get().length());
        }
    }

    /** The network's NetID (SenderID). */
    public NetId netId() {
        return BiIds.netId(header.senderId(), "SenderID");
    }

    /** The JoinEUI (ReceiverID). */
    public Eui64 joinEui() {
        return BiIds.eui64(header.receiverId(), "ReceiverID");
    }

    /**
     * Whether the join yields LoRaWAN 1.1 session keys (FNwkSIntKey, SNwkSIntKey, NwkSEncKey): a 1.1 device with
     * OptNeg set in DLSettings. Otherwise the session is 1.0 (NwkSKey), also for a 1.1 device without OptNeg.
     */
    public boolean lorawan11Session() {
        return macVersion.is11() && dlSettings.optNeg();
    }
}
