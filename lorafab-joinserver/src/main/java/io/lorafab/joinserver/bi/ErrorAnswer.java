package io.lorafab.joinserver.bi;

import java.util.Objects;

/**
 * An answer known by its header and Result only: the answer to a request this package does not model
 * (RejoinReq, HomeNSReq, PRStartReq, ...), or an ErrorNotif. When parsing, the fields beyond Result of such an
 * answer are ignored. JoinAns and AppSKeyAns, failures included, are always {@link JoinAns} and
 * {@link AppSKeyAns}.
 */
public record ErrorAnswer(BiHeader header, BiResult result) implements BiMessage {

    public ErrorAnswer {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(result, "result");
        BiMessageType t = header.messageType();
        if (t.isRequest() || t == BiMessageType.JOIN_ANS || t == BiMessageType.APP_S_KEY_ANS) {
            throw new IllegalArgumentException("an ErrorAnswer cannot have MessageType " + t);
        }
    }

    /**
     * The failure answer to {@code request}, which must not be a JoinReq or AppSKeyReq (answer those with
     * {@link JoinAns#failure} and {@link AppSKeyAns#failure}, or use {@link BiMessage#failureAnswer}).
     */
    public static ErrorAnswer answering(BiHeader request, BiResultCode code, String description) {
        return new ErrorAnswer(request.answerHeader(), BiMessage.failureResult(code, description));
    }
}
