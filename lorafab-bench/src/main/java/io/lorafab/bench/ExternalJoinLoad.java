package io.lorafab.bench;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.UnitOrigin;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * {@link JoinLoad} against {@code lorafab server} processes that run on their own ({@code --server}/{@code --servers}):
 * the way to measure several instances on one database, which one process cannot show.
 *
 * <p>The devices are registered in the servers' database with the same DevEUIs, AppKey and DevNonces as the
 * in-process load, their root keys wrapped under the KEK in {@code LORAFAB_KEK}, which must be the servers' own (else
 * every join fails to unwrap). Each simulated gateway sends from its own loopback address, 127.1.0.(g+1): in the field
 * every gateway has its own source address, and a balancer that keeps a gateway on one instance by source address
 * (so that its PUSH_DATA and PULL_DATA, and with them its downlinks, meet on one instance) can only spread gateways
 * that differ in it.
 *
 * <p>The lines {@code load phase: start} and {@code load phase: end} are printed (and flushed) around the load alone,
 * after registration, each with this process's CPU time so far, so that a script sampling the processes' CPU can leave
 * registration out.
 */
final class ExternalJoinLoad {

    private ExternalJoinLoad() {
    }

    static void run(String db, List<InetSocketAddress> servers, boolean hashOverServers, int devices, int warmUp, int gateways,
            int inFlight, String via) throws Exception {
        if (!via.equals("udp")) {
            throw new IllegalArgumentException("--server/--servers: only --via udp");
        }
        if (db == null) {
            throw new IllegalArgumentException("--server/--servers: give --db, the database the servers use");
        }
        String kek = System.getenv("LORAFAB_KEK");
        if (kek == null) {
            throw new IllegalArgumentException("--server/--servers: set LORAFAB_KEK to the servers' KEK, so that the devices' keys "
                    + "are wrapped under it");
        }
        if (warmUp < 0 || warmUp >= devices) {
            throw new IllegalArgumentException("--warm-up: 0 to fewer than --devices, got " + warmUp);
        }
        if (gateways < 1 || gateways > 254) {
            throw new IllegalArgumentException("--server/--servers: 1 to 254 gateways (one loopback address each)");
        }
        List<byte[]> requests = new ArrayList<>();
        try (Lorafab lf = Lorafab.openExisting(db, Files.createTempDirectory("lorafab-join-load"), Map.of("LORAFAB_KEK", kek),
                Clock.systemUTC())) {
            List<DeviceIdentity> ids = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                Eui64 dev = Eui64.of(0x0004a30b00000000L + i);
                ids.add(new DeviceIdentity(dev, JoinLoad.JOIN_EUI, JoinLoad.APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"),
                        null, null));
                JoinRequest jr = new JoinRequest(JoinLoad.JOIN_EUI, dev, DevNonce.of(i & 0xffff), new Mic(0));
                requests.add(jr.withMic(JoinMic.joinRequestMic(JoinLoad.APP_KEY, jr.micPayload())).encode());
            }
            var product = lf.registry().createProduct(new io.lorafab.store.model.NewProduct("bench", JoinLoad.JOIN_EUI,
                    MacVersion.V1_0_3, Region.byName("EU868"), new io.lorafab.lorawan.types.ProfileId(1, 1), null, null, null));
            lf.provisioning().importDevices(ids, product.id(), UnitOrigin.IMPORTED, "bench");
            String dialect = lf.database().dialect().name().toLowerCase();
            Map<InetSocketAddress, Integer> perServer = new TreeMap<>(java.util.Comparator.comparing(InetSocketAddress::toString));
            for (int g = 0; g < gateways; g++) {
                perServer.merge(serverOf(JoinLoad.gatewayEui(g), servers), 1, Integer::sum);
            }
            System.out.println(hashOverServers
                    ? "external: " + servers.size() + " servers, each gateway sent to one by a hash of its EUI (a stand-in for a "
                            + "source-affine UDP balancer); gateways per server " + perServer
                    : "external: server (or balancer) " + servers.get(0) + ", gateways from 127.1.0.1 to 127.1.0." + gateways);
            if (warmUp > 0) {
                // not measured; the measured load then opens sockets of its own (new source ports: new sessions at a
                // balancer, which its hash of the source address still sends to the same instances)
                JoinLoad.Result w = JoinLoad.runUdp(g -> serverOf(JoinLoad.gatewayEui(g), servers), g -> "127.1.0." + (g + 1),
                        requests.subList(0, warmUp), gateways, inFlight);
                System.out.printf(java.util.Locale.ROOT, "warm-up: %d of %d joins answered in %.1f s%n", w.ok(), warmUp, w.seconds());
                requests = requests.subList(warmUp, devices);
            }
            System.out.printf(java.util.Locale.ROOT, "load phase: start (process CPU %.3f s)%n", processCpuSeconds());
            System.out.flush();
            JoinLoad.Result r = JoinLoad.runUdp(g -> serverOf(JoinLoad.gatewayEui(g), servers), g -> "127.1.0." + (g + 1), requests,
                    gateways, inFlight);
            System.out.printf(java.util.Locale.ROOT, "load phase: end (process CPU %.3f s)%n", processCpuSeconds());
            System.out.flush();
            JoinLoad.report(dialect, "udp", requests.size(), r);
        }
    }

    /** This process's CPU time, all threads: the load generator's own share, which a script cannot read once it has exited. */
    static double processCpuSeconds() {
        return JoinLoad.processCpu() / 1e9;
    }

    /**
     * The server a gateway is kept on: a CRC-32 of its EUI modulo the number of servers, stable across runs and processes
     * (no per-run seed), as a hash-based balancer keyed on the gateway would choose.
     */
    static InetSocketAddress serverOf(Eui64 gateway, List<InetSocketAddress> servers) {
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(8).putLong(gateway.value()).array());
        return servers.get((int) (crc.getValue() % servers.size()));
    }

    static List<InetSocketAddress> addresses(String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String a : list.split(",")) {
            out.add(address(a.trim()));
        }
        return out;
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
