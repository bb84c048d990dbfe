package io.lorafab.it;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.http.LnsServer;
import io.lorafab.gateway.BasicsStationConnector;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The server side of a line test: the registry on SQLite in a folder, the HTTP API and the UDP join server on
 * free loopback ports (no join rate limits), and work orders of 10 units whose products the test chooses.
 */
final class LineServer implements AutoCloseable {
    final Lorafab lf;
    final ApiServer api;
    final JoinServerRuntime js;
    /** The Basics Station listener (ws://, any gateway), or null. */
    final LnsServer lns;

    private LineServer(Lorafab lf, ApiServer api, JoinServerRuntime js, LnsServer lns) {
        this.lf = lf;
        this.api = api;
        this.js = js;
        this.lns = lns;
    }

    static LineServer start(Path dataDir) throws Exception {
        return start(dataDir, 0, false, false, true);
    }

    /** With the LNS listener for Basics Station gateways too, as {@code lorafab server --lns-port}. */
    static LineServer startWithLns(Path dataDir) throws Exception {
        return start(dataDir, 0, false, true, true);
    }

    /**
     * For join load through simulated gateways that model no air time, as {@code lorafab server --no-downlink-plan}
     * ({@code basicsStation}: with the LNS listener too).
     */
    static LineServer startForLoad(Path dataDir, boolean basicsStation) throws Exception {
        return start(dataDir, 0, false, basicsStation, false);
    }

    /** On HTTP port {@code port} (0: any free one), with the web console when {@code console}. */
    static LineServer start(Path dataDir, int port, boolean console) throws Exception {
        return start(dataDir, port, console, false, true);
    }

    private static LineServer start(Path dataDir, int port, boolean console, boolean basicsStation, boolean planDownlinks)
            throws Exception {
        Lorafab lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        ApiServer api = new ApiServer(lf, "127.0.0.1", port, 8);
        if (console) {
            io.lorafab.app.wiring.WebConsole.install(api, lf);
        }
        JoinServerRuntime js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withRateLimits(0, 0)
                .withDownlinkPlanning(planDownlinks),
                SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0)),
                basicsStation ? unlimited(BasicsStationConnector.Config.of(Region.byName("EU868"))) : null, null, api,
                BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME);
        js.start();
        api.start();
        LnsServer lns = basicsStation ? new LnsServer(js.stations(), new InetSocketAddress("127.0.0.1", 0), null).start() : null;
        return new LineServer(lf, api, js, lns);
    }

    /** No per-gateway uplink limit, as the join server here has no rate limits: a load test measures the line. */
    private static BasicsStationConnector.Config unlimited(BasicsStationConnector.Config c) {
        return new BasicsStationConnector.Config(c.region(), c.allowList(), c.credentials(), c.joinEuis(), c.dntxedGrace(), 0);
    }

    /** The LNS's URI for {@code --lns}. */
    String lnsUri() {
        return "ws://127.0.0.1:" + lns.port();
    }

    /**
     * Product {@code product} (EU868, RSSI ≥ −110 dBm, SNR ≥ −7.5 dB) with a block of 100 DevEUIs from
     * {@code firstDevEui}, and work order {@code reference} of 10 units of it.
     */
    Product workOrder(String reference, String product, Eui64 joinEui, MacVersion version, ProfileId profile, Eui64 firstDevEui) {
        return workOrder(reference, product, joinEui, version, profile, firstDevEui, false);
    }

    /** As {@link #workOrder(String, String, Eui64, MacVersion, ProfileId, Eui64)}; the product runs the TS009 profile if asked. */
    Product workOrder(String reference, String product, Eui64 joinEui, MacVersion version, ProfileId profile, Eui64 firstDevEui,
            boolean certificationProfile) {
        return workOrder(reference, product, joinEui, version, profile, firstDevEui, certificationProfile, java.util.List.of(), null);
    }

    /** As above, the TS009 profile echoing on each of {@code dataRates} and holding the firmware to {@code firmwareVersion}. */
    Product workOrder(String reference, String product, Eui64 joinEui, MacVersion version, ProfileId profile, Eui64 firstDevEui,
            boolean certificationProfile, java.util.List<Integer> dataRates, String firmwareVersion) {
        Product p = lf.registry().createProduct(new NewProduct(product, joinEui, version, Region.byName("EU868"), profile, null, -110.0, -7.5,
                null, null, null, certificationProfile, dataRates, firmwareVersion));
        lf.registry().createEuiBlock(new NewEuiBlock(product + "-block", p.id(), Assignment.MA_S, "70b3d57ed", firstDevEui, 100));
        lf.registry().createWorkOrder(reference, p.id(), 10);
        return p;
    }

    String operatorToken(String name) {
        return lf.tokens().create(name, Role.OPERATOR, "test").secret();
    }

    String url() {
        return "http://127.0.0.1:" + api.port();
    }

    @Override
    public void close() {
        if (lns != null) {
            lns.close();
        }
        js.close();
        api.close();
        lf.close();
    }
}
