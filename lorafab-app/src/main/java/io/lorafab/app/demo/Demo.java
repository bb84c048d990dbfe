package io.lorafab.app.demo;

import io.lorafab.lorawan.region.Region;
import io.lorafab.station.line.FailureReport;
import io.lorafab.station.line.Plural;
import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.WebConsole;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.ConsoleSessions;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.label.LabelLayout;
import io.lorafab.provisioning.label.LabelSheet;
import io.lorafab.app.http.LnsServer;
import io.lorafab.gateway.BasicsStationConnector;
import io.lorafab.gateway.GatewayAllowList;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.sim.SimGateway;
import io.lorafab.sim.VirtualBasicsStation;
import io.lorafab.sim.VirtualGateway;
import java.net.URI;
import java.util.Set;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.JoinSpacing;
import io.lorafab.station.line.MultiUp;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.OwnerOnlyFiles;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.WorkOrder;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole line on one machine: the server (API, UDP gateway listener, join server) on the embedded SQLite
 * database, a virtual gateway, and S stations each driving a virtual module over a real pseudo-terminal
 * (socat): odd stations a RAK3172 with the RUI3 driver, even ones a Seeed LoRa-E5 with its driver. N units
 * are reserved, programmed over the serial line, read back, joined over the air, their first uplink
 * verified, and finished; a few are made to fail the way real ones do (a module that rejects its key, a
 * board out of radio range); each FAIL line names its reason and cause, and the summary explains the reasons.
 * Then an export file and a label sheet are written.
 *
 * <p>The DevEUIs come from the IANA EUI-64 documentation range 00-00-5E-EF-10-00-00-00 to
 * 00-00-5E-EF-10-FF-FF-FF (RFC 7042, section 2.2.3), so that no demo DevEUI looks like the product's JoinEUI
 * (70b3d57ed0000001) or like a real device's.
 */
public final class Demo {

    /**
     * Demo parameters.
     *
     * @param basicsStation the virtual gateway is a LoRa Basics Station on the server's own LNS listener (started for
     *                      the demo on a free port) instead of a Semtech UDP packet forwarder
     */
    public record Options(int devices, int stations, Path dataDir, boolean serve, SimGateway.Timing timing, boolean basicsStation,
            int positions) {
        public Options {
            if (positions < 1) {
                throw new IllegalArgumentException("positions must be at least 1");
            }
        }

        /** One board per station. */
        public Options(int devices, int stations, Path dataDir, boolean serve, SimGateway.Timing timing, boolean basicsStation) {
            this(devices, stations, dataDir, serve, timing, basicsStation, 1);
        }

        /** Compressed timing: the demo shows the line, not the seconds before each RX1. */
        public Options(int devices, int stations, Path dataDir, boolean serve) {
            this(devices, stations, dataDir, serve, SimGateway.Timing.COMPRESSED, false);
        }

        public Options(int devices, int stations, Path dataDir, boolean serve, SimGateway.Timing timing) {
            this(devices, stations, dataDir, serve, timing, false);
        }
    }

    /** The JoinEUI of the demo's product. */
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");

    /** The demo's one virtual gateway. */
    static final Eui64 GATEWAY_EUI = Eui64.parse("00800000a0000001");

    /** The DevEUI block: the 24-bit IANA EUI-64 documentation range, a CUSTOM prefix of 40 bits. */
    static final String DEV_EUI_PREFIX = "00005eef10";

    /** Join-requests a station allows each unit: one, so that an out-of-range board fails after one RX2 window. */
    static final JoinAttempts JOIN_ATTEMPTS = JoinAttempts.ONCE;

    private final Options o;
    private final FailureReport failures = new FailureReport(JOIN_ATTEMPTS);
    private final PrintWriter out;

    public Demo(Options o, PrintWriter out) {
        this.o = o;
        this.out = out;
    }

