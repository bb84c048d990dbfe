package io.lorafab.sim;

import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.gateway.SemtechUdpConnector;
import io.lorafab.joinserver.EventBus;
import io.lorafab.joinserver.GatewayBridge;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.UplinkVerifier;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A join server wired from its parts on SQLite, listening for Semtech UDP gateways on a free port of 127.0.0.1,
 * with NetID 000013. For tests of virtual devices, gateways and modules over real UDP.
 */
public final class UdpJoinServer implements AutoCloseable {

    public final JdbcRegistry registry;
    public final LocalKeyVault vault;
    public final JoinServer js;
    public final SemtechUdpConnector connector;
    public final GatewayBridge bridge;
    public final InetSocketAddress address;

    public UdpJoinServer(Path dir) {
        this(dir, true, null, Duration.ZERO);
    }

    /** @param planDownlinks false for load through gateways that model no air time (compressed timing) */
    public UdpJoinServer(Path dir, boolean planDownlinks) {
        this(dir, planDownlinks, null, Duration.ZERO);
    }

    /**
     * @param bridgeClock the clock the bridge checks the receive windows with (null: it does not), e.g. one that runs
     *     ahead of the connector's to stand for a server that is late
     */
    public UdpJoinServer(Path dir, Clock bridgeClock, Duration leadTime) {
        this(dir, true, bridgeClock, leadTime);
    }

    public UdpJoinServer(Path dir, boolean planDownlinks, Clock bridgeClock, Duration leadTime) {
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("js.db")), Clock.systemUTC());
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("k1", new byte[32]))), registry);
        EventBus bus = new EventBus();
        JdbcJoinStore store = new JdbcJoinStore(registry.database(), Clock.systemUTC());
        js = new JoinServer(registry, store, vault,
                JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0).withDownlinkPlanning(planDownlinks),
                Clock.systemUTC(), bus);
        connector = new SemtechUdpConnector(SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0)), Clock.systemUTC());
        bridge = new GatewayBridge(js, new UplinkVerifier(store, vault, bus), registry, connector, 8, bridgeClock, leadTime);
        connector.start(bridge);
        address = new InetSocketAddress("127.0.0.1", connector.localPort());
    }

    /** Registers a PROGRAMMED unit the server will let join. */
    public void register(Eui64 devEui, Eui64 joinEui, MacVersion v, AesKey appKey, AesKey nwkKey) {
        registry.insertUnit(new NewUnit(devEui, joinEui, null, null, null, null, v, Region.byName("EU868"),
                vault.wrap(appKey, nwkKey), UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
    }

    /** Waits (network I/O: the bridge verifies on its own threads) for an event of {@code kind}. */
    public RadioEvent awaitEvent(Eui64 dev, String kind, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (RadioEvent e : js.store().events(dev, 0, 50)) {
                if (kind.equals(e.kind())) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + kind + " event for " + dev + ": " + js.store().events(dev, 0, 50));
    }

    @Override
    public void close() {
        connector.close();
        bridge.close();
        registry.close();
    }
}
