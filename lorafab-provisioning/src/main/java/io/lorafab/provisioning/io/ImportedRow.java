package io.lorafab.provisioning.io;

/**
 * What identifies one data row of an import file, as far as its cells could be read, for the checks against the
 * registry: its line, its DevEUI (null when the cell is not a valid EUI) and its serial (null when empty). Kept for
 * every row, also a rejected one, so that one pass reports all its problems.
 */
public record ImportedRow(int line, io.lorafab.lorawan.types.Eui64 devEui, String serial) {
}
