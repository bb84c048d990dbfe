package io.lorafab.provisioning.service;

/**
 * A station's request for an identity: for work order {@code workOrder} (its reference), either allocated
 * from the product's EUI block ({@code scanned} null) or the DevEUI read from a pre-printed label
 * ({@code scanned}: a DevEUI in hex, or a TR005 QR string).
 */
public record ReserveRequest(String workOrder, String stationId, String scanned, String serial) {
}
