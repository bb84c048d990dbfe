package io.lorafab.gateway.semtech;

import java.util.Optional;

/** The rxpk {@code stat} field. */
public enum CrcStatus {
    /** {@code 1}: CRC present and correct. */
    OK(1),
    /** {@code 0}: the packet had no CRC. */
    NO_CRC(0),
    /** {@code -1}: CRC present and wrong. */
    BAD(-1);

    private final int code;

    CrcStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<CrcStatus> fromCode(long code) {
        for (CrcStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
