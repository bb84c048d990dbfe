/**
 * Codec for the Semtech UDP packet-forwarder protocol, version 2 (PROTOCOL.TXT of Semtech's
 * packet_forwarder): {@link io.lorafab.gateway.semtech.SemtechCodec} turns datagrams into
 * {@link io.lorafab.gateway.semtech.SemtechPacket}s and back. Pure: no sockets, no I/O, no logging.
 *
 * <h2>Decoding rules</h2>
 * <ul>
 * <li>Any input that is not accepted gives a {@link io.lorafab.gateway.semtech.SemtechProtocolException}
 * whose message names the problem (and, inside JSON, the field path such as {@code rxpk[0].data}); no other
 * exception escapes {@code decode}.</li>
 * <li>Only protocol version 2 is accepted. Version 1 is refused for every type: an acknowledgement must
 * carry the version of the datagram it answers, and the records here do not carry a version.</li>
 * <li>PUSH_ACK and PULL_ACK must be exactly 4 bytes and PULL_DATA exactly 12; extra bytes are refused.</li>
 * <li>JSON must be UTF-8 and a single object. Surrounding whitespace and trailing NUL bytes are ignored.
 * Duplicate keys and text after the object are refused. Unknown fields are ignored, and a JSON
 * {@code null} counts as an absent field.</li>
 * <li>TX_ACK JSON may be absent, empty, or only NULs/whitespace: that is {@code error = NONE}. So is an
 * object without {@code txpk_ack}. Error and warning strings that {@link io.lorafab.gateway.semtech.TxAckError}
 * does not know decode as {@code UNKNOWN} instead of failing, so the token still reaches the server.</li>
 * <li>PULL_RESP must carry a {@code txpk} object with a timing ({@code imme}, {@code tmst} or {@code tmms}),
 * {@code freq}, {@code rfch}, {@code modu}, {@code datr} and {@code data}, and also {@code codr} for LoRa or
 * {@code fdev} for FSK (the reference forwarder refuses packets without them).</li>
 * <li>An rxpk needs {@code tmst}, {@code freq}, {@code rfch}, {@code stat}, {@code modu}, {@code datr} and
 * {@code data}, plus {@code chan} and {@code rssi}, which may come from the best antenna instead.
 * <b>One invalid rxpk rejects the whole datagram.</b> For example, the PROTOCOL.TXT example's rxpk[0] has
 * {@code '-'} in its base64, and the error names {@code rxpk[0].data}. Use
 * {@link io.lorafab.gateway.semtech.SemtechCodec#decodeHeader(byte[])} to still acknowledge such a
 * PUSH_DATA.</li>
 * <li>{@code freq} is read as an exact decimal (never through {@code float}/{@code double}), converted to
 * Hz, and rounded half-up below 1 Hz. So {@code 868.100000} is 868100000 Hz, and a sloppy
 * {@code 868.29999999999995} is 868300000 Hz. It must be 1..10000 MHz.</li>
 * <li>LoRa {@code datr} is {@code SF<5..12>BW<125|250|500>}. FSK {@code datr} is an integer in bit/s, and a
 * datr of the wrong JSON type for the {@code modu} is refused. {@code codr} is 4/5, 4/6, 4/7, 4/8 or OFF.</li>
 * <li>{@code data} is standard-alphabet base64 with optional padding; {@code -}, {@code _}, whitespace and
 * misplaced {@code =} are refused. When {@code size} is present it must equal the decoded length.</li>
 * <li>Integer fields must be integral numbers ({@code 5.0} is accepted, {@code 5.5} is not), except RSSI
 * values, which are rounded to the nearest dBm.</li>
 * <li>Multi-antenna {@code rsig}: when the top-level {@code rssi}, {@code lsnr} or {@code chan} is absent, it
 * is taken from the best antenna. That is the one with the highest {@code rssic}; ties go to the higher
 * {@code lsnr}, then to the earlier entry.</li>
 * <li>rxpk {@code time} is any ISO-8601 instant. stat {@code time} is {@code 2014-01-12 08:59:28 GMT} (or
 * {@code UTC}), or an ISO-8601 instant.</li>
 * </ul>
 *
 * <h2>Encoding</h2>
 * Version 2 always. Fields are written in a fixed order and absent optionals are omitted. {@code freq} is
 * written in MHz with as many decimals as needed, at least one ({@code 869.525}, {@code 868.0}). Base64 is
 * padded. rxpk {@code time} has exactly 6 fraction digits, and stat {@code time} is written to the second.
 * The records truncate times to those precisions, and fill an empty rxpk {@code lsnr} from the best antenna,
 * so {@code decode(encode(p)).equals(p)} holds for every packet. A TX_ACK without error or warning has no
 * JSON.
 */
package io.lorafab.gateway.semtech;
