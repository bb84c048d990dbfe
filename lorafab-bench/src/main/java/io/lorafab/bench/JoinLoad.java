package io.lorafab.bench;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.UnitOrigin;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load tool: OTAA joins per second end to end, each a distinct device with durable nonce state.
 *
 * <pre>
 * java -cp lorafab-bench/target/benchmarks.jar io.lorafab.bench.JoinLoad [--db JDBC_URL] [--devices 10000]
 *     [--gateways 8] [--in-flight 64] [--via udp|bi] [--vault file|hsm] [--server HOST:PORT | --servers HOST:PORT,HOST:PORT...]
 *     [--warm-up N]
 * </pre>
 * {@code --vault hsm}: the KEK is generated in the PKCS#11 token that {@code LORAFAB_PKCS11_MODULE}, {@code _SLOT} and
 * {@code _PIN_FILE} name (as for {@code lorafab server}), so every unwrap of a root key and every wrap of session
 * keys runs its AES block operations in the token; {@code file} (default): the KEK in a key file, in memory.
 * {@code udp}: simulated packet forwarders send PUSH_DATA with join-requests to the server's UDP port, each
 * with up to {@code in-flight} joins outstanding; a join counts when its PULL_RESP (the join-accept in RX1)
 * arrives, and is acknowledged with TX_ACK. Latency is PUSH_DATA sent → PULL_RESP received, so it includes
 * the 200 ms deduplication window. {@code bi}: Backend Interfaces JoinReq over HTTP, {@code gateways} client
 * threads. Without --db a fresh SQLite file is used; a PostgreSQL URL gets a fresh schema.
 * <p>{@code --server}: no server in-process; the devices are registered in {@code --db} as given (the schema the
 * external {@code lorafab server}s use, already migrated by them) and the UDP load goes to that address, typically a
 * UDP load balancer in front of several instances. See {@link ExternalJoinLoad}. {@code --servers}: the same, but each
 * simulated gateway sends to one of the listed servers chosen by a stable hash of its EUI, which is what a
 * source-affine balancer does; a stand-in for one, not a balancer. {@code --warm-up N} (with either): the first N of the
 * devices join before the measured load, so that freshly started servers have compiled their hot paths.
 */
public final class JoinLoad {
    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");

