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
    private final GatewayBridge bridge;
    private final JoinServer joinServer;
    private final io.lorafab.app.events.MqttEventPublisher mqtt;

    /** @param mqtt the MQTT event publisher whose counters are shown, or null without one */
    public GatewaysApi(SemtechUdpConnector connector, GatewayBridge bridge, JoinServer joinServer,
            io.lorafab.app.events.MqttEventPublisher mqtt) {
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
        return new GatewaysView(connector.gateways().all().stream()
                .sorted(Comparator.comparing(g -> g.eui().toString())).map(ApiViews::gateway).toList(), connector.counters(),
                bridge.counters(), joinServer.rejectionsNotRecorded(),
                // events published to MQTT, and those that could not be (they are still in /api/events)
                mqtt == null ? null : new GatewaysView.Mqtt(mqtt.published(), mqtt.unpublished(), mqtt.pending()));
    }
}
