package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** identify → setIdentity → readBack → compare. Pure orchestration; all I/O is in the dialect's transport. */
public final class Programmer {

    private Programmer() {
    }

    public static ProgramResult program(AtDialect d, Identity id) {
        return program(d, id, () -> { });
    }

    /** The same, {@code readingBack} told when the identity is written and reading it back begins (the station's screen). */
    public static ProgramResult program(AtDialect d, Identity id, Runnable readingBack) {
        ModuleInfo info = d.identify();
        d.setIdentity(id.devEui(), id.joinEui(), id.appKey(), id.nwkKey());
        readingBack.run();
        ReadBack rb = d.readBack();
        return new ProgramResult(info, compare(id, rb));
    }

    static Map<ProgramResult.Field, ProgramResult.FieldStatus> compare(Identity id, ReadBack rb) {
        Map<ProgramResult.Field, ProgramResult.FieldStatus> m = new EnumMap<>(ProgramResult.Field.class);
        m.put(ProgramResult.Field.DEV_EUI, status(Objects.equals(id.devEui(), rb.devEui())));
        m.put(ProgramResult.Field.JOIN_EUI, status(Objects.equals(id.joinEui(), rb.joinEui())));
        m.put(ProgramResult.Field.APP_KEY, key(Optional.of(id.appKey()), rb.appKey()));
        // Without an explicit NwkKey, a 1.0.x module that reports one must report the AppKey there.
        m.put(ProgramResult.Field.NWK_KEY, key(id.nwkKey().or(() -> rb.nwkKey().map(k -> id.appKey())), rb.nwkKey()));
        return m;
    }

    private static ProgramResult.FieldStatus status(boolean same) {
        return same ? ProgramResult.FieldStatus.MATCH : ProgramResult.FieldStatus.MISMATCH;
    }

    private static ProgramResult.FieldStatus key(Optional<AesKey> wanted, Optional<AesKey> read) {
        if (wanted.isEmpty()) {
            return ProgramResult.FieldStatus.NOT_APPLICABLE;
        }
        return read.map(k -> status(k.equals(wanted.get()))).orElse(ProgramResult.FieldStatus.NOT_READABLE);
    }
}
