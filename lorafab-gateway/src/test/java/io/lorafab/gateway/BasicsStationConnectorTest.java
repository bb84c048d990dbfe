package io.lorafab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsFrames;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.lorawan.region.Eu868;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The LNS protocol server without sockets: a fake websocket link, real codec, real deduplication and planning. */
class BasicsStationConnectorTest {

    static final Eui64 GW = Eui64.parse("B827EBFFFE61F47D");
    static final Eui64 DEV = Eui64.parse("0004A30B001C0530");
    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    static final ObjectMapper JSON = new ObjectMapper();
    static final long XTIME = 0x0090_0000_1234_5678L;

    final LinkedBlockingQueue<Uplink> uplinks = new LinkedBlockingQueue<>();
    BasicsStationConnector bs;

    static final class FakeLink implements BasicsStationConnector.Link {
        final LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public void send(String text) {
            sent.add(text);
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code + " " + reason);
        }

        JsonNode next() throws Exception {
            String s = sent.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a message to the station").isNotNull();
            return JSON.readTree(s);
        }
    }

    @AfterEach
    void close() {
        if (bs != null) {
            bs.close();
        }
    }

    private BasicsStationConnector start(BasicsStationConnector.Config config) {
        bs = new BasicsStationConnector(config, Clock.systemUTC());
        bs.start(uplinks::add);
        return bs;
    }

    static byte[] joinRequest(int nonce) {
        byte[] f = new byte[23];
        Eui64.parse("70B3D57ED0000001").writeLe(f, 1);
        DEV.writeLe(f, 9);
        f[17] = (byte) nonce;
        f[19] = 0x11;
        f[20] = 0x22;
        f[21] = 0x33;
        f[22] = (byte) 0xC4;
        return f;
    }

    static String jreq(byte[] frame, int rssi, double snr) {
        return LnsCodec.encode(LnsFrames.joinRequest(frame, new UpInfo(5, 868_100_000L, 0, XTIME, 0, rssi, snr,
                1.7e9, 0)));
    }

    @Test
    void versionIsAnsweredWithTheRegionsRouterConfig() throws Exception {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE));
        FakeLink link = new FakeLink();
        BasicsStationConnector.Session s = bs.open(GW, REMOTE, link);
        s.onText("{\"msgtype\":\"version\",\"station\":\"2.0.6(rpi/std)\",\"model\":\"rpi\",\"protocol\":2,\"features\":\"gps\"}");
        JsonNode rc = link.next();
        assertThat(rc.get("msgtype").textValue()).isEqualTo("router_config");
        assertThat(rc.get("region").textValue()).isEqualTo("EU868");
        assertThat(rc.get("hwspec").textValue()).isEqualTo("sx1301/1");
        BasicsStationConnector.StationState st = bs.stations().get(0);
        assertThat(st.connected()).isTrue();
        assertThat(st.version().orElseThrow().model()).isEqualTo("rpi");
    }

    @Test
    void aJreqBecomesTheSamePhyPayloadWithItsRadioMetadata() throws Exception {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE));
        bs.open(GW, REMOTE, new FakeLink()).onText(jreq(joinRequest(1), -42, 7.5));
        Uplink u = uplinks.poll(5, TimeUnit.SECONDS);
        assertThat(u).isNotNull();
        assertThat(u.phyPayload()).isEqualTo(joinRequest(1));
        RxInfo rx = u.best();
        assertThat(rx.gatewayEui()).isEqualTo(GW);
        assertThat(rx.rssi()).isEqualTo(-42);
        assertThat(rx.snr()).isEqualTo(7.5);
        assertThat(rx.frequencyHz()).isEqualTo(868_100_000L);
        assertThat(rx.datr()).isEqualTo("SF7BW125");
        assertThat(rx.tmst()).isEqualTo(XTIME & 0xFFFF_FFFFL);
    }

    @Test
    void theJoinAcceptGoesAsOneDnmsgWithBothWindowsAndDntxedSaysWhichWasUsed() throws Exception {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE));
        FakeLink link = new FakeLink();
        BasicsStationConnector.Session s = bs.open(GW, REMOTE, link);
        s.onText(jreq(joinRequest(2), -42, 7.5));
        Uplink u = uplinks.poll(5, TimeUnit.SECONDS);
        byte[] accept = {0x20, 1, 2, 3};
        CompletableFuture<DownlinkResult> f = new JoinAcceptScheduler(bs).scheduleJoinAccept(Eu868.INSTANCE, u, accept);
        DownlinkMessage d = (DownlinkMessage) LnsCodec.decodeFromServer(link.sent.poll(5, TimeUnit.SECONDS));
        assertThat(d.devEui()).isEqualTo(DEV);
        assertThat(d.deviceClass()).isZero();
        assertThat(d.rxDelay()).isEqualTo(5);
        assertThat(d.xtime()).isEqualTo(XTIME);
        assertThat(d.rx1().orElseThrow().dr()).isEqualTo(5);
        assertThat(d.rx1().orElseThrow().freqHz()).isEqualTo(868_100_000L);
        assertThat(d.rx2().orElseThrow().dr()).isZero();
        assertThat(d.rx2().orElseThrow().freqHz()).isEqualTo(869_525_000L);
        assertThat(d.pdu()).isEqualTo(accept);
        assertThat(f).isNotDone();
        // the station sent it in RX2 (xtime one second after RX1)
        s.onText(LnsCodec.encode(new DownlinkTransmitted(d.diid(), DEV, 0, 869_525_000L, 0, XTIME + 6_000_000, 1.7e9, 0)));
        DownlinkResult r = f.get(5, TimeUnit.SECONDS);
        assertThat(r.window()).contains(RxWindow.RX2);
        assertThat(bs.counter(BasicsStationConnector.DNTXED)).isEqualTo(1);
    }

    @Test
    void aDownlinkTheStationNeverReportsTimesOutAfterItsLastWindow() throws Exception {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE).withDntxedGrace(Duration.ofMillis(-5_900)));
        FakeLink link = new FakeLink();
        bs.open(GW, REMOTE, link).onText(jreq(joinRequest(3), -42, 7.5));
        Uplink u = uplinks.poll(5, TimeUnit.SECONDS);
        DownlinkResult r = new JoinAcceptScheduler(bs).scheduleJoinAccept(Eu868.INSTANCE, u, new byte[] {0x20})
                .get(5, TimeUnit.SECONDS);
        assertThat(r.sent()).isFalse();
        assertThat(r.finalResult().status()).isEqualTo(TxResult.Status.TIMEOUT);
        assertThat(bs.stations().get(0).notTransmitted()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionFailsItsDownlinksAndAReconnectServesAgain() throws Exception {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE));
        FakeLink first = new FakeLink();
        BasicsStationConnector.Session s1 = bs.open(GW, REMOTE, first);
        s1.onText(jreq(joinRequest(4), -42, 7.5));
        Uplink u = uplinks.poll(5, TimeUnit.SECONDS);
        CompletableFuture<DownlinkResult> f = new JoinAcceptScheduler(bs).scheduleJoinAccept(Eu868.INSTANCE, u, new byte[] {0x20});
        first.sent.poll(5, TimeUnit.SECONDS);
        s1.onClose();
        assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(GatewayUnavailableException.class);
        assertThat(bs.gateways().hasDownlinkRoute(GW)).isFalse();
        assertThat(bs.stations().get(0).connected()).isFalse();
        FakeLink second = new FakeLink();
        bs.open(GW, REMOTE, second).onText(jreq(joinRequest(5), -40, 8));
        assertThat(uplinks.poll(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(bs.gateways().hasDownlinkRoute(GW)).isTrue();
    }

    @Test
    void aSecondConnectionOfTheSameGatewayReplacesTheFirst() {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE));
        FakeLink first = new FakeLink();
        bs.open(GW, REMOTE, first);
        bs.open(GW, REMOTE, new FakeLink());
        assertThat(first.closes).containsExactly("1000 replaced by a new connection");
    }

    @Test
    void garbageIsCountedAndTheConnectionKeepsBeingServed() throws Exception {
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE));
        FakeLink link = new FakeLink();
        BasicsStationConnector.Session s = bs.open(GW, REMOTE, link);
        s.onText("{{{ not json");
        s.onText("{\"msgtype\":\"jreq\",\"MHdr\":\"x\"}");
        s.onText("{\"msgtype\":\"propdf\",\"FRMPayload\":\"E001\",\"DR\":0,\"Freq\":868100000,\"upinfo\":{\"xtime\":1,\"rssi\":-1}}");
        s.onText("{\"msgtype\":\"timesync\",\"txtime\":77}");
        JsonNode t = link.next();
        assertThat(t.get("txtime").longValue()).isEqualTo(77);
        assertThat(t.get("gpstime").longValue()).isGreaterThan(1_300_000_000_000_000L);
        assertThat(bs.counter(BasicsStationConnector.MALFORMED)).isEqualTo(2);
        assertThat(bs.counter(BasicsStationConnector.PROPDF_IGNORED)).isEqualTo(1);
        assertThat(bs.stations().get(0).malformed()).isEqualTo(2);
        s.onText(jreq(joinRequest(6), -42, 7.5));
        assertThat(uplinks.poll(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void discoveryAnswersAnAllowedGatewayAndRefusesAnother() throws Exception {
        StationCredentials creds = StationCredentials.parse(
                List.of(GW + " " + StationCredentials.digestHex("s3cret")), true);
        start(BasicsStationConnector.Config.of(Eu868.INSTANCE)
                .withAllowList(GatewayAllowList.of(java.util.Set.of(GW))).withCredentials(creds));
        InetAddress lo = InetAddress.getLoopbackAddress();
        JsonNode ok = JSON.readTree(bs.routerInfo("{\"router\":\"b827:ebff:fe61:f47d\"}", lo,
                Optional.of("Bearer s3cret"), Optional.empty(), "ws://lns:1887"));
        assertThat(ok.get("uri").textValue()).isEqualTo("ws://lns:1887/traffic/B8-27-EB-FF-FE-61-F4-7D");
        assertThat(ok.has("error")).isFalse();
        JsonNode badToken = JSON.readTree(bs.routerInfo("{\"router\":\"b827:ebff:fe61:f47d\"}", lo,
                Optional.of("Bearer wrong"), Optional.empty(), "ws://lns:1887"));
        assertThat(badToken.get("error").textValue()).contains("did not authenticate").doesNotContain("wrong");
        JsonNode other = JSON.readTree(bs.routerInfo("{\"router\":\"::2\"}", lo, Optional.of("Bearer s3cret"),
                Optional.empty(), "ws://lns:1887"));
        assertThat(other.get("error").textValue()).isEqualTo("gateway 0000000000000002 is not allowed");
        assertThat(bs.refusal(GW, lo, Optional.empty(), Optional.empty())).isPresent();
    }

    /** One frame heard by a packet forwarder and a Basics Station: one uplink with both receptions. */
    @Test
    void oneFrameHeardOverUdpAndBasicsStationIsDeliveredOnce() throws Exception {
        SemtechUdpConnector udp = new SemtechUdpConnector(SemtechUdpConfig.listeningOn(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Clock.systemUTC());
        bs = new BasicsStationConnector(BasicsStationConnector.Config.of(Eu868.INSTANCE), Clock.systemUTC());
        try (CombinedConnector both = new CombinedConnector(udp, bs)) {
            both.start(uplinks::add);
            byte[] frame = joinRequest(9);
            bs.open(GW, REMOTE, new FakeLink()).onText(jreq(frame, -80, -3));
            Eui64 udpGw = Eui64.parse("AA555A0000000001");
            Rxpk rxpk = new Rxpk(Optional.empty(), Optional.empty(), 1000, 868_100_000L, 0, 0, CrcStatus.OK,
                    new DataRate.Lora(7, 125_000), Optional.of(CodingRate.CR_4_5), -30, Optional.of(9.0), frame, List.of());
            try (TestGateway g = new TestGateway(udpGw, udp.localPort())) {
                g.sendUp(SemtechCodec.encode(new PushData(Token.of(1, 2), udpGw, List.of(rxpk), Optional.empty())));
                Uplink u = uplinks.poll(5, TimeUnit.SECONDS);
                assertThat(u).isNotNull();
                assertThat(u.receptions()).extracting(RxInfo::gatewayEui).containsExactly(udpGw, GW);
                assertThat(uplinks.poll(500, TimeUnit.MILLISECONDS)).isNull();
            }
            assertThat(both.gateways().hasDownlinkRoute(GW)).isTrue();
        }
        bs = null;
    }
}
