package io.lorafab.joinserver;

import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import java.util.Optional;

/**
 * What a network server decides for a join it forwards over Backend Interfaces (JoinReq): its NetID,
 * the DevAddr it chose, DLSettings, RxDelay and CFList. The join server uses them instead of its own. The
 * MACVersion it believes the device has must agree with the device's (1.0.x or 1.1), and OptNeg may only be set
 * for a 1.1 device; otherwise the join is refused before any state changes. {@code asId} is the application
 * server authorised for the session (null for none), recorded with it.
 */
public record JoinOverrides(NetId netId, DevAddr devAddr, DlSettings dlSettings, int rxDelay, Optional<CfList> cfList,
        MacVersion macVersion, String asId) {
}
