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
                long[] st0 = lf.registry().groupCommitStats();
                CpuUse cpu = CpuUse.start(url);
                if (wrkSeconds > 0) {
                    long before = lf.registry().units(io.lorafab.store.model.UnitQuery.all()).size();
                    wrk(endpoint, token, clients, wrkSeconds, dir);
                    long after = lf.registry().units(io.lorafab.store.model.UnitQuery.all()).size();
                    long[] st = lf.registry().groupCommitStats();
                    System.out.printf("database=%s units committed during the wrk run: %d (%.0f/s); group commit: "
                            + "%d transactions, %.1f reservations each%n", lf.database().dialect().name().toLowerCase(),
                            after - before, (after - before) / (double) wrkSeconds, st[0] - st0[0],
                            (double) (st[1] - st0[1]) / (st[0] - st0[0]));
                    cpu.report(after - before);
                    return;
                }
                Result r = run(endpoint, token, clients, count, true);
                System.out.printf("database=%s clients=%d reservations=%d errors=%d seconds=%.2f rate=%.0f/s "
                        + "p50=%.2fms p99=%.2fms max=%.2fms%n", lf.database().dialect().name().toLowerCase(),
                        clients, r.ok, r.errors, r.seconds, r.ok / r.seconds, r.p50, r.p99, r.max);
                long[] st = lf.registry().groupCommitStats();
                System.out.printf("group commit: %d transactions, %.1f reservations each%n", st[0] - st0[0],
                        (double) (st[1] - st0[1]) / (st[0] - st0[0]));
                cpu.report(r.ok);
            }
        }
    }

    /**
     * CPU used over the counted part of a run, per reservation: this process (server, and the Java clients when they
     * load it), split by thread group; wrk (a child process, counted once it has exited); and PostgreSQL's backends
     * serving this run's connections (found by their application name). On two shared cores the CPU per
     * reservation is far steadier than the rate, and says who holds the cores. Public APIs and /proc only, so
     * that this file also runs as a source file against an older tree's jar
     * ({@code java -cp OLD/benchmarks.jar lorafab-bench/src/main/java/io/lorafab/bench/ReserveLoad.java}).
     */
    static final class CpuUse {
        private final long process;
        private final long children;
        private final long postgres;
        private final String url;
        private final Map<Long, Long> threads;
        private final long wall = System.nanoTime();

        private CpuUse(String url) {
            this.url = url;
            this.process = processCpu();
            this.children = childrenCpu();
            this.postgres = postgresCpu(url);
            this.threads = threadCpu();
        }

        static CpuUse start(String url) {
            return new CpuUse(url);
        }

        private static long processCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        /** CPU of this process's children that have exited (wrk), from /proc/self/stat, in ns. */
        private static long childrenCpu() {
            try {
                String[] f = statFields(Path.of("/proc/self/stat"));
                return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L; // cutime, cstime in 1/100 s
            } catch (Exception e) {
                return 0;
            }
        }

        /** The fields after the command name (which may hold spaces): field 3 of proc(5) is index 0. */
        private static String[] statFields(Path stat) throws java.io.IOException {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        }

        /** CPU of the PostgreSQL backends whose application name is this run's, in ns; 0 on SQLite. */
        private static long postgresCpu(String url) {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                return 0;
            }
            long sum = 0;
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '" + appName(url) + "'")) {
                while (rs.next()) {
                    try {
                        String[] f = statFields(Path.of("/proc/" + rs.getInt(1) + "/stat"));
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime, stime
                    } catch (Exception gone) {
                        // a backend that ended meanwhile
                    }
                }
            } catch (Exception e) {
                return 0;
            }
            return sum;
        }

        /** CPU per thread of this process (Java's and the VM's own: GC, JIT), from /proc/self/task, in ns. */
        private static Map<Long, Long> threadCpu() {
            Map<Long, Long> m = new java.util.HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String[] f = statFields(t.resolve("stat"));
                        m.put(Long.parseLong(t.getFileName().toString()), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
                    } catch (Exception gone) {
                        // a thread that ended meanwhile
                    }
                }
            } catch (java.io.IOException e) {
                // no /proc: no breakdown
            }
            return m;
        }

        private static String threadName(long tid) {
            try {
                // the kernel keeps 15 characters of a thread's name; numbers at the end tell pool members apart
                return Files.readString(Path.of("/proc/self/task/" + tid + "/comm")).strip().replaceAll("[-#0-9]+$", "");
            } catch (java.io.IOException e) {
                return "?";
            }
        }

        void report(long reservations) {
            double n = Math.max(1, reservations);
            long procNs = processCpu() - process;
            long wrkNs = childrenCpu() - children;
            long pgNs = postgresCpu(url) - postgres;
            double wallS = (System.nanoTime() - wall) / 1e9;
            Map<String, Long> groups = new java.util.TreeMap<>();
            long named = 0;
            for (Map.Entry<Long, Long> t : threadCpu().entrySet()) {
                long used = t.getValue() - threads.getOrDefault(t.getKey(), 0L);
                groups.merge(threadName(t.getKey()), used, Long::sum);
                named += used;
            }
            groups.put("(threads that ended)", Math.max(0, procNs - named));
            StringBuilder b = new StringBuilder();
            groups.entrySet().stream().filter(e -> e.getValue() / n >= 2_000).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> b.append(String.format("  %-36s %6.0f us%n", e.getKey(), e.getValue() / n / 1e3)));
            System.out.printf("cpu per reservation: this process %.0f us, wrk %.0f us, postgres backends %.0f us "
                    + "(cores busy: process %.2f, wrk %.2f, postgres %.2f of 2)%n%s", procNs / n / 1e3, wrkNs / n / 1e3,
                    pgNs / n / 1e3, procNs / 1e9 / wallS, wrkNs / 1e9 / wallS, pgNs / 1e9 / wallS, b);
        }
    }

    private static String appName(String url) {
        int at = url.indexOf("currentSchema=");
        return at < 0 ? "" : url.substring(at + "currentSchema=".length()).replaceAll("[&].*$", "");
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
        // the application name lets CpuUse find this run's backends among other users' of the same database
        return base + (base.contains("?") ? "&" : "?") + "ApplicationName=" + schema + "&currentSchema=" + schema;
    }
}
