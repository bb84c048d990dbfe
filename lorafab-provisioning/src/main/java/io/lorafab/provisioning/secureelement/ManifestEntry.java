package io.lorafab.provisioning.secureelement;

import io.lorafab.lorawan.types.Eui64;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * One verified unit of a TNGLoRa manifest: the secure element's serial number ({@code uniqueId}), the DevEUI its
 * certificate names, the JoinEUI written in its slot 9 (when the manifest lists that slot's public data), and who
 * signed the entry.
 *
 * @param index 0-based position in the manifest's list
 * @param provisioningTime the manifest's {@code provisioningTimestamp}, or null when it gives none
 */
public record ManifestEntry(int index, String uniqueId, Eui64 devEui, Optional<Eui64> slotJoinEui, String partNumber,
        Instant provisioningTime, X509Certificate deviceCertificate, String signer) {
}
