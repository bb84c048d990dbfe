package io.lorafab.api.model;

/** {@code POST /api/units/{devEui}/reset-nonces}. */
public record NonceReset(String devEui, boolean reset) {
}
