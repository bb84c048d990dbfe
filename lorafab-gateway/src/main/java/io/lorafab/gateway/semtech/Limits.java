package io.lorafab.gateway.semtech;

import java.util.Optional;

/** Value ranges shared by the record constructors and the decoder, so that both agree. */
final class Limits {
    static final long UINT32_MAX = 0xFFFF_FFFFL;
    static final int MIN_RSSI = -1000;
    static final int MAX_RSSI = 1000;
    static final double MIN_SNR = -1000.0;
    static final double MAX_SNR = 1000.0;
    static final long MIN_FREQUENCY_HZ = 1_000_000L;
    static final long MAX_FREQUENCY_HZ = 10_000_000_000L;
    static final int MAX_CHAIN = 255;
    static final int MAX_PAYLOAD = 65_535;

    private Limits() {
    }

    static long checkRange(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    static double checkRange(String what, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(what + " must be a finite number " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    static <T> Optional<T> present(Optional<T> o, String what) {
        if (o == null) {
            throw new NullPointerException(what + " must not be null (use Optional.empty())");
        }
        return o;
    }

    static void checkOptRange(String what, Optional<? extends Number> o, long min, long max) {
        present(o, what).ifPresent(v -> checkRange(what, v.longValue(), min, max));
    }

    static void checkOptRange(String what, Optional<Double> o, double min, double max) {
        present(o, what).ifPresent(v -> checkRange(what, v, min, max));
    }

    /** Maps -0.0 to 0.0 so that values survive a JSON round trip unchanged. */
    static Optional<Double> normZero(Optional<Double> o) {
        return present(o, "value").map(v -> v == 0.0 ? 0.0 : v);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
