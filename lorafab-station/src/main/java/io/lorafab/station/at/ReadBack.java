package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.util.Optional;

/**
 * What the module reports back. A key is empty when the dialect cannot (or refuses to) read it back;
 * {@link AesKey#toString()} is redacted, so this record's {@code toString} is safe to log.
 */
public record ReadBack(Eui64 devEui, Eui64 joinEui, Optional<AesKey> appKey, Optional<AesKey> nwkKey) {
}
