package io.lorafab.provisioning.qr;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.ProfileId;
import java.util.Optional;

/**
 * The content of a LoRa Alliance TR005 device identification QR code, schema D0: the three mandatory fields
 * and the optional OwnerToken, SerNum and Proprietary extension fields. The CheckSum is not part of the content;
 * {@link Tr005#format} adds it on request and {@link Tr005#parse} verifies it when present.
 *
 * <p>Extension values must be non-empty and made of printable ASCII other than space and ':' (':' separates
 * fields; TR005 allows no escaping). A device's keys never belong here: TR005 carries identifiers only.
 */
public record Tr005Code(Eui64 joinEui, Eui64 devEui, ProfileId profileId, Optional<String> ownerToken,
        Optional<String> serialNumber, Optional<String> proprietary) {

    public Tr005Code {
        if (joinEui == null || devEui == null || profileId == null) {
            throw new LorawanFormatException("TR005: JoinEUI, DevEUI and ProfileID are required");
        }
        if (ownerToken == null || serialNumber == null || proprietary == null) {
            throw new LorawanFormatException("TR005: use Optional.empty() for an absent extension field, not null");
        }
        ownerToken.ifPresent(v -> checkExtension(Tr005.Extension.OWNER_TOKEN, v));
        serialNumber.ifPresent(v -> checkExtension(Tr005.Extension.SERIAL_NUMBER, v));
        proprietary.ifPresent(v -> checkExtension(Tr005.Extension.PROPRIETARY, v));
    }

    /** A code with the mandatory fields only. */
    public static Tr005Code of(Eui64 joinEui, Eui64 devEui, ProfileId profileId) {
        return new Tr005Code(joinEui, devEui, profileId, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Tr005Code withOwnerToken(String value) {
        return new Tr005Code(joinEui, devEui, profileId, Optional.of(value), serialNumber, proprietary);
    }

    public Tr005Code withSerialNumber(String value) {
        return new Tr005Code(joinEui, devEui, profileId, ownerToken, Optional.of(value), proprietary);
    }

    public Tr005Code withProprietary(String value) {
        return new Tr005Code(joinEui, devEui, profileId, ownerToken, serialNumber, Optional.of(value));
    }

    static void checkExtension(Tr005.Extension field, String value) {
        if (value == null || value.isEmpty()) {
            throw new LorawanFormatException("TR005: " + field.label + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':') {
                throw new LorawanFormatException("TR005: " + field.label + " contains ':' at position " + i
                        + " (':' separates fields and cannot be escaped)");
            }
            if (c <= 0x20 || c >= 0x7f) {
                throw new LorawanFormatException("TR005: " + field.label + " contains illegal character "
                        + String.format("U+%04X", (int) c) + " at position " + i
                        + " (printable ASCII without space only)");
            }
        }
    }
}
