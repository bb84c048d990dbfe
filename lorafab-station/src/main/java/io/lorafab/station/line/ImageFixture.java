package io.lorafab.station.line;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.Identity;
import io.lorafab.station.image.FlasherCommand;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.station.image.ImagePatcher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.process.CommandTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * A board without an AT interface, programmed by an external flasher: for each unit a copy of the firmware
 * image with the unit's {@link IdentityBlock} at the configured address (Intel HEX, or a raw binary loaded at
 * a base address) is written into a private directory (owner-only), the flasher template runs on it
 * ({@code {image}}, {@code {devEui}}, {@code {serial}}), and the copy is deleted whatever happened. The keys
 * are in that file only: never on the command line, in the measurements or in the logs (the flasher's output
 * is kept with the unit's key digits blanked out, in case a verbose flasher dumps memory).
 *
 * <p>Measurements: {@code image}, {@code identityAddress}, {@code flasherExit} (absent when killed),
 * {@code flasherTimedOut}, {@code flasherOutput} (the last 4 KiB), {@code flashMs}. A flasher that exits
 * non-zero, outlives its timeout (it is killed) or cannot be started fails the unit with {@code flash_failed}.
 * The flasher resets the board, whose firmware then joins and sends its first uplink by itself.
 */
public final class ImageFixture implements Fixture {

    /** How much of the flasher's output goes into the test record. */
    public static final int OUTPUT_KEPT = 4096;

    /** The firmware file's format, told by its name. */
    public enum Format {
        INTEL_HEX(".hex"), BINARY(".bin");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }

        /** {@code .hex}, {@code .ihex}, {@code .ihx} → Intel HEX; {@code .bin} → binary; anything else is refused. */
        public static Format of(Path image) {
            String n = image.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".hex") || n.endsWith(".ihex") || n.endsWith(".ihx")) {
                return INTEL_HEX;
            }
            if (n.endsWith(".bin")) {
                return BINARY;
            }
            throw new ImageFormatException("image " + image.getFileName() + ": expected an Intel HEX (.hex) or binary (.bin) file");
        }
    }

    private final Path image;
    private final Format format;
    private final long binaryBase;
    private final long identityAddress;
    private final FlasherCommand flasher;
    private final Path scratch;
    private final LongSupplier nanoTime;
    private final String hex;
    private final byte[] binary;

    /**
     * Reads and checks the firmware once: a malformed Intel HEX file, a block that would not fit in the
     * binary, or a flasher template without {@code {image}} is refused here, before any unit is reserved.
     *
     * @param binaryBase the address a binary image is loaded at (unused for Intel HEX, which carries its addresses)
     * @param scratch where the per-unit private directories are made; null for the system's temporary directory
     */
    public ImageFixture(Path image, long binaryBase, long identityAddress, FlasherCommand flasher, Path scratch, LongSupplier nanoTime)
            throws IOException {
        this.image = image;
        this.format = Format.of(image);
        this.binaryBase = binaryBase;
        this.identityAddress = identityAddress;
        this.flasher = flasher;
        this.scratch = scratch;
        this.nanoTime = nanoTime;
        if (format == Format.INTEL_HEX) {
            this.hex = Files.readString(image, StandardCharsets.US_ASCII);
            this.binary = null;
        } else {
            this.hex = null;
            this.binary = Files.readAllBytes(image);
        }
        IdentityBlock probe = new IdentityBlock(Eui64.of(0), Eui64.of(0), AesKey.of(new byte[16]), Optional.empty(), "");
        try {
            patched(probe);
        } catch (ImageFormatException e) {
            throw new ImageFormatException("image " + image.getFileName() + ": " + e.getMessage());
        }
        flasher.arguments(image);
    }

    @Override
    public Step program(Identity identity, String serial) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image.getFileName().toString());
        m.put("identityAddress", String.format("0x%08X", identityAddress));
        byte[] patched;
        try {
            patched = patched(new IdentityBlock(identity.devEui(), identity.joinEui(), identity.appKey(), identity.nwkKey(),
                    serial == null ? "" : serial));
        } catch (ImageFormatException e) {
            m.put("imageError", e.getMessage());
            return Step.failed("image_error", m);
        }
        long t0 = nanoTime.getAsLong();
        Path dir = null;
        try {
            dir = privateDirectory();
            Path file = dir.resolve(identity.devEui() + format.extension());
            writePrivate(file, patched);
            Arrays.fill(patched, (byte) 0);
            Map<String, String> values = Map.of("devEui", identity.devEui().toString(), "serial", serial == null ? "" : serial);
            CommandTemplate.Result r = flasher.run(file, values);
            if (r.timedOut()) {
                m.put("flasherTimedOut", true);
            } else {
                m.put("flasherExit", r.exitCode());
            }
            m.put("flasherOutput", tail(blankKeys(r.output(), identity)));
            m.put("flashMs", (nanoTime.getAsLong() - t0) / 1_000_000);
            return r.ok() ? Step.done(m) : Step.failed("flash_failed", m);
        } catch (IOException e) {
            m.put("flasherError", blankKeys(String.valueOf(e.getMessage()), identity));
            return Step.failed("flash_failed", m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.put("flasherError", "interrupted");
            return Step.failed("flash_failed", m);
        } finally {
            deleteTree(dir);
        }
    }

    @Override
    public boolean joinsByItself() {
        return true;
    }

    /** Nothing to do: the firmware joins after the flasher's reset. */
    @Override
    public Step join(Duration timeout) {
        return Step.done(Map.of());
    }

    /** Nothing to do: the firmware sends its first uplink once joined. */
    @Override
    public Step sendUplink(int port, byte[] payload, Duration timeout) {
        return Step.done(Map.of());
    }

    private byte[] patched(IdentityBlock block) {
        if (format == Format.INTEL_HEX) {
            return ImagePatcher.patchHex(hex, identityAddress, block).getBytes(StandardCharsets.US_ASCII);
        }
        return ImagePatcher.patchBinary(binary, binaryBase, identityAddress, block);
    }

    private Path privateDirectory() throws IOException {
        return privateDirectory(scratch);
    }

    /** A new directory only this user can read, under {@code scratch} (null: the system's temporary directory). */
    static Path privateDirectory(Path scratch) throws IOException {
        Path root = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
        if (posix()) {
            return Files.createTempDirectory(root, "lorafab-image-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory(root, "lorafab-image-");
    }

    static void writePrivate(Path file, byte[] bytes) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.write(file, bytes);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (IOException e) {
            paths.add(dir);
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a flasher that left a file behind in a directory only this user can read; nothing more to do
            }
        }
    }

    /**
     * The output with the unit's keys replaced, in either case and also as a byte dump ({@code 2B 7E 15 ...},
     * {@code 2b:7e:...}); a flasher has no business printing them, but a verbose one may dump memory.
     */
    static String blankKeys(String output, Identity identity) {
        String out = output;
        List<AesKey> keys = new ArrayList<>();
        keys.add(identity.appKey());
        identity.nwkKey().ifPresent(keys::add);
        for (AesKey k : keys) {
            String hexKey = k.toHex();
            StringBuilder pattern = new StringBuilder("(?i)");
            for (int i = 0; i < hexKey.length(); i += 2) {
                pattern.append(i == 0 ? "" : "[ :-]?").append(hexKey, i, i + 2);
            }
            out = out.replaceAll(pattern.toString(), "<redacted>");
        }
        return out;
    }

    static String tail(String output) {
        return output.length() <= OUTPUT_KEPT ? output : "..." + output.substring(output.length() - OUTPUT_KEPT);
    }

    @Override
    public String toString() {
        return "ImageFixture[" + image.getFileName() + " @ " + String.format("0x%08X", identityAddress) + "]";
    }
}
