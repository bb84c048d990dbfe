package io.lorafab.store.join;

import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.JoinNonce;

/** What a join was granted inside its transaction: the next JoinNonce and the DevAddr. */
public record JoinGrant(JoinNonce joinNonce, DevAddr devAddr) {
}
