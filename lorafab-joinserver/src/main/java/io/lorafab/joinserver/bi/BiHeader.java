package io.lorafab.joinserver.bi;

import java.util.Objects;
import java.util.Optional;

/**
 * The fields every Backend Interfaces message starts with.
 *
 * <p>SenderID and ReceiverID are kept as the text received: a NetID or JoinEUI in hex, or an AS-ID, which is any
 * string. The message records check their form ({@link JoinReq#netId()}, {@link JoinReq#joinEui()}), and an
 * answer echoes them exactly, swapped.
 *
 * <p>SenderNSID/ReceiverNSID (Backend Interfaces 1.1) are kept as opaque text too: The Things Stack has sent a
 * NetID in hex (with ProtocolVersion 1.0 as well), later an EUI-64 in hex; other servers send a host name. An
 * empty NSID or token counts as absent.
 *
 * @param transactionId an unsigned 32-bit number chosen by the requester and repeated in the answer
 */
public record BiHeader(BiProtocolVersion protocolVersion, String senderId, String receiverId, long transactionId,
        BiMessageType messageType, Optional<String> senderNsId, Optional<String> receiverNsId,
        Optional<HexBytes> senderToken, Optional<HexBytes> receiverToken) {

    public static final long MAX_TRANSACTION_ID = 0xFFFF_FFFFL;

    public BiHeader {
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(messageType, "messageType");
        senderId = requireText(senderId, "SenderID");
        receiverId = requireText(receiverId, "ReceiverID");
        if (transactionId < 0 || transactionId > MAX_TRANSACTION_ID) {
            throw new BiFormatException("TransactionID: out of range 0..4294967295: " + transactionId);
        }
        senderNsId = nonEmptyText(senderNsId);
        receiverNsId = nonEmptyText(receiverNsId);
        senderToken = nonEmptyBytes(senderToken);
        receiverToken = nonEmptyBytes(receiverToken);
    }

    /** A header without NSIDs or tokens. */
    public static BiHeader of(BiProtocolVersion protocolVersion, BiMessageType messageType, String senderId,
            String receiverId, long transactionId) {
        return new BiHeader(protocolVersion, senderId, receiverId, transactionId, messageType, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The header of the answer to this request: same ProtocolVersion and TransactionID, the answer MessageType,
     * SenderID and ReceiverID swapped, the request's SenderToken returned as ReceiverToken (and its ReceiverToken
     * as SenderToken). The NSIDs are swapped likewise for a 1.1 message and left out of a 1.0 answer, where they
     * have no place even if the request carried one.
     *
     * @throws IllegalStateException if this is not a request header
     */
    public BiHeader answerHeader() {
        BiMessageType answer = messageType.answer()
                .orElseThrow(() -> new IllegalStateException(messageType + " is not a request"));
        boolean nsIds = protocolVersion.hasNsIds();
        return new BiHeader(protocolVersion, receiverId, senderId, transactionId, answer,
                nsIds ? receiverNsId : Optional.empty(), nsIds ? senderNsId : Optional.empty(),
                receiverToken, senderToken);
    }

    /** This header with another MessageType (e.g. to reuse a parsed header in a test). */
    public BiHeader withMessageType(BiMessageType type) {
        return new BiHeader(protocolVersion, senderId, receiverId, transactionId, type, senderNsId, receiverNsId,
                senderToken, receiverToken);
    }

    private static String requireText(String s, String field) {
        if (s == null) {
            throw new BiFormatException(field + ": missing");
        }
        if (s.isEmpty()) {
            throw new BiFormatException(field + ": empty");
        }
        return s;
    }

    private static Optional<String> nonEmptyText(Optional<String> o) {
        return Objects.requireNonNull(o).filter(s -> !s.isEmpty());
    }

    private static Optional<HexBytes> nonEmptyBytes(Optional<HexBytes> o) {
        return Objects.requireNonNull(o).filter(b -> !b.isEmpty());
    }
}
