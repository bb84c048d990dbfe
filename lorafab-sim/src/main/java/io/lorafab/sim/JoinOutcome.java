package io.lorafab.sim;

import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.JoinNonce;
import java.util.Optional;

/** The result of offering a join-accept to a device: the new session, or why it was refused. */
public record JoinOutcome(Optional<JoinRefusal> refusal, DevAddr devAddr, JoinNonce joinNonce, SessionKeys keys) {

    public static JoinOutcome refused(JoinRefusal why) {
        return new JoinOutcome(Optional.of(why), null, null, null);
    }

    public static JoinOutcome joined(DevAddr devAddr, JoinNonce joinNonce, SessionKeys keys) {
        return new JoinOutcome(Optional.empty(), devAddr, joinNonce, keys);
    }

    public boolean joined() {
        return refusal.isEmpty();
    }

    @Override
    public String toString() {
        return refusal.map(r -> "JoinOutcome[refused " + r.code() + "]")
                .orElseGet(() -> "JoinOutcome[joined devAddr=" + devAddr + ", joinNonce=" + joinNonce + "]");
    }
}
