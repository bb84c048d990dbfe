package io.lorafab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.SemtechPacket.PullAck;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.gateway.semtech.Stat;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A lock-step packet forwarder for tests: like the real one, an "up" socket for PUSH_DATA and a "down" socket
 * for PULL_DATA, PULL_RESP and TX_ACK, on 127.0.0.1. Every wait is bounded.
 */
final class TestGateway implements AutoCloseable {
    static final int WAIT_MS = 5_000;

    final Eui64 eui;
    final DatagramSocket up;
    final DatagramSocket down;
    private final InetSocketAddress server;
    private int nextToken = 0x0100;

    TestGateway(Eui64 eui, int serverPort) {
        this(eui, serverPort, InetAddress.getLoopbackAddress());
    }

    /** A gateway (or someone claiming its EUI) sending from {@code local}, e.g. 127.0.0.2 for a second host. */
    TestGateway(Eui64 eui, int serverPort, InetAddress local) {
        this.eui = eui;
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
        try {
            this.up = new DatagramSocket(0, local);
            this.down = new DatagramSocket(0, local);
            up.setSoTimeout(WAIT_MS);
            down.setSoTimeout(WAIT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress downAddress() {
        return (InetSocketAddress) down.getLocalSocketAddress();
    }

    InetSocketAddress upAddress() {
        return (InetSocketAddress) up.getLocalSocketAddress();
    }

    Token nextToken() {
        return Token.fromLe(nextToken++);
    }

    void sendUp(byte[] datagram) {
        send(up, datagram);
    }

    void sendDown(byte[] datagram) {
        send(down, datagram);
    }

    private void send(DatagramSocket s, byte[] datagram) {
        try {
            s.send(new DatagramPacket(datagram, datagram.length, server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram on {@code s}; fails the test after {@link #WAIT_MS}. */
    static byte[] receiveRaw(DatagramSocket s) {
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram within " + WAIT_MS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOf(buf, p.getLength());
    }

    SemtechPacket receiveUp() {
        return SemtechCodec.decode(receiveRaw(up));
    }

    SemtechPacket receiveDown() {
        return SemtechCodec.decode(receiveRaw(down));
    }

    /** Nothing arrives on {@code s} within {@code ms}. */
    static void expectSilence(DatagramSocket s, int ms) {
        try {
            int before = s.getSoTimeout();
            s.setSoTimeout(ms);
            try {
                byte[] got = receiveRaw(s);
                throw new AssertionError("expected no answer, got " + SemtechCodec.decode(got));
            } catch (AssertionError e) {
                if (!(e.getCause() instanceof SocketTimeoutException)) {
                    throw e;
                }
            } finally {
                s.setSoTimeout(before);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PULL_DATA, then expects the PULL_ACK with the same token. */
    void pull() {
        Token t = nextToken();
        sendDown(SemtechCodec.encode(new PullData(t, eui)));
        assertThat(receiveDown()).isEqualTo(new PullAck(t));
    }

    /** PUSH_DATA, then expects the PUSH_ACK with the same token. */
    void push(List<Rxpk> rxpk, Optional<Stat> stat) {
        Token t = nextToken();
        sendUp(SemtechCodec.encode(new PushData(t, eui, rxpk, stat)));
        assertThat(receiveUp()).isEqualTo(new PushAck(t));
    }

    void push(Rxpk... rxpk) {
        push(List.of(rxpk), Optional.empty());
    }

    /** Expects a PULL_RESP on the down socket. */
    PullResp expectPullResp() {
        SemtechPacket p = receiveDown();
        assertThat(p).isInstanceOf(PullResp.class);
        return (PullResp) p;
    }

    void txAck(Token token, TxAckError error) {
        sendDown(SemtechCodec.encode(new TxAck(token, eui, error)));
    }

    @Override
    public void close() {
        up.close();
        down.close();
    }
}
