package io.lorafab.bench;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Role;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load tool: reservations per second through the HTTP API (reserve = allocate DevEUI, generate keys, wrap
 * them, commit with the audit record, answer) with several concurrent clients over real sockets.
 *
 * <pre>
 * java -cp lorafab-bench/target/benchmarks.jar io.lorafab.bench.ReserveLoad [--db JDBC_URL] [--clients 8] [--count 5000]
 *     [--warmup N] [--wrk SECONDS]
 * </pre>
 * The first N reservations (--warmup; default the smaller of 500 and a fifth of --count) are not counted, so that
 * the rate is the server's once the JIT has compiled the request path. Without --db it uses a fresh embedded SQLite file; a PostgreSQL URL gets a fresh schema of its own. With
 * --wrk the load comes from the wrk tool (a separate C process, {@code apt-get install wrk}) instead of the
 * Java client threads, so the server gets the CPU the Java client would take; afterwards the tool checks
 * that the database holds exactly as many units as wrk saw 201 answers.
 */
public final class ReserveLoad {

    public static void main(String[] args) throws Exception {
        String db = null;
        int clients = 8;
        int count = 5000;
        int wrkSeconds = 0;
        int warmup = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db": db = args[++i]; break;
                case "--clients": clients = Integer.parseInt(args[++i]); break;
                case "--count": count = Integer.parseInt(args[++i]); break;
                case "--wrk": wrkSeconds = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("lorafab-reserve-load");
        String url = db == null ? null : db.startsWith("jdbc:postgresql:") ? freshSchema(db) : db;
        try (Lorafab lf = Lorafab.open(url, dir, Map.of(), Clock.systemUTC())) {
            var p = lf.registry().createProduct(new NewProduct("bench", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3,
                    Region.byName("EU868"), new ProfileId(1, 1), null, null, null));
            lf.registry().createEuiBlock(new NewEuiBlock("bench", p.id(), Assignment.MA_S, "70b3d57ed", null, 0));
            lf.registry().createWorkOrder("BENCH", p.id(), 10_000_000);
            String token = lf.tokens().create("bench", Role.OPERATOR, "bench").secret();
            try (ApiServer api = new ApiServer(lf, "127.0.0.1", 0, Math.max(8, clients * 2))) {
                api.start();
                String endpoint = "http://127.0.0.1:" + api.port() + "/api/orders/BENCH/reserve";
                // not counted: the JIT compiles the request path meanwhile (its cost is start-up, not the rate)
                run(endpoint, token, clients, warmup >= 0 ? warmup : Math.min(500, count / 5), false);
                if (wrkSeconds > 0) {
                    long before = lf.registry().units(io.lorafab.store.model.UnitQuery.all()).size();
                    wrk(endpoint, token, clients, wrkSeconds, dir);
                    long after = lf.registry().units(io.lorafab.store.model.UnitQuery.all()).size();
                    long[] st = lf.registry().groupCommitStats();
                    System.out.printf("database=%s units committed during the wrk run: %d (%.0f/s); group commit so far: "
                            + "%d transactions, %.1f reservations each%n", lf.database().dialect().name().toLowerCase(),
                            after - before, (after - before) / (double) wrkSeconds, st[0], (double) st[1] / st[0]);
                    return;
                }
                Result r = run(endpoint, token, clients, count, true);
                System.out.printf("database=%s clients=%d reservations=%d errors=%d seconds=%.2f rate=%.0f/s "
                        + "p50=%.2fms p99=%.2fms max=%.2fms%n", lf.database().dialect().name().toLowerCase(),
                        clients, r.ok, r.errors, r.seconds, r.ok / r.seconds, r.p50, r.p99, r.max);
                long[] st = lf.registry().groupCommitStats();
                System.out.printf("group commit: %d transactions, %.1f reservations each%n", st[0], (double) st[1] / st[0]);
            }
        }
    }

    record Result(int ok, int errors, double seconds, double p50, double p99, double max) {
    }

    static Result run(String endpoint, String token, int clients, int count, boolean report) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger left = new AtomicInteger(count);
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[count];
                int n = 0;
                HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint)).header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"stationId\":\"bench\"}")).build();
                while (left.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 201) {
                        errors.incrementAndGet();
                    } else {
                        lat[n++] = System.nanoTime() - t0;
                    }
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        all.sort(null);
        if (all.isEmpty()) {
            return new Result(0, errors.get(), seconds, 0, 0, 0);
        }
        return new Result(all.size(), errors.get(), seconds, all.get(all.size() / 2) / 1e6,
                all.get((int) Math.min(all.size() - 1, Math.round(all.size() * 0.99))) / 1e6, all.get(all.size() - 1) / 1e6);
    }

    private static void wrk(String endpoint, String token, int connections, int seconds, Path dir) throws Exception {
        Path script = dir.resolve("reserve.lua");
        Files.writeString(script, "wrk.method = \"POST\"\n"
                + "wrk.body = '{\"stationId\":\"bench\"}'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
        Process p = new ProcessBuilder("wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s",
                "--latency", "-s", script.toString(), endpoint).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (is it installed? apt-get install wrk)");
        }
    }

    private static String freshSchema(String base) throws Exception {
        String schema = "bench_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
