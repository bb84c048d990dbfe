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
import java.nio.charset.StandardCharsets;
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
 *     [--warm-up N] [--rate JOINS_PER_S]
 * </pre>
 * {@code --rate} (UDP): the measured join-requests are sent at that rate, each at its time (and no more outstanding per
 * gateway than {@code --in-flight}), for latency at a rate below the maximum; without it, as fast as answers come.
 * {@code --vault hsm}: the KEK is generated in the PKCS#11 token that {@code LORAFAB_PKCS11_MODULE}, {@code _SLOT} and
 * {@code _PIN_FILE} name (as for {@code lorafab server}), so every unwrap of a root key and every wrap of session
 * keys runs its AES block operations in the token; {@code file} (default): the KEK in a key file, in memory.
 * {@code udp}: simulated packet forwarders send PUSH_DATA with join-requests to the server's UDP port, each
 * with up to {@code in-flight} joins outstanding; a join counts when its PULL_RESP (the join-accept in RX1)
 * arrives, and is acknowledged with TX_ACK. Latency is PUSH_DATA sent → PULL_RESP received, so it includes
 * the 200 ms deduplication window. {@code bi}: Backend Interfaces JoinReq over HTTP, {@code gateways} network
 * servers with {@code in-flight} keep-alive connections each (default {@value #BI_IN_FLIGHT}), one JoinReq outstanding
 * per connection; it also prints the CPU time per JoinReq of the load generator's threads and of the rest (the server). Without --db a fresh SQLite file is used; a PostgreSQL URL gets a fresh schema.
 * <p>{@code --server}: no server in-process; the devices are registered in {@code --db} as given (the schema the
 * external {@code lorafab server}s use, already migrated by them) and the UDP load goes to that address, typically a
 * UDP load balancer in front of several instances. See {@link ExternalJoinLoad}. {@code --servers}: the same, but each
 * simulated gateway sends to one of the listed servers chosen by a stable hash of its EUI, which is what a
 * source-affine balancer does; a stand-in for one, not a balancer. {@code --warm-up N} (in-process too): the first N of the
 * devices join before the measured load, so that freshly started servers have compiled their hot paths.
 */
public final class JoinLoad {
    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    /** {@code --via bi} without {@code --in-flight}: connections per network server, each with one JoinReq outstanding. */
    static final int BI_IN_FLIGHT = 8;

    /**
     * Join-requests per second the UDP load offers ({@code --rate}; 0: as many as the outstanding window allows), for
     * latency at a given rate (the issue's p99 at half the maximum) rather than at saturation. Set after the warm-up.
     */
    private static double offeredRate;

    /** The threads' CPU when the load ended, taken while the load generator's threads still live. */
    private static Map<String, Long> loadEnd = Map.of();
    /** The threads' and the process's CPU when the load started: after the load generator made its datagrams. */
    private static Map<String, Long> loadStart = Map.of();
    private static long loadStartProcessCpu;

    private static void markLoadStart() {
        loadStart = cpuByThreadGroup();
        loadStartProcessCpu = processCpu();
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        String db = null;
        int devices = 10_000;
        int gateways = 8;
        int inFlight = 64;
        Integer biInFlightGiven = null;
        String via = "udp";
        String vault = "file";
        List<InetSocketAddress> external = List.of();
        boolean hashOverServers = false;
        int warmUp = 0;
        double rate = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db": db = args[++i]; break;
                case "--devices": devices = Integer.parseInt(args[++i]); break;
                case "--gateways": gateways = Integer.parseInt(args[++i]); break;
                case "--in-flight": inFlight = Integer.parseInt(args[++i]); biInFlightGiven = inFlight; break;
                case "--via": via = args[++i]; break;
                case "--vault": vault = args[++i]; break;
                case "--server": external = List.of(ExternalJoinLoad.address(args[++i])); break;
                case "--servers": external = ExternalJoinLoad.addresses(args[++i]); hashOverServers = true; break;
                case "--warm-up": warmUp = Integer.parseInt(args[++i]); break;
                case "--rate": rate = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // over HTTP each outstanding JoinReq is a connection (and a thread here): fewer than a gateway's datagrams
        int biInFlight = biInFlightGiven != null ? biInFlightGiven : BI_IN_FLIGHT;
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
                String biToken = via.equals("bi") ? lf.tokens().create("000013", Role.NETWORK_SERVER, "bench").secret() : null;
                if (warmUp > 0) {
                    // not measured: the first devices join so that the server's hot paths are compiled (the JIT was a third
                    // of the process's CPU in a 30,000-join run without it)
                    Result w = via.equals("bi") ? runBi(api.port(), biToken, requests.subList(0, warmUp), 0, gateways, biInFlight)
                            : runUdp(js.udpPort(), requests.subList(0, warmUp), gateways, inFlight);
                    System.out.printf(java.util.Locale.ROOT, "warm-up: %d of %d joins answered in %.1f s%n", w.ok(), warmUp, w.seconds());
                    if (url != null && url.startsWith("jdbc:postgresql:")) {
                        analyze(url);
                    }
                }
                int measured = devices - warmUp;
                offeredRate = rate;
                long[] commits0 = lf.joinStore().commitStats();
                if (via.equals("bi")) {
                    report(dialect, "bi", measured, runBi(api.port(), biToken, requests.subList(warmUp, devices), warmUp, gateways,
                            biInFlight));
                } else {
                    report(dialect, "udp", measured, runUdp(js.udpPort(), requests.subList(warmUp, devices), gateways, inFlight));
                    System.out.println("bridge counters: " + js.bridge().counters());
                    System.out.println("connector counters: " + js.connector().counters());
                }
                long[] commits = lf.joinStore().commitStats();
                long batches = commits[0] - commits0[0];
                // the whole process: the server and the in-process load generator alike
                long processCpu = processCpu() - loadStartProcessCpu;
                System.out.printf("process CPU %.2f s (%.0f µs per join-request); join commits: %d transactions, %.1f joins and events each%n",
                        processCpu / 1e9, processCpu / 1e3 / measured, batches,
                        batches == 0 ? 0.0 : (commits[1] - commits0[1]) / (double) batches);
                System.out.println(cpuPerRequest(loadStart, loadEnd, measured));
                api.close();
            }
        } finally {
            // a run at 250,000 devices leaves a database of about 370 MB
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * CPU time of this process's threads from {@code /proc/self/task} (Linux), summed by name with the numbers taken off:
     * the server's threads, the load generator's ({@code pool-#-thread-#}), the JIT compiler's and the garbage
     * collector's apart, much less disturbed by other load on the machine than wall time. The kernel keeps 15 characters
     * of a name and counts in ticks of 10 ms; threads that ended in between are not counted. Empty elsewhere than Linux.
     */
    static Map<String, Long> cpuByThreadGroup() {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime
                out.merge(name.replaceAll("[-#]?\\d+", "#"), ticks * 10_000_000L, Long::sum);
            }
        } catch (java.io.IOException notLinux) {
            return Map.of();
        }
        return out;
    }

    /** Each thread group's CPU between two {@link #cpuByThreadGroup} snapshots, per join-request, above 0.5 µs. */
    static String cpuPerRequest(Map<String, Long> before, Map<String, Long> after, int requests) {
        StringBuilder b = new StringBuilder("CPU by thread (µs per join-request):");
        for (var t : after.entrySet()) {
            double us = (t.getValue() - before.getOrDefault(t.getKey(), 0L)) / 1e3 / requests;
            if (us >= 0.5) {
                b.append(' ').append(t.getKey()).append('=').append(Math.round(us));
            }
        }
        return b.toString();
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
        // every PUSH_DATA made before the clock starts, its gateway EUI filled in when sent: what is measured is the server
        // (a gateway is a machine of its own), and encoding them during the run was a third of the load generator's CPU
        byte[][] pushData = new byte[requests.size()][];
        for (int i = 0; i < pushData.length; i++) {
            Rxpk rxpk = new Rxpk(Optional.empty(), Optional.empty(), tmst(i), 868_100_000L, 0, 0, CrcStatus.OK,
                    DataRate.Lora.of(7, 125), Optional.of(CodingRate.CR_4_5), -60, Optional.of(9.0), requests.get(i), List.of());
            pushData[i] = SemtechCodec.encode(new SemtechPacket.PushData(Token.fromLe(i & 0xffff), gatewayEui(0), List.of(rxpk),
                    Optional.empty()));
        }
        markLoadStart();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int g = 0; g < gateways; g++) {
            Eui64 eui = gatewayEui(g);
            // bytes 4-11 of a Semtech UDP header: the gateway's EUI
            byte[] euiBytes = java.util.Arrays.copyOfRange(SemtechCodec.encode(new SemtechPacket.PullData(Token.fromLe(0), eui)), 4, 12);
            InetSocketAddress server = serverOf.apply(g);
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindOf.apply(g), 0));
            // as the server's socket: a batch's join-accepts come out together (hundreds of PULL_RESPs at once), and the
            // kernel's default buffer (208 KiB) dropped some, which the server then sent again in RX2 (not counted here)
            socket.setReceiveBufferSize(4 << 20);
            socket.send(datagram(SemtechCodec.encode(new SemtechPacket.PullData(Token.fromLe(g), eui)), server));
            Semaphore window = new Semaphore(inFlight);
            int gw = g;
            byte[] txAck = SemtechCodec.encode(new SemtechPacket.TxAck(Token.fromLe(0), eui, TxAckError.NONE));
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
                    // a PULL_RESP: its RX1 timestamp says which join-request it answers; acknowledged with the same token
                    long rx1 = d.getLength() > 4 && buf[3] == PULL_RESP ? tmst(buf, d.getLength()) : -1;
                    if (rx1 >= 0) {
                        Long t0 = sentAt.remove((rx1 - 5_000_000L) & 0xFFFF_FFFFL);
                        if (t0 != null) {
                            latencies.add(System.nanoTime() - t0);
                            done.incrementAndGet();
                            window.release();
                        }
                        txAck[1] = buf[1];
                        txAck[2] = buf[2];
                        socket.send(datagram(txAck, server));
                    }
                }
            }));
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests.size()) {
                    if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gateway " + gw + ": no join-accept for 10 s");
                    }
                    if (offeredRate > 0) {
                        // paced: request i goes out at its time, not as soon as an answer frees a place
                        long wait = start + (long) (i * 1e9 / offeredRate) - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                    byte[] push = pushData[i];
                    System.arraycopy(euiBytes, 0, push, 4, 8);
                    sentAt.put(tmst(i), System.nanoTime());
                    socket.send(datagram(push, server));
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
        loadEnd = cpuByThreadGroup();   // before the load generator's threads end
        System.out.println("unanswered join-requests (datagrams lost or refused): " + (requests.size() - done.get()));
        double seconds = (end - start) / 1e9;
        pool.shutdownNow();
        return new Result(done.get(), seconds, latencies.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * {@code clients} network servers, each holding {@code perClient} keep-alive connections with one JoinReq
     * outstanding on each (HTTP/1.1 has one request per connection at a time; a network server under load opens
     * several, as ChirpStack's HTTP client does). The client is a few lines over a blocking socket rather than the
     * JDK's HttpClient: that one's CPU per request (its selector thread, executor hand-offs and header handling)
     * ran on the same two cores as the server and was counted in what the server seemed to cost.
     */
    /** @param first the number of the device of {@code requests.get(0)} (the JoinReq names its DevEUI) */
    static Result runBi(int port, String token, List<byte[]> requests, int first, int clients, int perClient) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong clientCpu = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicInteger failed = new AtomicInteger();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(clients * perClient);
        markLoadStart();
        long start = System.nanoTime();
        List<Future<?>> f = new ArrayList<>();
        for (int c = 0; c < clients * perClient; c++) {
            f.add(pool.submit(() -> {
                long own0 = threads.getCurrentThreadCpuTime();
                try (BiConnection conn = new BiConnection(port, token)) {
                    int i;
                    while ((i = next.getAndIncrement()) < requests.size()) {
                        byte[] body = joinReq(first + i, requests.get(i));
                        long t0 = System.nanoTime();
                        String answer;
                        try {
                            answer = conn.post(body);
                        } catch (java.io.IOException e) {
                            // the join is counted as failed, not retried (its DevNonce may be spent); the run goes on
                            conn.close();
                            failed.incrementAndGet();
                            refused.compareAndSet(null, e.getMessage());
                            continue;
                        }
                        if (answer.contains("\"Success\"")) {
                            latencies.add(System.nanoTime() - t0);
                        } else {
                            refused.compareAndSet(null, answer);
                        }
                    }
                } finally {
                    clientCpu.addAndGet(threads.getCurrentThreadCpuTime() - own0);
                }
                return null;
            }));
        }
        for (Future<?> x : f) {
            x.get();
        }
        loadEnd = cpuByThreadGroup();
        double seconds = (System.nanoTime() - start) / 1e9;
        long processCpu = processCpu() - loadStartProcessCpu;
        pool.shutdown();
        if (refused.get() != null) {
            System.out.println("JoinReqs without an answer (connection lost): " + failed.get() + "; first answer that was no Success: "
                    + refused.get());
        }
        int n = Math.max(1, requests.size());
        System.out.printf("cpu per JoinReq: process %.0f us, load generator %.0f us, server (the rest) %.0f us%n",
                processCpu / 1e3 / n, clientCpu.get() / 1e3 / n, (processCpu - clientCpu.get()) / 1e3 / n);
        return new Result(latencies.size(), seconds, latencies.stream().mapToLong(Long::longValue).toArray());
    }

    static byte[] joinReq(int i, byte[] phyPayload) {
        return ("{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\"" + JOIN_EUI
                + "\",\"TransactionID\":" + i + ",\"MessageType\":\"JoinReq\",\"MACVersion\":\"1.0.3\",\"PHYPayload\":\""
                + Hex.format(phyPayload) + "\",\"DevEUI\":\"" + Eui64.of(0x0004a30b00000000L + i) + "\",\"DevAddr\":\""
                + String.format("26%06x", i) + "\",\"DLSettings\":\"00\",\"RxDelay\":1}").getBytes(StandardCharsets.UTF_8);
    }

    /** One keep-alive HTTP/1.1 connection to the API, POSTing JoinReqs; reconnects when the server closes it. */
    static final class BiConnection implements AutoCloseable {
        private final int port;
        private final byte[] head;
        private java.net.Socket socket;
        private java.io.InputStream in;
        private java.io.OutputStream out;

        BiConnection(int port, String token) {
            this.port = port;
            this.head = ("POST /api/backend-interfaces HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
        }

        /** The answer's body; throws on any status but 200. */
        String post(byte[] body) throws java.io.IOException {
            if (socket == null) {
                socket = new java.net.Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
                out = socket.getOutputStream();
            }
            java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream(head.length + body.length + 16);
            req.writeBytes(head);
            req.writeBytes((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(body);
            out.write(req.toByteArray()); // one write, one segment: no Nagle wait between head and body
            String status = line();
            int length = -1;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(h.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                    close = true;
                }
            }
            if (length < 0) {
                throw new java.io.IOException("answer without Content-Length: " + status);
            }
            String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            if (close) {
                close();
            }
            if (!status.startsWith("HTTP/1.1 200 ")) {
                throw new java.io.IOException(status + ": " + answer);
            }
            return answer;
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    private static final byte PULL_RESP = 0x03;

    /** The concentrator timestamp of the measured request {@code i}: its key in {@code sentAt}. */
    static long tmst(int i) {
        return 1_000L * i + 1;
    }

    /**
     * The value of the first {@code "tmst":} in a PULL_RESP's JSON, or -1 without one: the load generator reads only that
     * (the server's own codec and tests check the rest of the packet).
     */
    static long tmst(byte[] b, int length) {
        outer:
        for (int i = 12; i + TMST.length < length; i++) {
            for (int k = 0; k < TMST.length; k++) {
                if (b[i + k] != TMST[k]) {
                    continue outer;
                }
            }
            long v = 0;
            int j = i + TMST.length;
            if (j >= length || b[j] < '0' || b[j] > '9') {
                return -1;
            }
            while (j < length && b[j] >= '0' && b[j] <= '9') {
                v = v * 10 + (b[j++] - '0');
            }
            return v;
        }
        return -1;
    }

    private static final byte[] TMST = "\"tmst\":".getBytes(StandardCharsets.US_ASCII);

    static Eui64 gatewayEui(int g) {
        return Eui64.of(0x0000000000000a00L + g);
    }

    static DatagramPacket datagram(byte[] b, InetSocketAddress to) {
        return new DatagramPacket(b, b.length, to);
    }

    /**
     * What autovacuum would have done by now, were it on (it is off on the benchmark machine's PostgreSQL): the join
     * tables' statistics. Without any, PostgreSQL takes each value of an {@code IN} list to match half a percent of
     * the rows, so it planned the batch's DevAddr check (64 values) as a sequential scan of the session table: 126 ms
     * per batch at 60,000 sessions, which measured the missing statistics, not the server.
     */
    static void analyze(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("ANALYZE join_state, used_dev_nonce, session, radio_event, unit");
        }
    }

    private static String freshSchema(String base) throws Exception {
        String schema = "joinbench_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
