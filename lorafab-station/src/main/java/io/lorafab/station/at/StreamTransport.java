package io.lorafab.station.at;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@link AtTransport} over a byte stream pair (a serial port's streams). A daemon thread splits input into
 * lines (CR, LF or CRLF; empty lines dropped). {@link #command} discards stale lines, writes the command and
 * collects lines until {@code isFinal} matches; lines that arrive after that are kept for
 * {@link #awaitEvent}. An unsolicited line that arrives while a command is pending becomes part of that
 * command's response (the dialects only look at the final line and the value lines they expect). When the input
 * ends — the port went away (a USB-serial adapter unplugged, a PTY's other end gone) — a waiting command or event
 * fails {@code port_unavailable} at once, and {@link #whenLineClosed} completes, for a station waiting on something
 * else to notice.
 *
 * <p>Never logs: lines may carry keys.
 */
public final class StreamTransport implements AtTransport, AutoCloseable {

    private static final String EOF = new String("<eof>");

    private final OutputStream out;
    private final Predicate<String> isFinal;
    private final String terminator;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final CompletableFuture<Void> lineClosed = new CompletableFuture<>();
    private final java.util.function.ToIntFunction<String> rawAfter;

    /** The start of the line that carries raw bytes read after a header line, as hex. */
    public static final String RAW_DATA = "<raw>";

    /**
     * @param isFinal    the dialect's final status line, see {@link #finalLineOf(String)}
     * @param terminator line end the module expects ({@link Dialects.Entry#lineEnding()}: {@code "\r\n"}; Murata ABZ takes {@code "\r"})
     */
    public StreamTransport(InputStream in, OutputStream out, Predicate<String> isFinal, String terminator) {
        this(in, out, isFinal, terminator, l -> -1);
    }

    /**
     * Lines that {@link #RAW_DATA} follow: a module that writes a received payload as raw bytes after a header line
     * (Murata's {@code +RECV=<port>,<length>}, a blank line, then the bytes) cannot be read as lines, since a payload
     * byte may be CR or LF. {@code rawAfter} gives, for a header line, how many raw bytes follow it (else a negative
     * number); they are handed on as the next line: {@link #RAW_DATA} and their hex digits.
     */
    public StreamTransport(InputStream in, OutputStream out, Predicate<String> isFinal, String terminator,
            java.util.function.ToIntFunction<String> rawAfter) {
        this.rawAfter = Objects.requireNonNull(rawAfter, "rawAfter");
        this.out = Objects.requireNonNull(out, "out");
        this.isFinal = Objects.requireNonNull(isFinal, "isFinal");
        this.terminator = Objects.requireNonNull(terminator, "terminator");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        this.reader = new Thread(() -> pump(r), "at-transport-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Final-status predicate of each dialect, by {@link AtDialect#name()} or command-line name ({@link Dialects}). */
    public static Predicate<String> finalLineOf(String dialect) {
        try {
            return Dialects.byName(dialect).finalLine();
        } catch (AtException e) {
            throw new IllegalArgumentException("unknown dialect " + dialect);
        }
    }

    private void pump(BufferedReader r) {
        try {
            String l;
            while ((l = r.readLine()) != null) {
                String s = l.strip();
                if (!s.isEmpty()) {
                    lines.add(s);
                }
                int raw = s.isEmpty() ? -1 : rawAfter.applyAsInt(s);
                if (raw >= 0) {
                    lines.add(rawBytes(r, raw));
                }
            }
        } catch (IOException e) {
            // stream closed: end of input
        }
        lines.add(EOF);
        lineClosed.complete(null);
    }

    /**
     * After a header line: the rest of the blank line that ends it (readLine has taken its CR, and the LF after a CR is
     * skipped by the reader itself), then {@code n} bytes as they come (ISO-8859-1 maps each byte to one char).
     */
    private static String rawBytes(BufferedReader r, int n) throws IOException {
        int c;
        while ((c = r.read()) != -1 && c != '\n') {
            // the blank line's CR
        }
        StringBuilder hex = new StringBuilder(RAW_DATA);
        for (int i = 0; i < n && (c = r.read()) != -1; i++) {
            hex.append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
        }
        return hex.toString();
    }

    /**
     * Completes (on the reader thread) once the serial line's input has ended: the port went away or its other end
     * closed. Never completes while the line is up, however quiet; after {@link #close} it may or may not.
     */
    public CompletionStage<Void> whenLineClosed() {
        return lineClosed.minimalCompletionStage();
    }

    @Override
    public List<String> command(String line, Duration timeout) {
        return send(line, null, isFinal, timeout);
    }

    @Override
    public List<String> commandWithData(String line, byte[] data, Duration timeout) {
        return send(line, data, isFinal, timeout);
    }

    @Override
    public List<String> commandUntil(String line, Predicate<String> until, Duration timeout) {
        return send(line, null, Objects.requireNonNull(until, "until"), timeout);
    }

    private synchronized List<String> send(String line, byte[] data, Predicate<String> isFinal, Duration timeout) {
        lines.removeIf(l -> l != EOF);
        try {
            out.write((line + terminator).getBytes(StandardCharsets.ISO_8859_1));
            if (data != null) {
                out.write(data);
            }
            out.flush();
        } catch (IOException e) {
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "cannot write to the serial port: " + e.getMessage());
        }
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String l = next(deadline);
            if (l == null) {
                closedCheck();
                throw new AtException(AtException.Code.TIMEOUT, "no final status for " + AtSession.labelOf(line)
                        + " within " + timeout);
            }
            got.add(l);
            if (isFinal.test(l)) {
                return got;
            }
        }
    }

    @Override
    public synchronized List<String> awaitEvent(Predicate<String> until, Duration timeout) {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String l = next(deadline);
            if (l == null) {
                closedCheck();
                throw new AtException(AtException.Code.TIMEOUT, "no awaited event within " + timeout);
            }
            got.add(l);
            if (until.test(l)) {
                return got;
            }
        }
    }

    /** The serial line has ended (the port went away, or the module's side closed): no answer can come any more. */
    private void closedCheck() {
        if (lines.peek() == EOF) {
            throw new AtException(AtException.Code.PORT_UNAVAILABLE, "the serial line has closed");
        }
    }

    /** Next line before the deadline, or null on timeout or end of input. */
    private String next(long deadline) {
        try {
            long left = deadline - System.nanoTime();
            String l = left <= 0 ? lines.poll() : lines.poll(left, TimeUnit.NANOSECONDS);
            if (l == EOF) {
                lines.add(EOF);
                return null;
            }
            return l;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtException(AtException.Code.TIMEOUT, "interrupted while waiting for the module");
        }
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
