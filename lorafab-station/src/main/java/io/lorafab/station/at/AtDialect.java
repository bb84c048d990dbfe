package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.Optional;

/**
 * One module's AT command dialect. Implementations hold the transport and only format commands and parse
 * responses; all failures are {@link AtException}.
 */
public interface AtDialect {

    String name();

    ModuleInfo identify();

    /**
     * Programs the OTAA identity (and OTAA mode, region where needed, NVM save where the module needs it).
     * A {@code nwkKey} on a LoRaWAN 1.0.x-only dialect fails with {@code unsupported}.
     */
    void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey);

    ReadBack readBack();

    JoinResult join(Duration timeout);

    SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout);
}
