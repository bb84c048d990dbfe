package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.Version;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.gateway.basicstation.RouterConfigs;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The station's own rules, against a scripted LNS ({@link TinyLns}) that says what the real server never says or
 * says late: version first, dnmsg before router_config dropped, RxDelay 0 read as 1, RX2 when RX1 is too late,
 * no dntxed for DevEui 0, a dnmsg timed from another radio session dropped.
 */
class VirtualBasicsStationRulesTest {

    static final Eui64 GW = Eui64.parse("B827EBFFFE61F47D");
    static final Eui64 DEV = Eui64.parse("0004A30B001C0530");
    /** A join-request's 23 bytes: what they say does not matter to the station. */
    static final byte[] JOIN_REQUEST = new byte[23];

    static {
        Arrays.fill(JOIN_REQUEST, 1, 23, (byte) 0x42);
    }

    TinyLns lns;
    VirtualBasicsStation station;

    @AfterEach
    void stop() throws Exception {
        if (station != null) {
            station.close();
        }
        if (lns != null) {
            lns.close();
        }
    }

    static String routerConfig() {
        return LnsCodec.encode(RouterConfigs.forRegion(Region.byName("EU868"), Optional.empty(), OptionalDouble.empty()));
    }

    static String dnmsg(Eui64 dev, long diid, int rxDelay, long xtime) {
        return LnsCodec.encode(new DownlinkMessage(dev, 0, diid, new byte[] {0x20, 1, 2, 3, 4}, rxDelay,
                Optional.of(new Window(5, 868_100_000L)), Optional.of(new Window(0, 869_525_000L)), xtime, 0, 0,
                OptionalDouble.empty()));
    }

    /** A TinyLns that answers version with router_config and hands every jreq to {@code onJreq}. */
    VirtualBasicsStation connect(SimGateway.Timing timing, BiConsumer<TinyLns, JoinRequest> onJreq) throws Exception {
        lns = new TinyLns((l, text) -> {
            LnsMessage m = LnsCodec.decodeFromStation(text);
            if (m instanceof Version) {
                l.send(routerConfig());
            } else if (m instanceof JoinRequest j) {
                onJreq.accept(l, j);
            }
        });
        station = new VirtualBasicsStation(GW, URI.create(lns.uri()), Clock.systemUTC(), Duration.ofSeconds(3), timing,
                VirtualBasicsStation.Auth.NONE);
        station.connect(Duration.ofSeconds(5));
        return station;
    }

    /** The next message of {@code type} the station sent, skipping others; null if none within {@code ms}. */
    <T extends LnsMessage> T nextOf(Class<T> type, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < deadline) {
            String s = lns.fromStation.poll(50, TimeUnit.MILLISECONDS);
            if (s != null && type.isInstance(LnsCodec.decodeFromStation(s))) {
                return type.cast(LnsCodec.decodeFromStation(s));
            }
        }
        return null;
    }

    @Test
    void theStationSaysVersionFirstAndDropsADnmsgThatComesBeforeRouterConfig() throws Exception {
        lns = new TinyLns((l, text) -> {
            if (text.contains("\"version\"")) {
                l.send(dnmsg(DEV, 1, 5, 0x0001_0000_0000_0000L));
                l.send(routerConfig());
            }
        });
        station = new VirtualBasicsStation(GW, URI.create(lns.uri()), Clock.systemUTC(), Duration.ofSeconds(3),
                SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.NONE);
        station.connect(Duration.ofSeconds(5));
        Version v = (Version) LnsCodec.decodeFromStation(lns.next());
        assertThat(v).isEqualTo(new Version("2.0.6(lorafab-sim/std)", "lorafab-sim", "lorafab-sim", "lorafab-sim", 2, "prod"));
        assertThat(LnsCodec.decodeFromStation(lns.next()).msgtype()).as("then it asks for the time").isEqualTo("timesync");
        assertThat(station.connected()).isTrue();
        assertThat(station.droppedBeforeConfig()).isEqualTo(1);
        assertThat(station.transmitted()).isZero();
    }

    @Test
    void rxDelayZeroIsReadAsOneSecondAndDntxedNamesTheSlot() throws Exception {
        connect(SimGateway.Timing.ON_AIR, (l, j) -> l.send(dnmsg(DEV, 7, 0, j.up().xtime())));
        station.push(JOIN_REQUEST, 868_100_000L, 7, -80, 5.5);
        JoinRequest j = nextOf(JoinRequest.class, 2_000);
        assertThat(j.up().dr()).isEqualTo(5);
        assertThat(j.up().rssi()).isEqualTo(-80);
        assertThat(j.up().xtime() >>> 48).as("the radio session, never 0").isBetween(1L, 255L);
        DownlinkTransmitted d = nextOf(DownlinkTransmitted.class, 3_000);
        assertThat(d).isNotNull();
        assertThat(d.diid()).isEqualTo(7);
        assertThat(d.devEui()).isEqualTo(DEV);
        assertThat(d.xtime()).isEqualTo(j.up().xtime() + 1_000_000L);
        assertThat(d.freqHz()).isEqualTo(868_100_000L);
        assertThat(station.unmatchedDownlinks()).as("no device listened").isEqualTo(1);
    }

    @Test
    void aDnmsgTooLateForRx1GoesOutInRx2OneSecondLater() throws Exception {
        connect(SimGateway.Timing.ON_AIR, (l, j) -> {
            try {
                Thread.sleep(1_100); // RX1 (RxDelay 1) has passed when the dnmsg comes
            } catch (InterruptedException e) {
                return;
            }
            l.send(dnmsg(DEV, 8, 1, j.up().xtime()));
        });
        station.push(JOIN_REQUEST, 868_100_000L, 7, -80, 5.5);
        JoinRequest j = nextOf(JoinRequest.class, 2_000);
        DownlinkTransmitted d = nextOf(DownlinkTransmitted.class, 4_000);
        assertThat(d).isNotNull();
        assertThat(d.xtime()).isEqualTo(j.up().xtime() + 2_000_000L);
        assertThat(d.freqHz()).isEqualTo(869_525_000L);
        assertThat(d.dr()).isZero();
        assertThat(station.refusedDownlinks(TxAckError.TOO_LATE)).isEqualTo(1);
    }

    @Test
    void noDntxedForDevEuiZeroAndNoTransmissionForAnotherRadioSession() throws Exception {
        connect(SimGateway.Timing.COMPRESSED, (l, j) -> {
            l.send(dnmsg(Eui64.of(0), 9, 5, j.up().xtime()));
            l.send(dnmsg(DEV, 10, 5, j.up().xtime() ^ (0x80L << 48))); // the session bits of another connection
        });
        station.push(JOIN_REQUEST, 868_100_000L, 7, -80, 5.5);
        assertThat(nextOf(JoinRequest.class, 2_000)).isNotNull();
        assertThat(nextOf(DownlinkTransmitted.class, 500)).isNull();
        assertThat(station.transmitted()).isEqualTo(1);
        assertThat(station.dntxedSent()).isZero();
        assertThat(station.droppedOtherSession()).isEqualTo(1);
    }
}
