package io.lorafab.station.line;

import io.lorafab.jose.Jwe;
import io.lorafab.jose.RecipientKey;
import io.lorafab.station.at.Identity;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.IdentityFlasher;
import io.lorafab.station.image.IdentityImage;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.station.process.CommandTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A board whose firmware was programmed once, given only its identity per unit: the station writes the unit's
 * {@link IdentityBlock} alone (as the block, the page holding it, or that page as Intel HEX, padded with the erased
 * value) into a private directory, runs the flasher's write command on it, then its read command if it has one and
 * compares the bytes read back with the block; the files are deleted whatever happened. A tool without a read command
 * (nrfjprog, pyOCD) is trusted with its own verify.
 *
 * <p>Measurements: {@code identityAddress}, {@code flasherExit} / {@code flasherTimedOut}, {@code flasherOutput},
 * {@code readBack} ({@code matched} or {@code flasher-verify}), {@code readerExit} / {@code readerTimedOut},
 * {@code readerOutput}, {@code flashMs}. A write or read that fails is {@code flash_failed}; bytes read back that differ
 * from the block are {@code readback_mismatch}.
 *
 * <p>A fixture on another machine ({@code encryptTo}): the station writes the three identity files only as JWEs
 * encrypted to that machine's public key ({@code <devEui>.hex.jwe}, {@code .bin.jwe}, {@code .page.bin.jwe}; {@code cty}
 * {@code lfid-hex}, {@code lfid-bin}, {@code lfid-page-bin}), so that the keys cross to the fixture and sit in the
 * station's files only encrypted; the fixture machine opens them with its private key ({@code lorafab decrypt}, or any
 * JOSE tool). There is no read-back then: bytes read back would bring the keys back in the clear, so the fixture's own
 * verify is trusted ({@code readBack} {@code fixture-verify}), and {@code identityFiles} names the key's thumbprint.
 */
public final class IdentityFixture implements Fixture {

    private final long identityAddress;
    private final int pageSize;
    private final byte erased;
    private final IdentityFlasher flasher;
    private final Path scratch;
    private final LongSupplier nanoTime;
    private final RecipientKey encryptTo;

    public IdentityFixture(long identityAddress, int pageSize, byte erased, IdentityFlasher flasher, Path scratch, LongSupplier nanoTime) {
        this(identityAddress, pageSize, erased, flasher, scratch, nanoTime, null);
    }

    /**
     * @param pageSize the flash page (erase unit) that holds the block; the HEX and page files span it
     * @param encryptTo null: identity files in the clear (in the owner-only folder); else the fixture machine's key,
     *     to which every identity file is encrypted; a flasher with a read-back command is then refused
     */
    public IdentityFixture(long identityAddress, int pageSize, byte erased, IdentityFlasher flasher, Path scratch, LongSupplier nanoTime,
            RecipientKey encryptTo) {
        if (encryptTo != null && flasher.readCommand().isPresent()) {
            throw new ImageFormatException("a fixture on another machine verifies its own write: a read-back would bring the keys "
                    + "back in the clear; drop the read-back command");
        }
        this.identityAddress = identityAddress;
        this.pageSize = pageSize;
        this.erased = erased;
        this.flasher = flasher;
        this.scratch = scratch;
        this.nanoTime = nanoTime;
        this.encryptTo = encryptTo;
        IdentityImage.pagedLength(identityAddress, pageSize); // a bad page size is refused before any unit
    }


