package io.lorafab.bench;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.SimGateway;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.JoinSpacing;
import io.lorafab.station.line.MultiUp;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Load tool: how long a multi-up fixture takes for its N units against one board alone, with on-air timing through
 * one virtual gateway (each join-accept reaches its module at its RX1 or RX2 time on the gateway's clock, the gateway's
 * one transmitter refuses overlapping downlinks, the server plans join-accepts against it).
 *
 * <pre>
 * java -cp lorafab-bench/target/benchmarks.jar io.lorafab.bench.FixtureLoad [--positions 8] [--runs 3]
 *     [--join-spacing 200] [--dialect rak3172]
 * </pre>
 * One server in-process (SQLite, UDP join server with downlink planning), one virtual gateway (Semtech UDP, on air), N
 * virtual modules each on a pseudo-terminal of its own (needs socat). The runs alternate: a 1-position fixture (position
 * 1 alone: reserve, program, read back, join, first uplink, finish) and the N-position fixture (all positions at once,
 * join commands {@code join-spacing} ms apart), {@code runs} of each; every run programs fresh units. A run's time is
 * from the start of the fixture to its last position's verdict. Prints each run, then the medians and their ratio.
 */
public final class FixtureLoad {

    public static void main(String[] args) throws Exception {
        int positions = 8;
        int runs = 3;
        int spacingMs = (int) JoinSpacing.DEFAULT.toMillis();
        String dialect = "rak3172";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--positions": positions = Integer.parseInt(args[++i]); break;
                case "--runs": runs = Integer.parseInt(args[++i]); break;
                case "--join-spacing": spacingMs = Integer.parseInt(args[++i]); break;
                case "--dialect": dialect = args[++i]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (positions < 2 || runs < 1) {
            throw new IllegalArgumentException("--positions must be at least 2 and --runs at least 1");
        }
        Path dir = Files.createTempDirectory("lorafab-fixture-load");
        try (Lorafab lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC())) {
            Product p = lf.products().create(new NewProduct("bench-tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3,
                    Region.byName("EU868"), new ProfileId(0xFFFF, 0x0001), "at:" + dialect, -110.0, -7.5), null, "bench");
            lf.euiBlocks().create(new NewEuiBlock("bench-block", null, Assignment.CUSTOM, "00005eef10", null, 0), p, "bench");
            lf.workOrders().create("BENCH-1", p, runs * (positions + 1), "bench");
            String token = lf.tokens().create("bench-station", Role.OPERATOR, "bench").secret();
            ApiServer api = new ApiServer(lf, "127.0.0.1", 0, 32);
            JoinServerConfig config = JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0);
            try (JoinServerRuntime js = new JoinServerRuntime(lf, config,
                    SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0)).withAllowedGateways(java.util.Set.of()), null,
                    null, api, BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME)) {
                js.start();
                api.start();
                String url = "http://127.0.0.1:" + api.port();
                try (VirtualGateway gw = new VirtualGateway(Eui64.parse("00800000a0000001"),
                        new InetSocketAddress("127.0.0.1", js.udpPort()), Clock.systemUTC(), Duration.ofSeconds(8), SimGateway.Timing.ON_AIR)) {
                    gw.connect(Duration.ofSeconds(5));
                    gw.startKeepAlive();
                    run(lf, url, token, gw, dir, positions, runs, spacingMs, dialect);
                }
                api.close();
            }
        }
    }

    private static void run(Lorafab lf, String url, String token, VirtualGateway gw, Path dir, int n, int runs, int spacingMs,
            String dialect) throws Exception {
        Dialects.Entry entry = Dialects.byName(dialect);
        JoinAttempts once = JoinAttempts.ONCE;
        StationApiClient client = new StationApiClient(url, token, "bench-station");
        List<AutoCloseable> open = new ArrayList<>();
        Path nvm = Files.createDirectories(dir.resolve("nvm"));
        try {
            List<MultiUp.Position> all = new ArrayList<>();
            JoinSpacing spacing = new JoinSpacing(Duration.ofMillis(spacingMs), System::nanoTime);
            for (int i = 1; i <= n; i++) {
                PtyPair pty = PtyPair.open();
                open.add(pty);
                SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200);
                open.add(moduleSide);
                SerialPort stationSide = SerialPort.open(pty.stationSide(), 115200);
                open.add(stationSide);
                StreamTransport t = entry.transport(stationSide.input(), stationSide.output());
                open.add(t);
                VirtualAtModule module = VirtualModules.byName(dialect).create(moduleSide.input(), moduleSide.output(), gw, nvm,
                        VirtualAtModule.Behaviour.GOOD);
                Thread thread = new Thread(module, "bench-module-" + i);
                thread.setDaemon(true);
                thread.start();
                AtDialect driver = entry.driver().apply(t);
                UnitRunner runner = new UnitRunner(client.atPosition(i), new UnitRunner.Settings("BENCH-1", driver.longestJoin(once),
                        Duration.ofSeconds(10), null, null, new byte[] {0x01, 0x02, 0x03}), System::nanoTime);
                all.add(new MultiUp.Position(i, spacing.spaced(new AtFixture(driver, once)), runner));
            }
            System.out.printf(Locale.ROOT, "fixture load: %d positions (%s on pseudo-terminals), one virtual gateway (Semtech UDP, on air), "
                    + "join spacing %d ms, %d runs each of 1 and %d positions, alternating%n", n, dialect, spacingMs, runs, n);
            List<Double> single = new ArrayList<>();
            List<Double> multi = new ArrayList<>();
            try (MultiUp one = new MultiUp(all.subList(0, 1)); MultiUp fixture = new MultiUp(all)) {
                for (int r = 1; r <= runs; r++) {
                    single.add(once(lf, one, 1, r));
                    multi.add(once(lf, fixture, n, r));
                }
            }
            double s = median(single);
            double m = median(multi);
            System.out.printf(Locale.ROOT, "median: 1 position %.2f s per unit; %d positions %.2f s for %d units (%.2f s per unit); "
                    + "ratio %.2f x one unit's time (goal: < 1.5)%n", s, n, m, n, m / n, m / s);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** One run of {@code fixture} with every position loaded; its time in seconds. */
    private static double once(Lorafab lf, MultiUp fixture, int n, int run) throws InterruptedException {
        List<MultiUp.Board> boards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boards.add(MultiUp.Board.allocate());
        }
        long t0 = System.nanoTime();
        List<MultiUp.Result> results = fixture.run(boards);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int passed = 0;
        Map<String, Integer> windows = new TreeMap<>();
        List<String> other = new ArrayList<>();
        for (MultiUp.Result r : results) {
            if (r instanceof MultiUp.Done d) {
                if (d.outcome().passed()) {
                    passed++;
                } else {
                    other.add("position " + r.position() + " " + d.outcome().verdict() + " " + d.outcome().reasonCode());
                }
                for (RadioEvent e : lf.joinStore().events(d.outcome().devEui(), 0, 100)) {
                    if (e.kind().equals("join_accept_sent")) {
                        windows.merge(e.details().contains("\"window\":\"RX2\",\"attempts\"") ? "RX2" : "RX1",
                                1, Integer::sum);
                    } else if (e.kind().equals("join_accept_not_sent")) {
                        windows.merge("not sent (" + e.code() + ")", 1, Integer::sum);
                    }
                }
            } else {
                other.add("position " + r.position() + " " + r);
            }
        }
        System.out.printf(Locale.ROOT, "run %d, %d position%s: %.2f s, %d/%d passed, join-accepts %s%s%n", run, n, n == 1 ? "" : "s",
                seconds, passed, n, windows, other.isEmpty() ? "" : ", " + String.join("; ", other));
        return seconds;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
