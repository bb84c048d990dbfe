package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.types.Eui64;
import java.util.Objects;
import java.util.Optional;

/**
 * AppSKeyAns, Join Server to application server. On Success it carries DevEUI, the AppSKey (wrapped under the
 * AS KEK, or plain) and the SessionKeyID it answers. A failure answer repeats DevEUI and SessionKeyID when the
 * request was readable, and may lack them when it was not.
 */
public record AppSKeyAns(BiHeader header, BiResult result, Optional<Eui64> devEui, Optional<KeyEnvelope> appSKey,
        Optional<HexBytes> sessionKeyId) implements BiMessage {

    public AppSKeyAns {
        Objects.requireNonNull(header, "header");
        BiIds.requireType(header, BiMessageType.APP_S_KEY_ANS);
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(devEui, "devEui");
        Objects.requireNonNull(appSKey, "appSKey");
        sessionKeyId = Objects.requireNonNull(sessionKeyId, "sessionKeyId").filter(s -> !s.isEmpty());
        if (result.isSuccess()) {
            BiIds.eui64(header.senderId(), "SenderID");
            if (devEui.isEmpty()) {
                throw new BiFormatException("DevEUI: missing (required when ResultCode is Success)");
            }
            if (appSKey.isEmpty()) {
                throw new BiFormatException("AppSKey: missing (required when ResultCode is Success)");
            }
            if (sessionKeyId.isEmpty()) {
                throw new BiFormatException("SessionKeyID: missing (required when ResultCode is Success)");
            }
        }
    }

    /** The Success answer to {@code request}. */
    public static AppSKeyAns success(AppSKeyReq request, KeyEnvelope appSKey) {
        return new AppSKeyAns(request.header().answerHeader(), BiResult.success(), Optional.of(request.devEui()),
                Optional.of(appSKey), Optional.of(request.sessionKeyId()));
    }

    /** A failure answer to {@code request} (e.g. UnknownDevEUI), repeating its DevEUI and SessionKeyID. */
    public static AppSKeyAns failure(AppSKeyReq request, BiResultCode code, String description) {
        return new AppSKeyAns(request.header().answerHeader(), BiMessage.failureResult(code, description),
                Optional.of(request.devEui()), Optional.empty(), Optional.of(request.sessionKeyId()));
    }

    /** A failure answer to an AppSKeyReq known only by its header. */
    public static AppSKeyAns failure(BiHeader requestHeader, BiResultCode code, String description) {
        BiIds.requireType(requestHeader, BiMessageType.APP_S_KEY_REQ);
        return new AppSKeyAns(requestHeader.answerHeader(), BiMessage.failureResult(code, description),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
