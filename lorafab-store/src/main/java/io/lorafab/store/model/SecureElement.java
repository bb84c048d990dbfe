package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Locale;

/**
 * A unit whose root keys never leave its secure element (e.g. Microchip's ATECC608 TNGLoRa): lorafab holds no key
 * for it, and its joins are served by the external join server that holds the keys (The Things Join Server for
 * TNGLoRa parts). Recorded so that every place that would use a unit's keys knows there are none.
 *
 * @param elementId the secure element's own serial number (TNGLoRa: the manifest's {@code uniqueId}), lower-case hex
 * @param joinServer the external join server's address (host, host:port or URL), as network servers are told it
 */
public record SecureElement(String elementId, String joinServer) {

    public SecureElement {
        if (elementId == null || !elementId.matches("[0-9A-Fa-f]{2,64}")) {
            throw new LorawanFormatException("secure element id: 2 to 64 hex digits");
        }
        elementId = elementId.toLowerCase(Locale.ROOT);
        joinServer = Names.require(joinServer, "external join server address");
        if (joinServer.chars().anyMatch(c -> c <= ' ')) {
            throw new LorawanFormatException("external join server address: no spaces");
        }
    }
}
