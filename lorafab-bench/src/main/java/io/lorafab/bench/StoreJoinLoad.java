package io.lorafab.bench;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.join.NewSession;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.KeyVault;
import io.lorafab.store.vault.LocalKeyVault;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load tool for the join store alone: {@code threads} callers (the join server's workers) commit one join each
 * for N distinct LoRaWAN 1.0.3 devices through {@link JdbcJoinStore#commitJoin}, each also recording the
 * {@code join_accept_sent} event the gateway bridge records after the downlink, as the UDP path does. No
 * sockets, no crypto beyond wrapping the session keys: it measures what the store's commit costs, which
 * {@link JoinLoad} measures only together with everything else on the same two cores.
 *
 * <pre>
 * java -cp lorafab-bench/target/benchmarks.jar io.lorafab.bench.StoreJoinLoad [--db JDBC_URL] [--devices 30000] [--threads 32]
 * </pre>
 * Prints joins per second and the process's CPU time per join (user + system, all threads), the figure that
 * says most on a machine shared with other work. Without --db a fresh SQLite file is used; a PostgreSQL URL
 * gets a fresh schema.
 */
public final class StoreJoinLoad {

    public static void main(String[] args) throws Exception {
        String db = null;
        int devices = 30_000;
        int threads = 32;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db": db = args[++i]; break;
                case "--devices": devices = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String url = db == null ? "jdbc:sqlite:" + Files.createTempDirectory("lorafab-store-join-load").resolve("lorafab.db")
                : freshSchema(db);
        try (JdbcRegistry registry = new JdbcRegistry(Database.open(url), Clock.systemUTC())) {
            KeyVault vault = new LocalKeyVault(KekRing.of(List.of(new Kek("bench", new byte[32]))), registry);
            JdbcJoinStore joins = new JdbcJoinStore(registry.database(), Clock.systemUTC());
            AesKey k = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
            NetId net = NetId.parse("000013");
            AtomicInteger next = new AtomicInteger();
            int n = devices;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            List<CompletableFuture<RadioEvent>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        Eui64 dev = Eui64.of(0x0004a30b00000000L + i);
                        int nonce = i & 0xffff;
                        var c = joins.commitJoin(dev, MacVersion.V1_0_3, DevNonce.of(nonce), net, null, g -> {
                            KeyVault.WrappedSet w = vault.wrapAll(k, k, k, k);
                            byte[] id = new byte[16];
                            java.util.concurrent.ThreadLocalRandom.current().nextBytes(id);
                            return new NewSession(Hex.format(id), w.kekLabel(), w.wrapped().get(0), w.wrapped().get(1),
                                    w.wrapped().get(2), w.wrapped().get(3), false, null);
                        }, g -> RadioEvent.of(dev, "join_accepted", null, Eui64.of(0xa00), -60, 9.0, 868_100_000L, "SF7BW125",
                                "{\"devNonce\":" + nonce + ",\"devAddr\":\"" + g.devAddr() + "\",\"joinNonce\":" + g.joinNonce().value() + "}"));
                        sent.add(joins.recordAsync(RadioEvent.of(dev, "join_accept_sent", null, Eui64.of(0xa00), null, null,
                                null, null, "{\"window\":\"rx1\",\"session\":" + c.session().id() + "}")));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            for (CompletableFuture<RadioEvent> f : sent) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
            pool.shutdown();
            System.out.printf("database=%s devices=%d threads=%d seconds=%.2f rate=%.0f/s cpu=%.3fms/join%n",
                    registry.database().dialect().name().toLowerCase(), n, threads, seconds, n / seconds, cpuMs / n);
        }
    }

    /** A fresh schema in the PostgreSQL database at {@code url}, as {@link JoinLoad} makes one. */
    static String freshSchema(String url) throws Exception {
        String schema = "store_join_load_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
