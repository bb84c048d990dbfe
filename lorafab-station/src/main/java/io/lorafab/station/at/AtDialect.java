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

    /**
     * The DevEUI and JoinEUI the module reports, without asking for a key: a part whose secure element holds its key
     * refuses to give it out, and the station has no use for it. By default {@link #readBack()}, for dialects whose
     * read-back asks for no key anyway.
     */
    default ReadBack readEuis() {
        return readBack();
    }

    /** One join as the module makes it: a single join-request for every dialect here. */
    JoinResult join(Duration timeout);

    /**
     * Whether {@link #join(JoinAttempts, Duration)} hands the attempts to the module, which then retries by
     * itself; otherwise the station repeats {@link #join(Duration)}.
     */
    default boolean retriesJoins() {
        return false;
    }

    /**
     * Joins with up to {@code attempts.attempts()} join-requests made by the module itself, returning at the
     * first success or after the last attempt failed; {@code timeout} bounds the whole. Only for a dialect that
     * {@link #retriesJoins()}.
     */
    default JoinResult join(JoinAttempts attempts, Duration timeout) {
        if (attempts.attempts() == 1) {
            return join(timeout);
        }
        throw new AtException(AtException.Code.UNSUPPORTED, name() + " makes one join attempt per command");
    }

    /**
     * The longest {@code attempts} take on this module, for the station's join deadline: by default the station
     * repeats {@link #join(Duration)}, each attempt a period after the previous one started
     * ({@link JoinAttempts#longestSpacedFromStart()}); a module that retries by itself says how it spaces them.
     */
    default Duration longestJoin(JoinAttempts attempts) {
        return attempts.longestSpacedFromStart();
    }

    SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout);

    /**
     * Makes the module send its next uplinks at data rate {@code dr} (an index of the region it was set up for), as the
     * TS009 profile's echo on each of a product's data rates needs: ADR is turned off first, because the stacks these
     * modules run refuse a data rate while ADR is on (LoRaMac-node's {@code LmHandlerSetTxDatarate}, under the ST AT
     * slave and RUI3) or may change it again at the next uplink (as the Arduino MKRWAN library warns for the Murata modem). A refusal is
     * {@code module_error}; a data rate the module does not have is the module's to refuse, not the driver's.
     */
    void dataRate(int dr);

    /**
     * After {@link #send}: waits up to {@code timeout} for the module's report of a downlink received in that uplink's
     * receive windows, when the send's result has none (a dialect whose report can only come during the send answers
     * at once). Empty when the module reports none.
     */
    Optional<ReceivedDownlink> awaitDownlink(Duration timeout);
}
