package io.lorafab.station.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.process.CommandTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Identity blocks patched into Intel HEX and binary images, checked against srec_cat (Debian's srecord). */
class ImageProgrammingTest {

    static final IdentityBlock BLOCK = new IdentityBlock(Eui64.parse("0004a30b001c0530"), Eui64.parse("70b3d57ed0000001"),
            AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), Optional.of(AesKey.parse("000102030405060708090a0b0c0d0e0f")), "SN-000042");

    @TempDir
    Path dir;

    static String srecCat(Path dir, String... args) throws Exception {
        return srecord(dir, "srec_cat", args);
    }

    static String srecInfo(Path dir, String... args) throws Exception {
        return srecord(dir, "srec_info", args);
    }

    static String srecord(Path dir, String tool, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = tool;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s %s: %s", tool, String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void identityBlockLayout() {
        byte[] b = BLOCK.encode();
        assertThat(b).hasSize(92);
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("LFID");
        assertThat(b[5]).isEqualTo((byte) 1);
        assertThat(IdentityBlock.decode(b)).isEqualTo(BLOCK);
        b[30] ^= 1;
        assertThatThrownBy(() -> IdentityBlock.decode(b)).hasMessageContaining("CRC-32");
        assertThat(BLOCK.toString()).doesNotContain("2b7e15");
    }

    @Test
    void ourHexReadsLikeSrecCatReadsIt() throws Exception {
        // A firmware image with two regions, one crossing a 64 KiB boundary.
        byte[] code = new byte[3000];
        new Random(7).nextBytes(code);
        MemoryImage image = MemoryImage.ofBinary(0x0800_0000L, code);
        image.write(0x0800_FF00L, new byte[0x200]);
        Path hex = dir.resolve("fw.hex");
        Files.writeString(hex, IntelHex.write(image, 16));
        // srec_cat's binary output starts at address 0, so shift the image down to its base first (unshifted, the
        // file would be a 128 MiB hole followed by the firmware).
        srecCat(dir, "fw.hex", "-intel", "-offset", "-0x08000000", "-o", "rel.bin", "-binary");
        byte[] rel = Files.readAllBytes(dir.resolve("rel.bin"));
        assertThat(rel).hasSize((int) (image.endAddress() - 0x0800_0000L));
        assertThat(java.util.Arrays.copyOf(rel, code.length)).isEqualTo(code);

        // srec_cat writes a HEX of its own; we read it back to the same memory.
        srecCat(dir, "fw.hex", "-intel", "-o", "theirs.hex", "-intel");
        MemoryImage theirs = IntelHex.read(Files.readString(dir.resolve("theirs.hex")));
        assertThat(theirs.read(0x0800_0000L, (int) (image.endAddress() - 0x0800_0000L), (byte) 0))
                .isEqualTo(image.read(0x0800_0000L, (int) (image.endAddress() - 0x0800_0000L), (byte) 0));
    }

    @Test
    void patchedHexCarriesTheBlockWhereSrecCatSeesIt() throws Exception {
        byte[] code = new byte[1024];
        new Random(1).nextBytes(code);
        String fw = IntelHex.write(MemoryImage.ofBinary(0x0800_0000L, code), 32);
        String patched = ImagePatcher.patchHex(fw, 0x0803_F000L, BLOCK);
        Files.writeString(dir.resolve("patched.hex"), patched);
        srecCat(dir, "patched.hex", "-intel", "-crop", "0x0803F000", "0x0803F05C", "-offset", "-0x0803F000", "-o", "block.bin", "-binary");
        assertThat(IdentityBlock.decode(Files.readAllBytes(dir.resolve("block.bin")))).isEqualTo(BLOCK);
        assertThat(IntelHex.read(patched).read(0x0800_0000L, 1024, (byte) 0)).isEqualTo(code);
    }

    @Test
    void srecCatsStartAddressSurvivesPatching() throws Exception {
        // A firmware as a build writes it: srec_cat turns a binary into Intel HEX with a start linear address
        // record (type 05) before the end-of-file record, as arm-none-eabi-objcopy does.
        byte[] code = new byte[2048];
        new Random(3).nextBytes(code);
        Files.write(dir.resolve("fw.bin"), code);
        srecCat(dir, "fw.bin", "-binary", "-offset", "0x08000000", "-o", "fw.hex", "-intel", "-execution-start-address", "0x080001C5");
        String fw = Files.readString(dir.resolve("fw.hex"));
        assertThat(fw).as("srec_cat's own output").contains(":04000005080001C529");
        assertThat(IntelHex.read(fw).startAddress()).contains(new StartAddress.Linear(0x0800_01C5L));

        String patched = ImagePatcher.patchHex(fw, 0x0800_0700L, BLOCK);
        assertThat(patched).endsWith(":04000005080001C529\n:00000001FF\n");
        Files.writeString(dir.resolve("patched.hex"), patched);
        assertThat(srecInfo(dir, "patched.hex", "-intel")).contains("Execution Start Address: 080001C5");
        srecCat(dir, "patched.hex", "-intel", "-o", "patched.srec", "-motorola");
        assertThat(Files.readString(dir.resolve("patched.srec"))).as("S7: the 32-bit start address record").contains("S705080001C52C");
        srecCat(dir, "patched.hex", "-intel", "-crop", "0x08000700", "0x0800075C", "-offset", "-0x08000700", "-o", "block.bin", "-binary");
        assertThat(IdentityBlock.decode(Files.readAllBytes(dir.resolve("block.bin")))).isEqualTo(BLOCK);
    }

    @Test
    void startSegmentAddressReadsAsSrecCatReadsIt() throws Exception {
        // srec_cat knows CS:IP only as the linear address CS * 16 + IP; what we write must mean the same to it.
        MemoryImage image = MemoryImage.ofBinary(0x0100L, new byte[] {1, 2, 3, 4});
        image.setStartAddress(new StartAddress.Segment(0x0012, 0x0345));
        Files.writeString(dir.resolve("seg.hex"), IntelHex.write(image, 16));
        assertThat(srecInfo(dir, "seg.hex", "-intel")).contains("Execution Start Address: 00000465");
    }

    /** Four data bytes at address 0, as {@link IntelHex#write} writes them. */
    static final String DATA = ":020000040000FA\n:0400000001020304F2\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Cortex-M reset handler (objcopy) | :04000005080001C529 | 05 | 080001C5",
            "linear zero                      | :0400000500000000F7 | 05 | 00000000",
            "linear top of 32 bits            | :04000005FFFFFFFFFB | 05 | FFFFFFFF",
            "8086 reset vector                | :04000003F000FFF01A | 03 | F000:FFF0",
            "segment and offset               | :04000003001203459F | 03 | 0012:0345",
            "segment zero                     | :0400000300000000F9 | 03 | 0000:0000",
    })
    void startAddressRecordIsKeptAndWrittenBack(String name, String record, String type, String value) {
        StartAddress expected = type.equals("03")
                ? new StartAddress.Segment(Integer.parseInt(value.substring(0, 4), 16), Integer.parseInt(value.substring(5), 16))
                : new StartAddress.Linear(Long.parseLong(value, 16));
        MemoryImage image = IntelHex.read(DATA + record + "\n:00000001FF\n");
        assertThat(image.startAddress()).contains(expected);
        assertThat(IntelHex.write(image, 16)).isEqualTo(DATA + record + "\n:00000001FF\n");
    }

    @Test
    void startAddressMayComeFirstAndBeRepeated() {
        MemoryImage image = IntelHex.read(":04000005080001C529\n" + DATA + ":04000005080001C529\n:00000001FF\n");
        assertThat(image.startAddress()).contains(new StartAddress.Linear(0x0800_01C5L));
        assertThat(IntelHex.write(image, 16)).isEqualTo(DATA + ":04000005080001C529\n:00000001FF\n");
    }

    @Test
    void imageWithoutStartAddressIsWrittenWithoutOne() {
        MemoryImage image = IntelHex.read(DATA + ":00000001FF\n");
        assertThat(image.startAddress()).isEmpty();
        assertThat(IntelHex.write(image, 16)).isEqualTo(DATA + ":00000001FF\n");
    }

    @Test
    void binaryPatchStaysInsideTheImage() {
        byte[] bin = new byte[4096];
        byte[] patched = ImagePatcher.patchBinary(bin, 0x0800_0000L, 0x0800_0F00L, BLOCK);
        byte[] block = java.util.Arrays.copyOfRange(patched, 0xF00, 0xF00 + 92);
        assertThat(IdentityBlock.decode(block)).isEqualTo(BLOCK);
        assertThatThrownBy(() -> ImagePatcher.patchBinary(bin, 0x0800_0000L, 0x0800_0FD0L, BLOCK))
                .hasMessageContaining("outside the binary image");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad checksum       | :0400000001020304F1\\n:00000001FF | line 1: checksum mismatch",
            "no colon           | 0400000001020304F2\\n:00000001FF  | line 1: not an Intel HEX record",
            "count mismatch     | :0500000001020304F1\\n:00000001FF | line 1: byte count 5 does not match the record length",
            "unknown type       | :00000006FA\\n:00000001FF         | line 1: unknown record type 6",
            "no end of file     | :0400000001020304F2               | no end-of-file record",
            "data after EOF     | :00000001FF\\n:0400000001020304F2 | line 2: data after the end-of-file record",
            "bad digit          | :04000000010203G4F2\\n:00000001FF | line 1: not a hex digit",
            "short start linear | :03000005080001EF\\n:00000001FF   | line 1: record type 5 needs 4 bytes, got 3",
            "long start segment | :0500000300120345009E\\n:00000001FF | line 1: record type 3 needs 4 bytes, got 5",
            "two start linear   | :04000005080001C529\\n:04000005080001C02E\\n:00000001FF | line 2: start linear address 080001C0 differs from the start linear address 080001C5 on line 1",
            "segment, linear    | :04000003080001C52B\\n:0400000001020304F2\\n:04000005080001C529\\n:00000001FF | line 3: start linear address 080001C5 differs from the start segment address 0800:01C5 on line 1",
    })
    void malformedHexIsRefusedWithItsLine(String name, String text, String message) {
        assertThatThrownBy(() -> IntelHex.read(text.replace("\\n", "\n"))).isInstanceOf(ImageFormatException.class).hasMessage(message);
    }

    @Test
    void flasherCommandRunsWithTheImagePath() throws Exception {
        Path img = dir.resolve("my image.hex");
        Files.writeString(img, ":00000001FF\n");
        FlasherCommand ok = new FlasherCommand("sh -c \"wc -c < '{image}' && echo programmed\"", Duration.ofSeconds(10));
        CommandTemplate.Result r = ok.run(img);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.output()).contains("12").contains("programmed");
        assertThat(new FlasherCommand("sh -c \"echo no probe >&2; exit 3\" {image}", Duration.ofSeconds(10)).run(img))
                .satisfies(x -> {
                    assertThat(x.exitCode()).isEqualTo(3);
                    assertThat(x.output()).contains("no probe");
                });
        CommandTemplate.Result slow = new FlasherCommand("sh -c \"sleep 30\" {image}", Duration.ofMillis(300)).run(img);
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.ok()).isFalse();
        assertThatThrownBy(() -> new FlasherCommand("openocd -c \"program", Duration.ofSeconds(1)).arguments(img))
                .hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> new FlasherCommand("openocd", Duration.ofSeconds(1)).arguments(img))
                .hasMessageContaining("{image}");
    }
}
