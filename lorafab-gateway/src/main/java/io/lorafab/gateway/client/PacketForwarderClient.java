package io.lorafab.gateway.client;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.SemtechProtocolException;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The gateway end of the Semtech UDP protocol, driven step by step: PULL_DATA keep-alive, PUSH_DATA with one
 * received frame, PULL_RESP received and answered with TX_ACK. Used by tests, load tools and simulated
 * gateways; one socket, not thread-safe.
 */
public final class PacketForwarderClient implements AutoCloseable {

    private final Eui64 eui;
    private final InetSocketAddress server;
    private final DatagramSocket socket;
    private final SplittableRandom random = new SplittableRandom();
    private final byte[] buf = new byte[65_535];

    public PacketForwarderClient(Eui64 eui, InetSocketAddress server) throws IOException {
        this(eui, server, new InetSocketAddress("127.0.0.1", 0));
    }

    /** A client sending from {@code local} (e.g. another loopback address, to stand for a second host). */
    public PacketForwarderClient(Eui64 eui, InetSocketAddress server, InetSocketAddress local) throws IOException {
        this.eui = eui;
        this.server = server;
        this.socket = new DatagramSocket(local);
    }

    public Eui64 eui() {
        return eui;
    }

    /** Sends PULL_DATA and waits for the PULL_ACK with the same token. */
    public void pull(Duration timeout) throws IOException {
        Token t = token();
        send(new SemtechPacket.PullData(t, eui));
        SemtechPacket p = receive(timeout).orElseThrow(() -> new SocketTimeoutException("no PULL_ACK"));
        if (!(p instanceof SemtechPacket.PullAck ack) || !ack.token().equals(t)) {
            throw new IOException("expected PULL_ACK " + t + ", got " + p);
        }
    }

    /**
     * An rxpk for a LoRa frame heard on {@code frequencyHz} at {@code sf}/125 kHz, without {@code time} or
     * {@code tmms} (a forwarder without GPS or NTP), on the IF channel and RF chain that the EU868 default channel
     * plan ({@link IfChannelPlan#EU868}) assigns to the frequency.
     *
     * @throws IllegalArgumentException if that plan has no 125 kHz channel on {@code frequencyHz}
     */
    public static Rxpk rxpk(byte[] phy, long tmst, long frequencyHz, int sf, int rssi, double snr) {
        return rxpk(phy, tmst, Optional.empty(), Optional.empty(), frequencyHz, sf, rssi, snr);
    }

    /**
     * An rxpk as {@link #rxpk(byte[], long, long, int, int, double)}, with the reception's UTC {@code time} (a
     * forwarder whose system clock is set) and GPS {@code tmms} (ms since 1980-01-06, only from a forwarder with
     * a GPS fix) when known.
     */
    public static Rxpk rxpk(byte[] phy, long tmst, Optional<Instant> time, Optional<Long> tmms, long frequencyHz, int sf,
            int rssi, double snr) {
        IfChannelPlan.Channel ch = IfChannelPlan.EU868.lora(frequencyHz, 125_000).orElseThrow(() -> new IllegalArgumentException(
                "no 125 kHz IF channel on " + frequencyHz + " Hz in the EU868 default channel plan"));
        return new Rxpk(time, tmms, tmst, frequencyHz, ch.chan(), ch.rfch(), CrcStatus.OK, DataRate.Lora.of(sf, 125),
                Optional.of(CodingRate.CR_4_5), rssi, Optional.of(snr), phy, List.of());
    }

    /** Sends PUSH_DATA with {@code rxpk}; the PUSH_ACK is consumed by the next {@link #receive}. */
    public Token push(Rxpk rxpk) throws IOException {
        Token t = token();
        send(new SemtechPacket.PushData(t, eui, List.of(rxpk), Optional.empty()));
        return t;
    }

    /** The next datagram from the server, decoded, or empty after {@code timeout}. */
    public Optional<SemtechPacket> receive(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        DatagramPacket d = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(d);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(SemtechCodec.decode(buf, 0, d.getLength()));
        } catch (SemtechProtocolException e) {
            throw new IOException("server sent a malformed datagram: " + e.getMessage(), e);
        }
    }

    /** Waits for the next PULL_RESP (skipping acks), or empty after {@code timeout}. */
    public Optional<SemtechPacket.PullResp> awaitPullResp(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<SemtechPacket> p = receive(Duration.ofNanos(left));
            if (p.isEmpty()) {
                return Optional.empty();
            }
            if (p.get() instanceof SemtechPacket.PullResp r) {
                return Optional.of(r);
            }
        }
    }

    /** Answers a PULL_RESP with TX_ACK ({@code error} NONE = sent). */
    public void txAck(SemtechPacket.PullResp resp, TxAckError error) throws IOException {
        send(SemtechPacket.TxAck.of(resp, eui, error));
    }

    /** Sends raw bytes (for tests of malformed input). */
    public void sendRaw(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    private void send(SemtechPacket p) throws IOException {
        sendRaw(SemtechCodec.encode(p));
    }

    private Token token() {
        return Token.fromLe(random.nextInt(0x10000));
    }

    @Override
    public void close() {
        socket.close();
    }
}
