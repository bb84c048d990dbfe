package io.lorafab.station.at;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Two pseudo-terminals joined back to back by {@code socat}: what one side writes the other reads, as over a
 * null-modem cable. The station opens one end as its serial port ({@link SerialPort#open}), a virtual module
 * the other. Both ends are symbolic links at the paths given; socat removes them when it stops ({@link #close}).
 * A station closing its end does not stop socat, so a station may connect again.
 */
public final class PtyPair implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private final Path stationSide;
    private final Path moduleSide;
    private final Process socat;
    private Path tempDir;

    private PtyPair(Path stationSide, Path moduleSide, Process socat) {
        this.stationSide = stationSide;
        this.moduleSide = moduleSide;
        this.socat = socat;
    }

    /**
     * Starts socat and waits until both links exist.
     *
     * @throws IOException when socat is not installed, exits (e.g. a link path it cannot create), or does not
     *                     make the pair in time; the message says which
     */
    public static PtyPair open(Path stationSide, Path moduleSide) throws IOException {
        if (Files.exists(stationSide, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(stationSide + " already exists (another pseudo-terminal or file)");
        }
        Process p;
        try {
            p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + stationSide, "pty,raw,echo=0,link=" + moduleSide)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage()).replaceFirst("^Cannot run program \"socat\"(: error=\\d+, )?", "");
            throw new IOException("socat is needed for pseudo-terminals and could not be started (" + why
                    + "); install it: apt-get install socat", e);
        }
        PtyPair pair = new PtyPair(stationSide, moduleSide, p);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (!(Files.exists(stationSide) && Files.exists(moduleSide))) {
                if (!p.isAlive()) {
                    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    throw new IOException("socat could not make a pseudo-terminal pair at " + stationSide
                            + (output.isEmpty() ? "" : ": " + output.lines().reduce((a, b) -> b).orElse("")));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("socat did not make a pseudo-terminal pair at " + stationSide + " within " + START_TIMEOUT);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pair.close();
            throw new IOException("interrupted while socat was starting", e);
        } catch (IOException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /** A pair whose module end is a fresh link in a temporary folder. */
    public static PtyPair open(Path stationSide) throws IOException {
        Path dir = Files.createTempDirectory("lorafab-pty");
        return inTemp(dir, () -> open(stationSide, dir.resolve("module")));
    }

    /** A pair with both ends in a fresh temporary folder. */
    public static PtyPair open() throws IOException {
        Path dir = Files.createTempDirectory("lorafab-pty");
        return inTemp(dir, () -> open(dir.resolve("station"), dir.resolve("module")));
    }

    private interface Opener {
        PtyPair open() throws IOException;
    }

    /** Opens a pair with a link in {@code dir}, which is removed again when the pair closes (or fails to open). */
    private static PtyPair inTemp(Path dir, Opener opener) throws IOException {
        try {
            PtyPair pair = opener.open();
            pair.tempDir = dir;
            return pair;
        } catch (IOException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    /** The end a station opens as its serial port. */
    public Path stationSide() {
        return stationSide;
    }

    /** The end the (virtual) module answers on. */
    public Path moduleSide() {
        return moduleSide;
    }

    public boolean isAlive() {
        return socat.isAlive();
    }

    /** Stops socat (SIGTERM; it removes both links) and waits for it. */
    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tempDir != null) {
            try {
                Files.deleteIfExists(tempDir); // empty once socat removed its link
            } catch (IOException notEmpty) {
                // leave it
            }
        }
    }

    @Override
    public String toString() {
        return "PtyPair[" + stationSide + " <-> " + moduleSide + "]";
    }
}
