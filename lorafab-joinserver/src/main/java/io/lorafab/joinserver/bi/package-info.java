/**
 * LoRaWAN Backend Interfaces (TS002-1.0 and 1.1) messages between a Join Server and network and application
 * servers, as JSON bodies of HTTP POSTs: {@link io.lorafab.joinserver.bi.JoinReq} /
 * {@link io.lorafab.joinserver.bi.JoinAns} (network server), {@link io.lorafab.joinserver.bi.AppSKeyReq} /
 * {@link io.lorafab.joinserver.bi.AppSKeyAns} (application server), and
 * {@link io.lorafab.joinserver.bi.ErrorAnswer} for answers known only by header and Result.
 * {@link io.lorafab.joinserver.bi.BiCodec} reads and writes them. Pure: no sockets, no I/O, no logging.
 *
 * <h2>Reading rules</h2>
 * <ul>
 * <li>Anything not accepted gives a {@link io.lorafab.joinserver.bi.BiFormatException} whose message names the
 * field (e.g. {@code DevEUI: expected 8 bytes (16 hex digits), got 7}) and never repeats key material, not even
 * a quote of invalid JSON. It carries the result code to answer with and, when the header was readable, the
 * header, from which {@code answer()} builds the failure answer.</li>
 * <li>The body must be one JSON object (UTF-8). Duplicate keys and content after the object are refused.
 * Unknown fields (VSExtension included) are ignored; JSON {@code null} counts as absent, and so does {@code ""}
 * for optional text fields (The Things Stack writes {@code "CFList": ""}).</li>
 * <li>Hex (EUIs, NetID, DevAddr, PHYPayload, keys, tokens) is read in either case, with an optional "0x" prefix,
 * no separators: ChirpStack writes lowercase, The Things Stack uppercase. EUIs, NetID and DevAddr are MSB
 * first.</li>
 * <li>Header: ProtocolVersion "1.0" or "1.1" (anything else: InvalidProtocolVersion), MessageType, SenderID,
 * ReceiverID and TransactionID are required; SenderNSID/ReceiverNSID and SenderToken/ReceiverToken optional.
 * NSIDs are opaque text, accepted with either version (The Things Stack has sent its NetID as SenderNSID with
 * ProtocolVersion 1.0).</li>
 * <li>TransactionID (0..2^32-1), RxDelay (0..15) and Lifetime may be JSON numbers or decimal strings; RxDelay
 * also as "RX_DELAY_5". DLSettings is one byte of hex (a JSON number is read too).</li>
 * <li>JoinReq: SenderID must be a NetID and ReceiverID a JoinEUI; MACVersion, PHYPayload, DevEUI, DevAddr,
 * DLSettings and RxDelay are required; CFList, when present, is 16 bytes. MACVersion accepts "1.0", "1.0.0" ..
 * "1.0.4", "1.1", "1.1.0" (ChirpStack sends "1.1.0", The Things Stack "1.1").</li>
 * <li>KeyEnvelope: a missing KEKLabel is "" and means AESKey is the plain 16-byte key; with a label AESKey must
 * be the 24-byte RFC 3394 wrap of the key.</li>
 * <li>JoinAns and AppSKeyAns with ResultCode Success need their keys (see the records); failure answers need
 * only Result. A JoinAns has either NwkSKey or all of FNwkSIntKey, SNwkSIntKey and NwkSEncKey.</li>
 * <li>Requests other than JoinReq and AppSKeyReq are refused as unsupported (with their header, so they can be
 * answered); other answers and ErrorNotif are read as {@link io.lorafab.joinserver.bi.ErrorAnswer}.</li>
 * <li>Result codes are the specification's strings; {@code UnkownReceiver} (sic, as specified) is written for
 * UNKNOWN_RECEIVER and {@code UnknownReceiver} read as well.</li>
 * </ul>
 *
 * <h2>Writing</h2>
 * Compact JSON, fields in a fixed order, lowercase hex, numbers as numbers, absent optionals left out,
 * Result.Description left out when empty, KEKLabel always written. {@code parse(write(m)).equals(m)} for every
 * message. Answers built with {@code answering}/{@code success}/{@code failure} keep the request's
 * ProtocolVersion and TransactionID, swap SenderID/ReceiverID (as received) and tokens, and swap the NSIDs in
 * 1.1 only.
 */
package io.lorafab.joinserver.bi;
