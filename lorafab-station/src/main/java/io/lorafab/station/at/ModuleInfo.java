package io.lorafab.station.at;

/** What the module says it is: dialect name, model (where the dialect reports one) and firmware version. */
public record ModuleInfo(String dialect, String model, String firmware) {
}
