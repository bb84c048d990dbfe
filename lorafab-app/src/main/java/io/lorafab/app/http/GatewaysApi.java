package io.lorafab.app.http;

import io.lorafab.api.ApiRoutes;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.app.views.ApiViews;
import io.lorafab.gateway.SemtechUdpConnector;
import io.lorafab.joinserver.GatewayBridge;
import io.lorafab.joinserver.JoinServer;
import java.util.Comparator;

/**
 * {@code GET /api/gateways} (operator, read-only): every gateway the UDP listener has heard — first and last
 * seen, last PULL_DATA, whether downlinks can reach it, its rx/tx counters and its last {@code stat} object —
 * with the listener's counters (malformed datagrams and other drops by reason), the join outcomes of the bridge
 * and the rejections counted but not recorded, and — with {@code --mqtt} — the MQTT events published and not.
 */
public final class GatewaysApi {
    private final SemtechUdpConnector connector;
    private final io.lorafab.gateway.BasicsStationConnector stations;
    private final GatewayBridge bridge;
    private final JoinServer joinServer;
    private final io.lorafab.app.events.MqttEventPublisher mqtt;

    /** @param mqtt the MQTT event publisher whose counters are shown, or null without one */
    public GatewaysApi(SemtechUdpConnector connector, GatewayBridge bridge, JoinServer joinServer,
            io.lorafab.app.events.MqttEventPublisher mqtt) {
        this(connector, null, bridge, joinServer, mqtt);
    }

    /**
     * @param connector the UDP listener, or null without one
     * @param stations the Basics Station server, or null without one; its gateways are listed with the UDP ones and
     *     its counters prefixed {@code basics_station_}
     */
    public GatewaysApi(SemtechUdpConnector connector, io.lorafab.gateway.BasicsStationConnector stations,
            GatewayBridge bridge, JoinServer joinServer, io.lorafab.app.events.MqttEventPublisher mqtt) {
        this.stations = stations;
        this.mqtt = mqtt;
        this.connector = connector;
        this.bridge = bridge;
        this.joinServer = joinServer;
    }

    public void register(ApiServer s) {
        s.route(ApiRoutes.GATEWAYS, (r, none) -> view());
    }

    /** What {@code GET /api/gateways} answers, now (the console's gateways page shows the same). */
    public GatewaysView view() {
        return new GatewaysView(gateways(), counters(),
                bridge.counters(), joinServer.rejectionsNotRecorded(),
                // events published to MQTT, and those that could not be (they are still in /api/events)
                mqtt == null ? null : new GatewaysView.Mqtt(mqtt.published(), mqtt.unpublished(), mqtt.pending()));
    }

    /** Every gateway of both transports, by EUI (a gateway on both is listed once per transport). */
    private java.util.List<io.lorafab.api.model.GatewayView> gateways() {
        java.util.List<io.lorafab.api.model.GatewayView> out = new java.util.ArrayList<>();
        if (connector != null) {
            connector.gateways().all().forEach(g -> out.add(ApiViews.gateway(g)));
        }
        if (stations != null) {
            stations.stations().forEach(g -> out.add(ApiViews.gateway(g)));
        }
        out.sort(Comparator.comparing(io.lorafab.api.model.GatewayView::eui)
                .thenComparing(io.lorafab.api.model.GatewayView::transport));
        return out;
    }

    private java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        if (connector != null) {
            out.putAll(connector.counters());
        }
        if (stations != null) {
            stations.counters().forEach((k, v) -> out.put("basics_station_" + k, v));
        }
        return out;
    }
}
