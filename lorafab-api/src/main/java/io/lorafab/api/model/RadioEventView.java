package io.lorafab.api.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A radio event (HTTP and MQTT): {@code kind} what happened, {@code code} why it was refused; EUIs hex;
 * {@code details} the JSON recorded with it (text when it is not JSON).
 */
public record RadioEventView(long id, String at, String devEui, String kind, String code, String gatewayEui, Integer rssi,
        Double snr, Long frequencyHz, String datr, JsonNode details) {
}
