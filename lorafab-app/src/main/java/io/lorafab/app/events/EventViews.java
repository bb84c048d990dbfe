package io.lorafab.app.events;

import io.lorafab.store.join.RadioEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of a radio event (HTTP and MQTT). {@code details} is embedded as the JSON it is. */
public final class EventViews {
    private EventViews() {
    }

    public static Map<String, Object> event(RadioEvent e, com.fasterxml.jackson.databind.ObjectMapper json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at() == null ? null : e.at().toString());
        m.put("devEui", e.devEui() == null ? null : e.devEui().toString());
        m.put("kind", e.kind());
        m.put("code", e.code());
        m.put("gatewayEui", e.gatewayEui() == null ? null : e.gatewayEui().toString());
        m.put("rssi", e.rssi());
        m.put("snr", e.snr());
        m.put("frequencyHz", e.frequencyHz());
        m.put("datr", e.datr());
        try {
            m.put("details", e.details() == null ? null : json.readTree(e.details()));
        } catch (java.io.IOException ex) {
            m.put("details", e.details());
        }
        return m;
    }
}
