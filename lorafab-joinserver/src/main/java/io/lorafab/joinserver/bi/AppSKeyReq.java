package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.types.Eui64;
import java.util.Objects;

/**
 * AppSKeyReq, application server to Join Server: the AppSKey of the session named by SessionKeyID. SenderID is
 * the AS-ID (any text, e.g. a host name), ReceiverID the JoinEUI.
 */
public record AppSKeyReq(BiHeader header, Eui64 devEui, HexBytes sessionKeyId) implements BiMessage {

    public AppSKeyReq {
        Objects.requireNonNull(header, "header");
        BiIds.requireType(header, BiMessageType.APP_S_KEY_REQ);
        BiIds.eui64(header.receiverId(), "ReceiverID");
        Objects.requireNonNull(devEui, "devEui");
        Objects.requireNonNull(sessionKeyId, "sessionKeyId");
        if (sessionKeyId.isEmpty()) {
            throw new BiFormatException("SessionKeyID: empty");
        }
    }

    /** The application server's AS-ID (SenderID). */
    public String asId() {
        return header.senderId();
    }

    /** The JoinEUI (ReceiverID). */
    public Eui64 joinEui() {
        return BiIds.eui64(header.receiverId(), "ReceiverID");
    }
}
