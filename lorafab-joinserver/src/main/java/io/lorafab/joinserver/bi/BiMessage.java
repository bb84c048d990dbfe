package io.lorafab.joinserver.bi;

/**
 * A LoRaWAN Backend Interfaces message as exchanged with a Join Server: {@link BiCodec} turns JSON bodies into
 * these and back.
 */
public sealed interface BiMessage permits JoinReq, JoinAns, AppSKeyReq, AppSKeyAns, ErrorAnswer {

    BiHeader header();

    default BiMessageType messageType() {
        return header().messageType();
    }

    /**
     * The failure answer to a request known only by its header (e.g. one whose body could not be read): a
     * {@link JoinAns} for a JoinReq, an {@link AppSKeyAns} for an AppSKeyReq, an {@link ErrorAnswer} for any other
     * request. See {@link BiHeader#answerHeader()} for the header.
     *
     * @throws IllegalArgumentException if {@code code} is Success
     * @throws IllegalStateException if {@code request} is not a request header
     */
    static BiMessage failureAnswer(BiHeader request, BiResultCode code, String description) {
        return switch (request.messageType()) {
            case JOIN_REQ -> JoinAns.failure(request, code, description);
            case APP_S_KEY_REQ -> AppSKeyAns.failure(request, code, description);
            default -> ErrorAnswer.answering(request, code, description);
        };
    }

    static BiResult failureResult(BiResultCode code, String description) {
        if (code.isSuccess()) {
            throw new IllegalArgumentException("a failure answer needs a result code other than Success");
        }
        return BiResult.of(code, description);
    }
}
