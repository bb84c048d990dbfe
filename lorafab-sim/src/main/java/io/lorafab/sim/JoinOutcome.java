package io.lorafab.sim;

import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.NetId;
import java.util.Optional;

/**
 * The result of offering a join-accept to a device: the new session (address, the NetID the join-accept named,
 * JoinNonce, keys), or why it was refused.
 */
public record JoinOutcome(Optional<JoinRefusal> refusal, DevAddr devAddr, NetId netId, JoinNonce joinNonce, SessionKeys keys) {

    public static JoinOutcome refused(JoinRefusal why) {
        return new JoinOutcome(Optional.of(why), null, null, null, null);
    }

    public static JoinOutcome joined(DevAddr devAddr, NetId netId, JoinNonce joinNonce, SessionKeys keys) {
        return new JoinOutcome(Optional.empty(), devAddr, netId, joinNonce, keys);
    }

    public boolean joined() {
        return refusal.isEmpty();
    }

    @Override
    public String toString() {
        return refusal.map(r -> "JoinOutcome[refused " + r.code() + "]")
                .orElseGet(() -> "JoinOutcome[joined devAddr=" + devAddr + ", netId=" + netId + ", joinNonce=" + joinNonce + "]");
    }
}
