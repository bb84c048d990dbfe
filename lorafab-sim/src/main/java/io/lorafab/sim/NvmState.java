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
 * @param fCntDown the lowest downlink frame counter the device still takes (32 bits; 1.0 FCntDown, 1.1 AFCntDown)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NvmState(int nextDevNonce, List<Integer> usedDevNonces, int lastJoinNonce, long fCntUp, NvmSession session, long fCntDown) {

    public NvmState {
        usedDevNonces = usedDevNonces == null ? List.of() : List.copyOf(usedDevNonces);
    }

    public static NvmState fresh() {
        return new NvmState(0, List.of(), -1, 0, null, 0);
    }

    public NvmState withNextDevNonce(int n) {
        return new NvmState(n, usedDevNonces, lastJoinNonce, fCntUp, session, fCntDown);
    }

    public NvmState withUsedDevNonce(int n) {
        java.util.ArrayList<Integer> l = new java.util.ArrayList<>(usedDevNonces);
        l.add(n);
        return new NvmState(nextDevNonce, l, lastJoinNonce, fCntUp, session, fCntDown);
    }

    public NvmState withJoin(int joinNonce, NvmSession s) {
        return new NvmState(nextDevNonce, usedDevNonces, joinNonce, 0, s, 0);
    }

    public NvmState withFCntUp(long f) {
        return new NvmState(nextDevNonce, usedDevNonces, lastJoinNonce, f, session, fCntDown);
    }

    public NvmState withFCntDown(long f) {
        return new NvmState(nextDevNonce, usedDevNonces, lastJoinNonce, fCntUp, session, f);
    }

    @Override
    public String toString() {
        return "NvmState[nextDevNonce=" + nextDevNonce + ", usedDevNonces=" + usedDevNonces.size() + ", lastJoinNonce="
                + lastJoinNonce + ", fCntUp=" + fCntUp + ", fCntDown=" + fCntDown + ", session=" + session + "]";
    }
}
