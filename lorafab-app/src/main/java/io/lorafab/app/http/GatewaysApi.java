package io.lorafab.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.gateway.GatewayState;
import io.lorafab.gateway.SemtechUdpConnector;
import io.lorafab.gateway.semtech.Stat;
import io.lorafab.joinserver.GatewayBridge;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.store.model.Role;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final ObjectMapper json;
    private final io.lorafab.app.events.MqttEventPublisher mqtt;

    /** @param mqtt the MQTT event publisher whose counters are shown, or null without one */
    public GatewaysApi(SemtechUdpConnector connector, GatewayBridge bridge, JoinServer joinServer, ObjectMapper json,
            io.lorafab.app.events.MqttEventPublisher mqtt) {
        this.mqtt = mqtt;
        this.connector = connector;
        this.bridge = bridge;
        this.joinServer = joinServer;
        this.json = json;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/gateways", Role.OPERATOR, r -> {
            List<Map<String, Object>> gateways = connector.gateways().all().stream()
                    .sorted(Comparator.comparing(g -> g.eui().toString())).map(GatewaysApi::gateway).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gateways", gateways);
            m.put("counters", connector.counters());
            m.put("joins", bridge.counters());
            m.put("rejectionsNotRecorded", joinServer.rejectionsNotRecorded());
            if (mqtt != null) {
                // events published to MQTT, and those that could not be (they are still in /api/events)
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("published", mqtt.published());
                q.put("unpublished", mqtt.unpublished());
                q.put("pending", mqtt.pending());
                m.put("mqtt", q);
            }
            return HttpResponse.json(200, json.writeValueAsBytes(m));
        });
    }

    static Map<String, Object> gateway(GatewayState g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eui", g.eui().toString());
        m.put("firstSeen", g.firstSeen().toString());
        m.put("lastSeen", g.lastSeen().toString());
        m.put("lastPull", g.lastPull().map(Object::toString).orElse(null));
        m.put("downlinkRoute", g.hasDownlinkRoute());
        m.put("pushData", g.pushData());
        m.put("pullData", g.pullData());
        m.put("rxOk", g.rxOk());
        m.put("rxDropped", g.rxDropped());
        m.put("txSent", g.txSent());
        m.put("txAck", g.txAck());
        m.put("txErrors", g.txErrors());
        m.put("txTimeouts", g.txTimeouts());
        // The address the gateway is pinned to, and other addresses' claims on its EUI (refused while it was active).
        m.put("address", g.pin().address().getHostAddress());
        m.put("addressChanges", g.pin().changes());
        m.put("addressClaimsRefused", g.pin().refused());
        m.put("lastRefusedFrom", g.pin().lastRefusedFrom().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).orElse(null));
        m.put("lastRefusedAt", g.pin().lastRefusedAt().map(Object::toString).orElse(null));
        m.put("lastStat", g.lastStat().map(GatewaysApi::stat).orElse(null));
        return m;
    }

    /** The {@code stat} object under its wire names; fields the gateway did not send are left out. */
    static Map<String, Object> stat(Stat s) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "time", s.time().map(Object::toString));
        put(m, "lati", s.latitude());
        put(m, "long", s.longitude());
        put(m, "alti", s.altitude());
        put(m, "rxnb", s.rxnb());
        put(m, "rxok", s.rxok());
        put(m, "rxfw", s.rxfw());
        put(m, "ackr", s.ackr());
        put(m, "dwnb", s.dwnb());
        put(m, "txnb", s.txnb());
        return m;
    }

    private static void put(Map<String, Object> m, String key, Optional<?> v) {
        v.ifPresent(x -> m.put(key, x));
    }
}
