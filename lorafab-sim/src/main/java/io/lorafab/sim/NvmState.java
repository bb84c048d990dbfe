package io.lorafab.sim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a device keeps in flash, as stored in its NVM file. Keys are hex (the device's own flash); {@link #toString()}
 * never shows them.
 *
 * @param nextDevNonce the next DevNonce of a counter device (1.0.4/1.1)
 * @param usedDevNonces the random DevNonces already sent (1.0.2)
 * @param lastJoinNonce the JoinNonce of the last accepted join-accept, -1 before the first
 * @param fCntUp the next uplink frame counter (32 bits)
 * @param session the current session, null before a join
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NvmState(int nextDevNonce, List<Integer> usedDevNonces, int lastJoinNonce, long fCntUp, NvmSession session) {

    public NvmState {
        usedDevNonces = usedDevNonces == null ? List.of() : List.copyOf(usedDevNonces);
    }

    public static NvmState fresh() {
        return new NvmState(0, List.of(), -1, 0, null);
    }

    public NvmState withNextDevNonce(int n) {
        return new NvmState(n, usedDevNonces, lastJoinNonce, fCntUp, session);
    }

    public NvmState withUsedDevNonce(int n) {
        java.util.ArrayList<Integer> l = new java.util.ArrayList<>(usedDevNonces);
        l.add(n);
        return new NvmState(nextDevNonce, l, lastJoinNonce, fCntUp, session);
    }

    public NvmState withJoin(int joinNonce, NvmSession s) {
        return new NvmState(nextDevNonce, usedDevNonces, joinNonce, 0, s);
    }

    public NvmState withFCntUp(long f) {
        return new NvmState(nextDevNonce, usedDevNonces, lastJoinNonce, f, session);
    }

    @Override
    public String toString() {
        return "NvmState[nextDevNonce=" + nextDevNonce + ", usedDevNonces=" + usedDevNonces.size() + ", lastJoinNonce="
                + lastJoinNonce + ", fCntUp=" + fCntUp + ", session=" + session + "]";
    }
}
