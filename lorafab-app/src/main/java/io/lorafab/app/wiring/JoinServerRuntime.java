package io.lorafab.app.wiring;

import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.app.events.MqttEventPublisher;
import io.lorafab.app.http.ApiServer;
import io.lorafab.app.http.BackendInterfacesApi;
import io.lorafab.app.http.GatewaysApi;
import io.lorafab.app.http.JoinServerApi;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.gateway.SemtechUdpConnector;
import io.lorafab.joinserver.GatewayBridge;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.UplinkVerifier;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The join server of one {@code lorafab server}: the join logic, the Semtech UDP listener for gateways (unless
 * {@code udp} is null), the HTTP endpoints (events, nonce reset, Backend Interfaces) and, if configured, the
 * MQTT event publisher.
 */
public final class JoinServerRuntime implements AutoCloseable {

    private final JoinServer joinServer;
    private final SemtechUdpConnector connector;
    private final io.lorafab.gateway.BasicsStationConnector stations;
    private final io.lorafab.gateway.GatewayConnector gateways;
    private final GatewayBridge bridge;
    private final MqttEventPublisher mqtt;
    private final JoinServerApi eventsApi;
    private final GatewaysApi gatewaysApi;
    /**
     * Finishes Backend Interfaces JoinAns once their joins are committed: no HTTP thread waits for a commit, so the
     * JoinReqs sharing one commit are not capped by the HTTP threads. CPU work only (key wrapping, JSON): one per core.
     */
    private final java.util.concurrent.ExecutorService biAnswers = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "lorafab-bi-answer");
                t.setDaemon(true);
                return t;
            });

    /** A runtime serving any gateway. */
    public JoinServerRuntime(Lorafab lf, JoinServerConfig config, InetSocketAddress udp, String mqttUri, ApiServer api)
            throws Exception {
        this(lf, config, udp, Set.of(), mqttUri, api);
    }

    /**
     * @param udp where to listen for packet forwarders, or null for no gateway listener
     * @param allowedGateways the only gateway EUIs served; empty serves any
     * @param mqttUri broker URI such as tcp://127.0.0.1:1883, or null
     */
    public JoinServerRuntime(Lorafab lf, JoinServerConfig config, InetSocketAddress udp, Set<Eui64> allowedGateways, String mqttUri,
            ApiServer api) throws Exception {
        this(lf, config, udp, allowedGateways, mqttUri, api, BackendInterfaces.Settings.defaults(), DEFAULT_LEAD_TIME);
    }

    /** How long before a receive window a packet forwarder needs the downlink, unless configured. */
    public static final Duration DEFAULT_LEAD_TIME = Duration.ofMillis(200);

    /**
     * @param bi the Backend Interfaces session lifetime and application servers
     * @param leadTime how long before a receive window the packet forwarder needs the downlink (a window that
     *        can no longer be met is skipped)
     */
    public JoinServerRuntime(Lorafab lf, JoinServerConfig config, InetSocketAddress udp, Set<Eui64> allowedGateways, String mqttUri,
            ApiServer api, BackendInterfaces.Settings bi, Duration leadTime) throws Exception {
        this(lf, config, udp == null ? null : SemtechUdpConfig.listeningOn(udp).withAllowedGateways(allowedGateways), mqttUri, api,
                bi, leadTime);
    }

    /**
     * @param udp the gateway listener's settings (address, allow-list, address pinning, limits), or null for none
     */
    public JoinServerRuntime(Lorafab lf, JoinServerConfig config, SemtechUdpConfig udp, String mqttUri, ApiServer api,
            BackendInterfaces.Settings bi, Duration leadTime) throws Exception {
        this(lf, config, udp, null, mqttUri, api, bi, leadTime);
    }

    /**
     * @param udp the gateway listener's settings (address, allow-list, address pinning, limits), or null for none
     * @param lns the Basics Station server's settings, or null for none; its websockets are served by {@link LnsServer}
     *     over {@link #stations()}, and its gateways share the UDP listener's deduplication and the same join path
     */
    public JoinServerRuntime(Lorafab lf, JoinServerConfig config, SemtechUdpConfig udp,
            io.lorafab.gateway.BasicsStationConnector.Config lns, String mqttUri, ApiServer api,
            BackendInterfaces.Settings bi, Duration leadTime) throws Exception {
        this.joinServer = new JoinServer(lf.registry(), lf.joinStore(), lf.vault(), config, Clock.systemUTC(), lf.events(), lf.meters());
        UplinkVerifier verifier = new UplinkVerifier(lf.joinStore(), lf.vault(), lf.events());
        this.connector = udp == null ? null : new SemtechUdpConnector(udp, Clock.systemUTC());
        if (connector != null) {
            connector.bindTo(lf.meters());
        }
        this.stations = lns == null ? null : new io.lorafab.gateway.BasicsStationConnector(lns, Clock.systemUTC());
        if (stations != null) {
            stations.bindTo(lf.meters());
        }
        this.gateways = connector != null && stations != null ? new io.lorafab.gateway.CombinedConnector(connector, stations)
                : connector != null ? connector : stations;
        // Workers read and check each join and hand its commit over (they do not wait for it); more of them than cores,
        // since each also waits on database reads and on sending downlinks.
        this.bridge = gateways == null ? null
                : new GatewayBridge(joinServer, verifier, lf.registry(), gateways, 32, Clock.systemUTC(), leadTime,
                        io.lorafab.joinserver.TestDownlinks.Settings.DEFAULT, devEui -> certificationOf(lf, devEui));
        this.mqtt = mqttUri == null ? null : new MqttEventPublisher(mqttUri, "lorafab", lf.events());
        this.eventsApi = api == null ? null : new JoinServerApi(lf, api.json());
        this.gatewaysApi = gateways == null ? null : new GatewaysApi(connector, stations, bridge, joinServer, mqtt);
        if (api != null) {
            eventsApi.register(api);
            new BackendInterfacesApi(lf, io.lorafab.joinserver.bi.JoinHandling.async(joinServer, biAnswers), bi).register(api);
            if (gatewaysApi != null) {
                gatewaysApi.register(api);
            }
        }
    }

    /** What the TS009 end-of-line profile expects of a unit whose product runs it (looked up on each first uplink). */
    private static java.util.Optional<io.lorafab.joinserver.CertificationProfile.Expectation> certificationOf(Lorafab lf,
            io.lorafab.lorawan.types.Eui64 devEui) {
        return lf.registry().unit(devEui).map(io.lorafab.store.model.Unit::productId).flatMap(id -> lf.registry().product(id))
                .filter(io.lorafab.store.model.Product::certificationProfile)
                .map(p -> new io.lorafab.joinserver.CertificationProfile.Expectation(p.macVersion(), p.certificationDataRates(),
                        java.util.Optional.ofNullable(p.certificationFirmwareVersion())));
    }

    /** Starts the gateway listener. */
    public void start() {
        if (gateways != null) {
            gateways.start(bridge);
        }
    }

    /** The Basics Station server (its protocol, not its websockets), or null without one. */
    public io.lorafab.gateway.BasicsStationConnector stations() {
        return stations;
    }

    /** What {@code GET /api/gateways} shows now, or null without a gateway listener (the console's gateways page). */
    public io.lorafab.api.model.GatewaysView gatewaysView() {
        return gatewaysApi == null ? null : gatewaysApi.view();
    }

    public JoinServer joinServer() {
        return joinServer;
    }

    /** The UDP port gateways send to (-1 without a listener). */
    public int udpPort() {
        return connector == null ? -1 : connector.localPort();
    }

    public SemtechUdpConnector connector() {
        return connector;
    }

    /** The MQTT event publisher, or null without {@code --mqtt}. */
    public MqttEventPublisher mqtt() {
        return mqtt;
    }

    public GatewayBridge bridge() {
        return bridge;
    }

    @Override
    public void close() {
        if (gateways != null) {
            gateways.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        if (mqtt != null) {
            mqtt.close();
        }
        if (eventsApi != null) {
            eventsApi.close();
        }
        biAnswers.shutdown();
    }
}
