package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.crypto.SessionKeys;
import java.util.Objects;
import java.util.Optional;

/**
 * The network session keys a JoinAns hands to the network server: the one NwkSKey of a LoRaWAN 1.0 session, or
 * the FNwkSIntKey, SNwkSIntKey and NwkSEncKey of a 1.1 session. A JoinAns carries exactly one of the two forms.
 */
public sealed interface NetworkKeys permits NetworkKeys.Lorawan10, NetworkKeys.Lorawan11 {

    /** A LoRaWAN 1.0 session (also a 1.1 device joining without OptNeg): NwkSKey. */
    record Lorawan10(KeyEnvelope nwkSKey) implements NetworkKeys {
        public Lorawan10 {
            Objects.requireNonNull(nwkSKey, "nwkSKey");
        }
    }

    /** A LoRaWAN 1.1 session: FNwkSIntKey, SNwkSIntKey, NwkSEncKey. */
    record Lorawan11(KeyEnvelope fNwkSIntKey, KeyEnvelope sNwkSIntKey, KeyEnvelope nwkSEncKey) implements NetworkKeys {
        public Lorawan11 {
            Objects.requireNonNull(fNwkSIntKey, "fNwkSIntKey");
            Objects.requireNonNull(sNwkSIntKey, "sNwkSIntKey");
            Objects.requireNonNull(nwkSEncKey, "nwkSEncKey");
        }
    }

    /** The network keys of {@code keys}, each wrapped under the network server's KEK when one is given. */
    static NetworkKeys wrap(SessionKeys keys, Optional<KeyEnvelope.Kek> nsKek) {
        if (keys.lorawan11()) {
            return new Lorawan11(KeyEnvelope.wrap(keys.fNwkSIntKey(), nsKek),
                    KeyEnvelope.wrap(keys.sNwkSIntKey(), nsKek), KeyEnvelope.wrap(keys.nwkSEncKey(), nsKek));
        }
        return new Lorawan10(KeyEnvelope.wrap(keys.nwkSKey(), nsKek));
    }
}
