package io.lorafab.joinserver.bi;

import java.util.Optional;

/**
 * Where the Backend Interfaces service finds the export KEKs it wraps session keys under. The application supplies
 * it (it knows the key files and the environment); the service only asks by label.
 */
public interface ExportKekSource {

    /**
     * The KEK of this label, empty if none is configured. Throws (a {@link io.lorafab.store.StoreException} or a
     * {@link io.lorafab.lorawan.LorawanFormatException}) when the KEKs cannot be read at all, which is not "no KEK".
     */
    Optional<KeyEnvelope.Kek> byLabel(String label);

    /** What the operator can do so that keys may be sent to {@code caller}: a sentence for the refusal's Description. */
    String howToAllow(BiIdentity caller);
}