    @Override
    public Step program(Identity identity, String serial) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identityAddress", String.format("0x%08X", identityAddress));
        byte[] block;
        try {
            block = new IdentityBlock(identity.devEui(), identity.joinEui(), identity.appKey(), identity.nwkKey(),
                    serial == null ? "" : serial).encode();
        } catch (ImageFormatException e) {
            m.put("imageError", e.getMessage());
            return Step.failed("image_error", m);
        }
        long t0 = nanoTime.getAsLong();
        Path dir = null;
        try {
            dir = ImageFixture.privateDirectory(scratch);
            String name = identity.devEui().toString();
            String suffix = encryptTo == null ? "" : ".jwe";
            Path bin = dir.resolve(name + ".bin" + suffix);
            Path pageBin = dir.resolve(name + "-page.bin" + suffix);
            Path hex = dir.resolve(name + ".hex" + suffix);
            write(bin, block.clone(), "lfid-bin");
            write(pageBin, IdentityImage.pageBinary(block, identityAddress, pageSize, erased), "lfid-page-bin");
            write(hex, IdentityImage.pageHex(block, identityAddress, pageSize, erased).getBytes(StandardCharsets.US_ASCII), "lfid-hex");
            if (encryptTo != null) {
                m.put("identityFiles", "encrypted to " + encryptTo.thumbprint());
            }
            Map<String, String> values = new HashMap<>();
            values.put("hex", hex.toString());
            values.put("bin", bin.toString());
            values.put("pagebin", pageBin.toString());
            values.put("address", String.format("0x%08X", identityAddress));
            values.put("pageAddress", String.format("0x%08X", IdentityImage.pageStart(identityAddress, pageSize)));
            values.put("length", Integer.toString(IdentityBlock.SIZE));
            values.put("lengthHex", String.format("0x%X", IdentityBlock.SIZE));
            values.put("devEui", name);
            values.put("serial", serial == null ? "" : serial);
            values.put("readback", dir.resolve("readback.bin").toString());

            CommandTemplate.Result w = run(flasher.writeCommand(), flasher.writeScript(), dir.resolve("write.jlink"), values);
            record(m, "flasher", w, identity);
            if (!w.ok()) {
                m.put("flashMs", (nanoTime.getAsLong() - t0) / 1_000_000);
                return Step.failed("flash_failed", m);
            }
            if (flasher.readCommand().isEmpty()) {
                m.put("readBack", encryptTo == null ? "flasher-verify" : "fixture-verify");
                m.put("flashMs", (nanoTime.getAsLong() - t0) / 1_000_000);
                return Step.done(m);
            }
            CommandTemplate.Result r = run(flasher.readCommand().get(), flasher.readScript(), dir.resolve("read.jlink"), values);
            record(m, "reader", r, identity);
            m.put("flashMs", (nanoTime.getAsLong() - t0) / 1_000_000);
            Path readback = Path.of(values.get("readback"));
            if (!r.ok() || !Files.isRegularFile(readback)) {
                if (r.ok()) {
                    m.put("readBack", "no file");
                }
                return Step.failed("flash_failed", m);
            }
            byte[] got = Files.readAllBytes(readback);
            boolean same = Arrays.equals(got, block)
                    // a tool that reads whole words or pages may hand back more than asked
                    || got.length > block.length && Arrays.equals(Arrays.copyOf(got, block.length), block);
            Arrays.fill(got, (byte) 0);
            m.put("readBack", same ? "matched" : "differs");
            return same ? Step.done(m) : Step.failed("readback_mismatch", m);
        } catch (IOException e) {
            m.put("flasherError", ImageFixture.blankKeys(String.valueOf(e.getMessage()), identity));
            return Step.failed("flash_failed", m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.put("flasherError", "interrupted");
            return Step.failed("flash_failed", m);
        } finally {
            Arrays.fill(block, (byte) 0);
            ImageFixture.deleteTree(dir);
        }
    }

    /** Writes one identity file owner-only, as it is or encrypted to the fixture machine, and wipes {@code plain}. */
    private void write(Path file, byte[] plain, String contentType) throws IOException {
        try {
            ImageFixture.writePrivate(file, encryptTo == null ? plain
                    : Jwe.encrypt(plain, encryptTo, contentType).getBytes(StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static CommandTemplate.Result run(CommandTemplate command, java.util.List<String> script, Path scriptFile, Map<String, String> values)
            throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(values);
        if (!script.isEmpty()) {
            ImageFixture.writePrivate(scriptFile, IdentityFlasher.script(script, values).getBytes(StandardCharsets.UTF_8));
            all.put("script", scriptFile.toString());
        }
        return command.run(all);
    }

    private static void record(Map<String, Object> m, String who, CommandTemplate.Result r, Identity identity) {
        if (r.timedOut()) {
            m.put(who + "TimedOut", true);
        } else {
            m.put(who + "Exit", r.exitCode());
        }
        m.put(who + "Output", ImageFixture.tail(ImageFixture.blankKeys(r.output(), identity)));
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

    @Override
    public String toString() {
        return "IdentityFixture[" + String.format("0x%08X", identityAddress) + ", page " + pageSize + "]";
    }

}
