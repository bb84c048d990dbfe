package io.lorafab.lorawan.region;

/** The physical-layer modulation of a LoRaWAN data rate. */
public enum Modulation {
    /** LoRa chirp spread spectrum: a spreading factor and a bandwidth. */
    LORA,
    /** (G)FSK: a bit rate. */
    FSK,
    /** LR-FHSS (RP002-1.0.2 and later, uplink only): an operating channel width and a coding rate. */
    LR_FHSS
}
