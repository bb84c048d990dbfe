package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.NetId;
import java.util.Objects;
import java.util.Optional;

/**
 * JoinAns, Join Server to network server. On Success it carries the encrypted join-accept (PHYPayload), the
 * network session keys for the network server ({@link NetworkKeys}, wrapped under the network server's KEK or
 * plain), and either the AppSKey for the application server (wrapped under the AS KEK; the network server
 * forwards it) or a SessionKeyID with which the application server fetches it later with an AppSKeyReq, or
 * both. A failure answer carries only the Result.
 *
 * @param lifetime the session lifetime in seconds (0..2^32-1); The Things Stack always writes it, 0 meaning none
 */
public record JoinAns(BiHeader header, BiResult result, Optional<HexBytes> phyPayload,
        Optional<NetworkKeys> networkKeys, Optional<KeyEnvelope> appSKey, Optional<HexBytes> sessionKeyId,
        Optional<Long> lifetime) implements BiMessage {

    public JoinAns {
        Objects.requireNonNull(header, "header");
        BiIds.requireType(header, BiMessageType.JOIN_ANS);
        Objects.requireNonNull(result, "result");
        phyPayload = Objects.requireNonNull(phyPayload, "phyPayload").filter(p -> !p.isEmpty());
        Objects.requireNonNull(networkKeys, "networkKeys");
        Objects.requireNonNull(appSKey, "appSKey");
        sessionKeyId = Objects.requireNonNull(sessionKeyId, "sessionKeyId").filter(s -> !s.isEmpty());
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isPresent() && (lifetime.get() < 0 || lifetime.get() > 0xFFFF_FFFFL)) {
            throw new BiFormatException("Lifetime: out of range 0..4294967295: " + lifetime.get());
        }
        if (result.isSuccess()) {
            BiIds.eui64(header.senderId(), "SenderID");
            BiIds.netId(header.receiverId(), "ReceiverID");
            if (phyPayload.isEmpty()) {
                throw new BiFormatException("PHYPayload: missing (required when ResultCode is Success)");
            }
            if (networkKeys.isEmpty()) {
                throw new BiFormatException("NwkSKey: missing, and no FNwkSIntKey, SNwkSIntKey and NwkSEncKey"
                        + " (network keys are required when ResultCode is Success)");
            }
            if (appSKey.isEmpty() && sessionKeyId.isEmpty()) {
                throw new BiFormatException("AppSKey: missing, and no SessionKeyID to fetch it with"
                        + " (one is required when ResultCode is Success)");
            }
        }
    }

    /**
     * The Success answer to {@code request}.
     *
     * @param joinAccept the encrypted join-accept PHYPayload
     * @param networkKeys {@link NetworkKeys.Lorawan11} when {@link JoinReq#lorawan11Session()}, else
     *     {@link NetworkKeys.Lorawan10}
     * @param appSKey the AppSKey for the application server; may be left out when the application server fetches
     *     it by {@code sessionKeyId} with an AppSKeyReq
     * @throws IllegalArgumentException if the key form does not match the request's session version
     */
    public static JoinAns success(JoinReq request, HexBytes joinAccept, NetworkKeys networkKeys,
            Optional<KeyEnvelope> appSKey, Optional<HexBytes> sessionKeyId, Optional<Long> lifetime) {
        boolean want11 = request.lorawan11Session();
        if (want11 != (networkKeys instanceof NetworkKeys.Lorawan11)) {
            throw new IllegalArgumentException(want11
                    ? "a 1.1 session (1.1 device, OptNeg set) needs FNwkSIntKey, SNwkSIntKey and NwkSEncKey"
                    : "a 1.0 session needs NwkSKey");
        }
        return new JoinAns(request.header().answerHeader(), BiResult.success(), Optional.of(joinAccept),
                Optional.of(networkKeys), appSKey, sessionKeyId, lifetime);
    }

    /** A failure answer to {@code request}, e.g. MICFailed or UnknownDevEUI. */
    public static JoinAns failure(JoinReq request, BiResultCode code, String description) {
        return failure(request.header(), code, description);
    }

    /** A failure answer to a JoinReq known only by its header. */
    public static JoinAns failure(BiHeader requestHeader, BiResultCode code, String description) {
        BiIds.requireType(requestHeader, BiMessageType.JOIN_REQ);
        return new JoinAns(requestHeader.answerHeader(), BiMessage.failureResult(code, description),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The JoinEUI (SenderID). */
    public Eui64 joinEui() {
        return BiIds.eui64(header.senderId(), "SenderID");
    }

    /** The network's NetID (ReceiverID). */
    public NetId netId() {
        return BiIds.netId(header.receiverId(), "ReceiverID");
    }
}
