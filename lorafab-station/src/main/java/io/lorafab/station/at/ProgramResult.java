package io.lorafab.station.at;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Outcome of {@link Programmer#program}: module info and a per-field read-back status. */
public record ProgramResult(ModuleInfo module, Map<Field, FieldStatus> fields) {

    public enum Field {
        DEV_EUI("DevEUI"), JOIN_EUI("JoinEUI"), APP_KEY("AppKey"), NWK_KEY("NwkKey");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum FieldStatus {
        MATCH, MISMATCH,
        /** The dialect cannot read this field back; it was written but not verified. */
        NOT_READABLE,
        /** Not programmed (e.g. no NwkKey on a 1.0.x identity). */
        NOT_APPLICABLE
    }

    public ProgramResult {
        fields = Collections.unmodifiableMap(new EnumMap<>(fields));
    }

    public boolean ok() {
        return !fields.containsValue(FieldStatus.MISMATCH);
    }

    public List<Field> mismatches() {
        return fields.entrySet().stream().filter(e -> e.getValue() == FieldStatus.MISMATCH).map(Map.Entry::getKey)
                .toList();
    }

    /** Throws {@code readback_mismatch} naming the differing fields (never their values) unless {@link #ok()}. */
    public ProgramResult requireOk() {
        if (!ok()) {
            throw new AtException(AtException.Code.READBACK_MISMATCH, "read back differs in "
                    + String.join(", ", mismatches().stream().map(Field::label).toList()));
        }
        return this;
    }
}