    public int run() throws Exception {
        OwnerOnlyFiles.createDirectories(o.dataDir()); // its export holds root keys in the clear
        long t0 = System.nanoTime();
        try (Lorafab lf = Lorafab.open(null, o.dataDir(), Map.of(), Clock.systemUTC())) {
            // the demo sets its line up as an engineer would, through the same services (and audit records)
            Product p = lf.products().create(new NewProduct("demo-tracker", JOIN_EUI, MacVersion.V1_0_3,
                    Region.byName("EU868"), new ProfileId(0xFFFF, 0x0001), "at:rak3172", -110.0, -7.5), null, "demo");
            lf.euiBlocks().create(new NewEuiBlock("demo-block", null, Assignment.CUSTOM, DEV_EUI_PREFIX, null, 0), p, "demo");
            WorkOrder order = lf.workOrders().create("DEMO-1", p, o.devices(), "demo");
            String operator = lf.tokens().create("demo-stations", Role.OPERATOR, "demo").secret();
            ApiServer api = new ApiServer(lf, "127.0.0.1", 0, 32);
            // Compressed timing hands each downlink over at once and keeps no air time on the virtual gateway: planning its
            // transmitter as a real one's would only turn the demo's speed into station faults. On air it is planned.
            JoinServerConfig config = JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0)
                    .withDownlinkPlanning(o.timing() == SimGateway.Timing.ON_AIR);
            // the Basics Station listener serves only the demo's own gateway, as the UDP one serves any on loopback
            BasicsStationConnector.Config lnsConfig = !o.basicsStation() ? null
                    : BasicsStationConnector.Config.of(p.region()).withAllowList(GatewayAllowList.of(Set.of(GATEWAY_EUI)));
            try (JoinServerRuntime js = new JoinServerRuntime(lf, config,
                    SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0)).withAllowedGateways(Set.of()), lnsConfig, null, api,
                    BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME);
                    LnsServer lns = lnsConfig == null ? null : new LnsServer(js.stations(), new InetSocketAddress("127.0.0.1", 0), null)) {
                WebConsole.install(api, lf, js::gatewaysView);
                js.start();
                if (lns != null) {
                    lns.start();
                }
                api.start();
                String url = "http://127.0.0.1:" + api.port();
                String gatewaysAt = lns == null ? "udp 127.0.0.1:" + js.udpPort()
                        : "udp 127.0.0.1:" + js.udpPort() + " and Basics Station ws://127.0.0.1:" + lns.port();
                out.printf("server on %s, gateways on %s, database %s%n", url, gatewaysAt, lf.database().displayUrl());
                out.printf("work order %s: %s of %s, %s%n", order.reference(), Plural.count(o.devices(), "unit"), p.name(),
                        o.positions() == 1 ? stationsLine(o.stations()) : fixturesLine(o.stations(), o.positions()));
                String gw = (o.basicsStation() ? "virtual Basics Station " : "virtual gateway ") + GATEWAY_EUI;
                out.println(o.timing() == SimGateway.Timing.COMPRESSED
                        ? gw + ", compressed timing: a join-accept reaches its module as soon as the "
                                + "gateway accepts it (--timing on-air waits for RX1, 5 s, as a radio does)"
                        : gw + ", on-air timing: a join-accept reaches its module at its time, 5 s "
                                + "(RX1) or 6 s (RX2) after the join-request");
                out.flush();
                SimGateway gateway = lns == null
                        ? new VirtualGateway(GATEWAY_EUI, new InetSocketAddress("127.0.0.1", js.udpPort()), Clock.systemUTC(),
                                Duration.ofSeconds(8), o.timing())
                        : new VirtualBasicsStation(GATEWAY_EUI, URI.create("ws://127.0.0.1:" + lns.port()), Clock.systemUTC(),
                                Duration.ofSeconds(8), o.timing(), VirtualBasicsStation.Auth.NONE);
                List<UnitOutcome> outcomes = line(url, operator, gateway);
                double seconds = (System.nanoTime() - t0) / 1e9;
                summary(outcomes, seconds);
                Path export = o.dataDir().resolve("devices-tts.json");
                OwnerOnlyFiles.write(export, lf.exports().export(DeviceExportFormat.TTS_JSON, ExportOptions.defaults(),
                        order.id(), false, "demo"));
                Path labels = o.dataDir().resolve("labels-" + order.reference() + ".pdf");
                OwnerOnlyFiles.write(labels, LabelSheet.pdf(lf.labels().forOrder(order.id(), false).labels(), LabelLayout.A4_3X8));
                out.printf("export (The Things Stack JSON, keys in the clear): %s%nlabel sheet (passed units): %s%n", export, labels);
                if (o.serve()) {
                    ApiTokens.Created admin = lf.tokens().create("demo-admin", Role.ADMIN, "demo");
                    out.printf("serving until Ctrl-C: %s  (admin token: %s)%n", url, admin.secret());
                    // a link that signs a browser in once, within 15 minutes, so the token need not be pasted
                    String code = lf.consoleSessions().createSignInCode(admin.token().id(), "demo");
                    out.printf("web console: %s/console/  (sign in once, within %d minutes: %s/console/sign-in/once/%s)%n",
                            url, ConsoleSessions.CODE_LIFETIME.toMinutes(), url, code);
                    out.flush();
                    Thread.currentThread().join();
                }
                api.close();
                return 0;
            }
        }
    }

    private List<UnitOutcome> line(String url, String token, SimGateway gateway) throws Exception {
        List<UnitOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService stations = Executors.newFixedThreadPool(o.stations());
        Path nvm = o.dataDir().resolve("device-nvm");
        OwnerOnlyFiles.createDirectories(nvm);
        try (SimGateway gw = gateway) {
            gw.connect(Duration.ofSeconds(5));
            gw.startKeepAlive();
            List<Future<?>> running = new ArrayList<>();
            for (int s = 1; s <= o.stations(); s++) {
                int station = s;
                running.add(stations.submit(() -> {
                    station(station, url, token, gw, nvm, next, outcomes);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            stations.shutdownNow();
        }
        return outcomes;
    }

    /** The module on station {@code s} (from 1): odd stations have a RAK3172, even ones a LoRa-E5. */
    static String dialectOf(int s) {
        return s % 2 == 1 ? "rak3172" : "lora-e5";
    }

    private void station(int s, String url, String token, SimGateway gw, Path nvm, AtomicInteger next, List<UnitOutcome> outcomes)
            throws Exception {
        if (o.positions() > 1) {
            multiUpStation(s, url, token, gw, nvm, next, outcomes);
            return;
        }
        String dialect = dialectOf(s);
        Dialects.Entry entry = Dialects.byName(dialect);
        try (PtyPair pty = PtyPair.open();
                SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200);
                SerialPort stationSide = SerialPort.open(pty.stationSide(), 115200);
                StreamTransport t = entry.transport(stationSide.input(), stationSide.output())) {
            VirtualAtModule fixture = VirtualModules.byName(dialect).create(moduleSide.input(), moduleSide.output(), gw, nvm,
                    VirtualAtModule.Behaviour.GOOD);
            Thread module = new Thread(fixture, "demo-module-" + s);
            module.setDaemon(true);
            module.start();
            StationApiClient client = new StationApiClient(url, token, "demo-station-" + s);
            AtDialect dialectDriver = entry.driver().apply(t);
            // the join deadline is the dialect's schedule of the attempts, as at a real station
            UnitRunner runner = new UnitRunner(client, new UnitRunner.Settings("DEMO-1", dialectDriver.longestJoin(JOIN_ATTEMPTS),
                    Duration.ofSeconds(5), null, null, new byte[] {0x01, 0x02, 0x03}), System::nanoTime); // the product's thresholds
            AtFixture driver = new AtFixture(dialectDriver, JOIN_ATTEMPTS);
            int i;
            while ((i = next.getAndIncrement()) < o.devices()) {
                fixture.insertBoard(boardFor(i));
                UnitOutcome outcome = runner.run(driver, null);
                outcomes.add(outcome);
                synchronized (out) {
                    out.printf("station %d  %s%n", s, failures.line(outcome));
                    out.flush();
                }
            }
        }
    }

    /**
     * Station {@code s} with a multi-up fixture: one virtual module of the station's dialect per position, each on a
     * pseudo-terminal of its own, all on the one virtual gateway; the fixture is loaded with the next boards (fewer on
     * the last run) and all positions run at once, as {@code lorafab station --positions N --allocate} does.
     */
    private void multiUpStation(int s, String url, String token, SimGateway gw, Path nvm, AtomicInteger next, List<UnitOutcome> outcomes)
            throws Exception {
        String dialect = dialectOf(s);
        Dialects.Entry entry = Dialects.byName(dialect);
        StationApiClient client = new StationApiClient(url, token, "demo-station-" + s);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<VirtualAtModule> modules = new ArrayList<>();
            List<MultiUp.Position> positions = new ArrayList<>();
            JoinSpacing spacing = new JoinSpacing(JoinSpacing.DEFAULT, System::nanoTime);
            for (int i = 1; i <= o.positions(); i++) {
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
                Thread thread = new Thread(module, "demo-module-" + s + "-" + i);
                thread.setDaemon(true);
                thread.start();
                modules.add(module);
                AtDialect driver = entry.driver().apply(t);
                UnitRunner runner = new UnitRunner(client.atPosition(i), new UnitRunner.Settings("DEMO-1", driver.longestJoin(JOIN_ATTEMPTS),
                        Duration.ofSeconds(5), null, null, new byte[] {0x01, 0x02, 0x03}), System::nanoTime);
                positions.add(new MultiUp.Position(i, spacing.spaced(new AtFixture(driver, JOIN_ATTEMPTS)), runner));
            }
            try (MultiUp fixture = new MultiUp(positions)) {
                while (true) {
                    List<MultiUp.Board> boards = new ArrayList<>();
                    for (int i = 0; i < o.positions(); i++) {
                        int unit = next.getAndIncrement();
                        if (unit < o.devices()) {
                            modules.get(i).insertBoard(boardFor(unit));
                            boards.add(MultiUp.Board.allocate());
                        } else {
                            boards.add(MultiUp.Board.empty());
                        }
                    }
                    if (boards.stream().allMatch(b -> b instanceof MultiUp.Board.Empty)) {
                        return;
                    }
                    for (MultiUp.Result r : fixture.run(boards)) {
                        String line = positionLine(r);
                        if (line == null) {
                            continue;
                        }
                        if (r instanceof MultiUp.Done d) {
                            outcomes.add(d.outcome());
                        }
                        synchronized (out) {
                            out.printf("station %d position %d  %s%n", s, r.position(), line);
                            out.flush();
                        }
                    }
                }
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** A position's line: its PASS/FAIL line, or why it has none; null for an empty position. */
    private String positionLine(MultiUp.Result r) {
        if (r instanceof MultiUp.Done d) {
            return failures.line(d.outcome());
        } else if (r instanceof MultiUp.Refused ref) {
            return "REFUSED " + ref.error().wireCode() + ": " + ref.error().getMessage();
        } else if (r instanceof MultiUp.Left left) {
            return "STATION FAULT " + left.unfinished().getMessage() + " (left unfinished)";
        } else if (r instanceof MultiUp.Broke broke) {
            return "STATION FAULT " + broke.error().getMessage();
        }
        return null;
    }

    /** E.g. {@code 1 station with a 4-position fixture of virtual RAK3172 modules on pseudo-terminals}. */
    static String fixturesLine(int stations, int positions) {
        String kinds = stations == 1 ? "virtual RAK3172 modules" : "virtual RAK3172 or LoRa-E5 modules";
        return Plural.count(stations, "station") + (stations == 1 ? " with a " : " each with a ") + positions
                + "-position fixture of " + kinds + " on pseudo-terminals";
    }

    /**
     * The stations and their modules (odd stations a RAK3172, even ones a LoRa-E5), e.g. {@code 1 station on a
     * pseudo-terminal with a virtual RAK3172} or {@code 4 stations on pseudo-terminals: 2 with a virtual RAK3172, 2 with
     * a virtual LoRa-E5}.
     */
    static String stationsLine(int stations) {
        int e5 = stations / 2;
        int rak = stations - e5;
        if (stations == 1) {
            return "1 station on a pseudo-terminal with a virtual RAK3172";
        }
        return Plural.count(stations, "station") + " on pseudo-terminals: " + rak + " with a virtual RAK3172, " + e5
                + " with a virtual LoRa-E5";
    }

    /** Most boards are good; one in 29 has a module that rejects its key, one in 31 is out of radio range. */
    static VirtualAtModule.Behaviour boardFor(int i) {
        if (i % 29 == 11) {
            return new VirtualAtModule.Behaviour(-60, 8.0, true, false);
        }
        if (i % 31 == 17) {
            return new VirtualAtModule.Behaviour(-60, 8.0, false, true);
        }
        int rssi = -45 - (i * 7) % 40;
        double snr = 10.0 - (i * 3) % 12;
        return new VirtualAtModule.Behaviour(rssi, snr, false, false);
    }

    private void summary(List<UnitOutcome> outcomes, double seconds) {
        long passed = outcomes.stream().filter(UnitOutcome::passed).count();
        long failed = outcomes.stream().filter(u -> u.verdict() == UnitOutcome.Verdict.FAILED).count();
        long left = outcomes.stream().filter(UnitOutcome::stationFault).count();
        Map<String, Long> reasons = new TreeMap<>();
        Map<String, Long> stationFaults = new TreeMap<>();
        List<Integer> rssi = new ArrayList<>();
        List<Double> snr = new ArrayList<>();
        List<Long> joinMs = new ArrayList<>();
        for (UnitOutcome u : outcomes) {
            if (u.verdict() == UnitOutcome.Verdict.FAILED) {
                reasons.merge(u.reasonCode(), 1L, Long::sum);
            }
            u.stationFaults().forEach(code -> stationFaults.merge(code, 1L, Long::sum));
            if (u.stationFault()) {
                stationFaults.merge(u.reasonCode(), 1L, Long::sum);
            }
            if (u.measurements().get("rssi") instanceof Integer r) {
                rssi.add(r);
            }
            if (u.measurements().get("snr") instanceof Double d) {
                snr.add(d);
            }
            if (u.measurements().get("joinMs") instanceof Long j) {
                joinMs.add(j);
            }
        }
        Collections.sort(rssi);
        Collections.sort(snr);
        Collections.sort(joinMs);
        out.println();
        out.printf("units: %d passed, %d failed%s%s%n", passed, failed, left == 0 ? "" : ", " + left + " left PROGRAMMED by a station fault",
                reasons.isEmpty() ? "" : ":");
        failures.summary(reasons).forEach(out::println);
        long faultRuns = stationFaults.values().stream().mapToLong(Long::longValue).sum();
        long retestedPassed = outcomes.stream().filter(u -> u.passed() && !u.stationFaults().isEmpty()).count();
        out.printf("station faults (the test station's, not the units'): %s, %d re-tested unit%s passed%s%n",
                Plural.count((int) faultRuns, "test run"), retestedPassed, retestedPassed == 1 ? "" : "s", stationFaults.isEmpty() ? "" : ":");
        failures.summary(stationFaults).forEach(out::println);
        out.printf("throughput: %.0f units/min (%.1f s for %s on %s%s)%n", outcomes.size() / (seconds / 60), seconds,
                Plural.count(outcomes.size(), "unit"), Plural.count(o.stations(), "station"),
                o.positions() == 1 ? "" : " of " + o.positions() + " positions");
        if (!rssi.isEmpty()) {
            out.printf("RSSI dBm: min %d, median %d, max %d;  SNR dB: min %.1f, median %.1f, max %.1f%n", rssi.get(0),
                    rssi.get(rssi.size() / 2), rssi.get(rssi.size() - 1), snr.get(0), snr.get(snr.size() / 2), snr.get(snr.size() - 1));
        }
        if (!joinMs.isEmpty()) {
            out.printf("join latency (AT+JOIN to joined): p50 %d ms, p99 %d ms%n", joinMs.get(joinMs.size() / 2),
                    joinMs.get(Math.min(joinMs.size() - 1, (int) Math.round(joinMs.size() * 0.99))));
        }
        out.flush();
    }
}
