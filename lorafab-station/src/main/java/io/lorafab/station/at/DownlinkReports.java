package io.lorafab.station.at;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** What the dialects share in reading a module's report of a received downlink. */
final class DownlinkReports {
    private DownlinkReports() {
    }

    /** The first report among {@code lines} that {@code parse} recognises. */
    static Optional<ReceivedDownlink> first(List<String> lines, Function<String, Optional<ReceivedDownlink>> parse) {
        return lines.stream().map(parse).flatMap(Optional::stream).findFirst();
    }

    /**
     * Waits up to {@code timeout} for a line {@code parse} recognises; empty when none came in time. A serial line
     * that has gone is thrown on ({@code port_unavailable}).
     */
    static Optional<ReceivedDownlink> await(AtTransport t, Function<String, Optional<ReceivedDownlink>> parse, Duration timeout) {
        try {
            List<String> ev = t.awaitEvent(l -> parse.apply(l).isPresent(), timeout);
            return parse.apply(ev.get(ev.size() - 1));
        } catch (AtException e) {
            if (e.code() != AtException.Code.TIMEOUT) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Hex digits (either case, blanks allowed between bytes) as bytes; null when they are not hex. */
    static byte[] hex(String digits) {
        try {
            return HexFormat.of().parseHex(digits.replace(" ", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
