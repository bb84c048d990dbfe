package io.lorafab.gateway.semtech;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the multi-antenna {@code rsig} array of an rxpk (v2 forwarders for multi-antenna
 * concentrators): the reception of the packet on one antenna.
 *
 * @param ant    antenna index
 * @param chan   concentrator IF channel on that antenna
 * @param rssic  channel RSSI in dBm
 * @param rssis  signal RSSI in dBm, if reported
 * @param rssisd standard deviation of the signal RSSI, if reported
 * @param lsnr   LoRa SNR in dB, if reported
 * @param etime  encrypted fine timestamp, kept as the text sent (base64, not decoded; printable ASCII), if reported
 * @param ftime  fine timestamp in ns, if reported
 * @param foff   frequency offset in Hz, if reported
 */
public record Rsig(int ant, int chan, int rssic, Optional<Integer> rssis, Optional<Integer> rssisd,
        Optional<Double> lsnr, Optional<String> etime, Optional<Long> ftime, Optional<Long> foff) {

    /** Highest {@code rssic}; ties go to the higher {@code lsnr} (absent counts lowest), then the earlier entry. */
    static final Comparator<Rsig> QUALITY = Comparator.comparingInt(Rsig::rssic)
            .thenComparingDouble(r -> r.lsnr().orElse(Double.NEGATIVE_INFINITY));

    public Rsig {
        Limits.checkRange("rsig.ant", ant, 0, Limits.MAX_CHAIN);
        Limits.checkRange("rsig.chan", chan, 0, Limits.MAX_CHAIN);
        Limits.checkRange("rsig.rssic", rssic, Limits.MIN_RSSI, Limits.MAX_RSSI);
        Limits.checkOptRange("rsig.rssis", rssis, Limits.MIN_RSSI, Limits.MAX_RSSI);
        Limits.checkOptRange("rsig.rssisd", rssisd, 0, Limits.MAX_RSSI);
        Limits.checkOptRange("rsig.lsnr", lsnr, Limits.MIN_SNR, Limits.MAX_SNR);
        lsnr = Limits.normZero(lsnr);
        Limits.present(etime, "rsig.etime").ifPresent(e -> {
            if (!isPrintableAscii(e)) {
                throw new IllegalArgumentException("rsig.etime must be printable ASCII");
            }
        });
        Limits.present(ftime, "rsig.ftime");
        Limits.present(foff, "rsig.foff");
    }

    /** Whether {@code s} has only characters 0x20..0x7e (the etime is base64 text). */
    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** An entry with only antenna, channel, channel RSSI and SNR. */
    public static Rsig of(int ant, int chan, int rssic, double lsnr) {
        return new Rsig(ant, chan, rssic, Optional.empty(), Optional.empty(), Optional.of(lsnr), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * The best antenna of a list: highest channel RSSI, then highest SNR, then the first one.
     */
    public static Optional<Rsig> best(List<Rsig> antennas) {
        Objects.requireNonNull(antennas, "antennas");
        Rsig best = null;
        for (Rsig r : antennas) {
            if (best == null || QUALITY.compare(r, best) > 0) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }
}
