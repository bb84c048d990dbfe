package io.lorafab.joinserver;

import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.NetId;
import java.util.Optional;

/**
 * What a network server decides for a join it forwards over Backend Interfaces (JoinReq): its NetID,
 * the DevAddr it chose, DLSettings, RxDelay and CFList. The join server uses them instead of its own.
 */
public record JoinOverrides(NetId netId, DevAddr devAddr, DlSettings dlSettings, int rxDelay, Optional<CfList> cfList) {
}
