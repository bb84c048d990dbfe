package io.lorafab.gateway;

/** The two LoRaWAN class-A receive windows. */
public enum RxWindow {
    RX1,
    RX2
}