    public static void main(String[] args) throws Exception {
        String db = null;
        int devices = 10_000;
        int gateways = 8;
        int inFlight = 64;
        String via = "udp";
        String vault = "file";
        List<InetSocketAddress> external = List.of();
        boolean hashOverServers = false;
        int warmUp = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db": db = args[++i]; break;
                case "--devices": devices = Integer.parseInt(args[++i]); break;
                case "--gateways": gateways = Integer.parseInt(args[++i]); break;
                case "--in-flight": inFlight = Integer.parseInt(args[++i]); break;
                case "--via": via = args[++i]; break;
                case "--vault": vault = args[++i]; break;
                case "--server": external = List.of(ExternalJoinLoad.address(args[++i])); break;
                case "--servers": external = ExternalJoinLoad.addresses(args[++i]); hashOverServers = true; break;
                case "--warm-up": warmUp = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!external.isEmpty()) {
            ExternalJoinLoad.run(db, external, hashOverServers, devices, warmUp, gateways, inFlight, via);
            return;
        }
        Path dir = Files.createTempDirectory("lorafab-join-load");
        String url = db == null ? null : db.startsWith("jdbc:postgresql:") ? freshSchema(db) : db;
        // Network server 000013 gets its session keys wrapped, as in the field (a KEK, not --bi-plain-keys).
        Map<String, String> env = new java.util.HashMap<>(Map.of("LORAFAB_EXPORT_KEKS", "000013:000102030405060708090a0b0c0d0e0f"));
        if (vault.equals("hsm")) {
            for (String k : List.of("LORAFAB_PKCS11_MODULE", "LORAFAB_PKCS11_SLOT", "LORAFAB_PKCS11_PIN_FILE", "LORAFAB_PKCS11_PIN")) {
                if (System.getenv(k) != null) {
                    env.put(k, System.getenv(k));
                }
            }
            if (!env.containsKey("LORAFAB_PKCS11_MODULE")) {
                throw new IllegalArgumentException("--vault hsm: set LORAFAB_PKCS11_MODULE, LORAFAB_PKCS11_SLOT and LORAFAB_PKCS11_PIN_FILE");
            }
        } else if (!vault.equals("file")) {
            throw new IllegalArgumentException("--vault: file or hsm, got " + vault);
        }
        try (Lorafab lf = Lorafab.open(url, dir, env, Clock.systemUTC())) {
            System.out.println("vault: " + vault + " (KEK " + lf.vault().activeLabel() + (lf.vault().ring().active().inToken()
                    ? ", in the PKCS#11 token" : ", in the key file") + ")");
            List<DeviceIdentity> ids = new ArrayList<>();
            List<byte[]> requests = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                Eui64 dev = Eui64.of(0x0004a30b00000000L + i);
                ids.add(new DeviceIdentity(dev, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null));
                JoinRequest jr = new JoinRequest(JOIN_EUI, dev, DevNonce.of(i & 0xffff), new Mic(0));
                requests.add(jr.withMic(JoinMic.joinRequestMic(APP_KEY, jr.micPayload())).encode());
            }
            var product = lf.registry().createProduct(new io.lorafab.store.model.NewProduct("bench", JOIN_EUI, MacVersion.V1_0_3,
                    Region.byName("EU868"), new io.lorafab.lorawan.types.ProfileId(1, 1), null, null, null));
            lf.products().setNetIds(product, io.lorafab.store.model.AllowedNetIds.parse("000013"), "bench");
            lf.provisioning().importDevices(ids, product.id(), UnitOrigin.IMPORTED, "bench");
            ApiServer api = new ApiServer(lf, "127.0.0.1", 0, Math.max(8, gateways * 2));
            // the simulated gateways (compressed timing) model no air time: planning join-accepts against one real transmitter
            // per gateway would cap the server at what four real gateways can send, not measure it
            JoinServerConfig cfg = JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0)
                    .withDownlinkPlanning(false);
            // All simulated gateways share 127.0.0.1: the per-address reception limit is set far above the load so that
            // its bookkeeping runs on every datagram without refusing any.
            SemtechUdpConfig udp = SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0))
                    .withRxpkPerSecondPerAddress(1_000_000);
            try (JoinServerRuntime js = new JoinServerRuntime(lf, cfg, udp, null, api,
                    io.lorafab.joinserver.bi.BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME)) {
                js.start();
                api.start();
                String dialect = lf.database().dialect().name().toLowerCase();
                if (via.equals("bi")) {
                    String token = lf.tokens().create("000013", Role.NETWORK_SERVER, "bench").secret();
                    report(dialect, "bi", devices, runBi("http://127.0.0.1:" + api.port() + "/api/backend-interfaces", token,
                            requests, gateways));
                } else {
                    report(dialect, "udp", devices, runUdp(js.udpPort(), requests, gateways, inFlight));
                    System.out.println("bridge counters: " + js.bridge().counters());
                    System.out.println("connector counters: " + js.connector().counters());
                }
                api.close();
            }
        }
    }

    record Result(int ok, double seconds, long[] latenciesNanos) {
    }

    static void report(String dialect, String via, int devices, Result r) {
        long[] l = r.latenciesNanos();
        java.util.Arrays.sort(l);
        System.out.printf("database=%s via=%s devices=%d joins=%d seconds=%.2f rate=%.0f/s p50=%.1fms p99=%.1fms max=%.1fms%n",
                dialect, via, devices, r.ok(), r.seconds(), r.ok() / r.seconds(), pct(l, 0.50), pct(l, 0.99),
                l.length == 0 ? 0 : l[l.length - 1] / 1e6);
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * p))] / 1e6;
    }

    /** Each gateway: a sender keeping up to {@code inFlight} joins outstanding, and a receiver answering PULL_RESPs. */
    static Result runUdp(int port, List<byte[]> requests, int gateways, int inFlight) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        return runUdp(g -> server, g -> "127.0.0.1", requests, gateways, inFlight);
    }

    /**
     * As above, gateway {@code g} sending to {@code serverOf(g)} from a socket bound to {@code bindOf(g)} (port picked by
     * the system).
     */
    static Result runUdp(java.util.function.IntFunction<InetSocketAddress> serverOf, java.util.function.IntFunction<String> bindOf,
            List<byte[]> requests, int gateways, int inFlight) throws Exception {
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2 * gateways);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int g = 0; g < gateways; g++) {
            Eui64 eui = gatewayEui(g);
            InetSocketAddress server = serverOf.apply(g);
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindOf.apply(g), 0));
            socket.send(datagram(SemtechCodec.encode(new SemtechPacket.PullData(Token.fromLe(g), eui)), server));
            Semaphore window = new Semaphore(inFlight);
            int gw = g;
            futures.add(pool.submit(() -> {
                byte[] buf = new byte[4096];
                socket.setSoTimeout(3000);
                while (true) {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(d);
                    } catch (SocketTimeoutException e) {
                        return null;
                    }
                    SemtechPacket p = SemtechCodec.decode(buf, 0, d.getLength());
                    if (p instanceof SemtechPacket.PullResp resp) {
                        long tmst = (resp.txpk().tmst().orElse(0L) - 5_000_000L) & 0xFFFF_FFFFL;
                        Long t0 = sentAt.remove(tmst);
                        if (t0 != null) {
                            latencies.add(System.nanoTime() - t0);
                            done.incrementAndGet();
                            window.release();
                        }
                        socket.send(datagram(SemtechCodec.encode(SemtechPacket.TxAck.of(resp, eui, TxAckError.NONE)), server));
                    }
                }
            }));
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests.size()) {
                    if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gateway " + gw + ": no join-accept for 10 s");
                    }
                    long tmst = 1_000L * i + 1;
                    Rxpk rxpk = new Rxpk(Optional.empty(), Optional.empty(), tmst, 868_100_000L, 0, 0, CrcStatus.OK,
                            DataRate.Lora.of(7, 125), Optional.of(CodingRate.CR_4_5), -60, Optional.of(9.0), requests.get(i), List.of());
                    sentAt.put(tmst, System.nanoTime());
                    socket.send(datagram(SemtechCodec.encode(new SemtechPacket.PushData(Token.fromLe(i & 0xffff), eui,
                            List.of(rxpk), Optional.empty())), server));
                }
                return null;
            }));
        }
        long lastProgress = System.nanoTime();
        int seen = 0;
        long end = start;
        while (done.get() < requests.size() && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
            if (done.get() != seen) {
                seen = done.get();
                lastProgress = System.nanoTime();
                end = lastProgress;
            }
        }
        if (done.get() == requests.size()) {
            end = System.nanoTime();
        }
        System.out.println("unanswered join-requests (datagrams lost or refused): " + (requests.size() - done.get()));
        double seconds = (end - start) / 1e9;
        pool.shutdownNow();
        return new Result(done.get(), seconds, latencies.stream().mapToLong(Long::longValue).toArray());
    }

    static Result runBi(String endpoint, String token, List<byte[]> requests, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> f = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            f.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests.size()) {
                    byte[] jr = requests.get(i);
                    String body = "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\"" + JOIN_EUI
                            + "\",\"TransactionID\":" + i + ",\"MessageType\":\"JoinReq\",\"MACVersion\":\"1.0.3\",\"PHYPayload\":\""
                            + Hex.format(jr) + "\",\"DevEUI\":\"" + Eui64.of(0x0004a30b00000000L + i) + "\",\"DevAddr\":\""
                            + String.format("26%06x", i) + "\",\"DLSettings\":\"00\",\"RxDelay\":1}";
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("\"Success\"")) {
                        latencies.add(System.nanoTime() - t0);
                    }
                }
                return null;
            }));
        }
        for (Future<?> x : f) {
            x.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(latencies.size(), seconds, latencies.stream().mapToLong(Long::longValue).toArray());
    }

    static Eui64 gatewayEui(int g) {
        return Eui64.of(0x0000000000000a00L + g);
    }

    static DatagramPacket datagram(byte[] b, InetSocketAddress to) {
        return new DatagramPacket(b, b.length, to);
    }

    private static String freshSchema(String base) throws Exception {
        String schema = "joinbench_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
