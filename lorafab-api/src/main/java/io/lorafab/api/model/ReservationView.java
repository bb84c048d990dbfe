package io.lorafab.api.model;

/**
 * A reserved (or re-tested) unit with its root keys (32 hex digits; {@code nwkKey} null for LoRaWAN 1.0.x), and
 * its product's pass thresholds (null: none set): on the join-request as the gateway heard it, and on the test downlink
 * as the module measured it; {@code certificationProfile}: the server runs the TS009 end-of-line profile on its test
 * session, with the uplink data rates the station steps a module through for its echoes ({@code certificationDataRates},
 * empty: none set) and the firmware version the server expects ({@code certificationFirmwareVersion}, null: not checked).
 * {@code resumed}: the unit was already reserved to this label.
 * {@code secureElementId} is set (and {@code appKey} null) for a unit whose secure element holds its keys: the station
 * programs nothing and checks the DevEUI the part reports.
 */
public record ReservationView(long id, String devEui, String joinEui, Long productId, String product, Long workOrderId,
        String order, String serial, String name, String macVersion, String region, String state, String origin,
        String stationId, String kekLabel, String createdAt, String updatedAt, String appKey, String nwkKey, boolean resumed,
        Double rssiMinDbm, Double snrMinDb, Double downlinkRssiMinDbm, Double downlinkSnrMinDb, boolean certificationProfile,
        java.util.List<Integer> certificationDataRates, String certificationFirmwareVersion, String secureElementId) {

    /** Without the keys: a reservation is logged and printed, its keys never. */
    @Override
    public String toString() {
        return "ReservationView[" + devEui + ", state=" + state + ", resumed=" + resumed + ", keys=redacted]";
    }
}
