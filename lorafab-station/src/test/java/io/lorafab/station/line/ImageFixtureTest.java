package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.Identity;
import io.lorafab.station.image.FlasherCommand;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image fixture with real flasher processes (sh scripts standing in for openocd). */
class ImageFixtureTest {

    static final long BASE = 0x0800_0000L;
    static final long ADDRESS = 0x0803_F800L;
    static final Identity ID = new Identity(Eui64.parse("70b3d57ed0070001"), Eui64.parse("70b3d57ed0000001"),
            AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), Optional.of(AesKey.parse("000102030405060708090a0b0c0d0e0f")));

    @TempDir
    Path dir;
    Path scratch;
    Path captured;
    byte[] code;

    @BeforeEach
    void setUp() throws IOException {
        scratch = Files.createDirectories(dir.resolve("scratch"));
        captured = Files.createDirectories(dir.resolve("captured"));
        code = new byte[4096];
        new Random(5).nextBytes(code);
    }

    /** A flasher script: keeps a copy of the image, reports its permissions and the other placeholders. */
    Path spyFlasher() throws IOException {
        return Files.writeString(dir.resolve("spy.sh"), String.join("\n",
                "cp \"$1\" '" + captured + "/'",
                "stat -c 'mode %a' \"$1\" \"$(dirname \"$1\")\"",
                "echo \"devEui=$2 serial=$3\"",
                "echo 'programmed, verified, reset'", ""));
    }

    ImageFixture fixture(Path image, String template, Duration timeout) throws IOException {
        return new ImageFixture(image, BASE, ADDRESS, new FlasherCommand(template, timeout), scratch, System::nanoTime);
    }

    Path hexImage() throws IOException {
        return Files.writeString(dir.resolve("fw.hex"), IntelHex.write(MemoryImage.ofBinary(BASE, code), 16));
    }

    Path binImage(int size) throws IOException {
        return Files.write(dir.resolve("fw.bin"), Arrays.copyOf(code, size));
    }

    static void assertNoKeys(Object text) {
        for (String k : new String[] {"2b7e151628aed2a6abf7158809cf4f3c", "000102030405060708090a0b0c0d0e0f"}) {
            assertThat(String.valueOf(text)).doesNotContainIgnoringCase(k);
        }
    }

    @Test
    void theFlasherGetsAPrivateCopyWithTheBlockThatIsGoneAfterwards() throws Exception {
        ImageFixture f = fixture(hexImage(), "sh " + spyFlasher() + " {image} {devEui} {serial}", Duration.ofSeconds(20));
        Fixture.Step s = f.program(ID, "SN-0042");

        assertThat(s.ok()).as(s.toString()).isTrue();
        assertThat(s.measurements()).containsEntry("flasherExit", 0).containsEntry("image", "fw.hex")
                .containsEntry("identityAddress", "0x0803F800").containsKey("flashMs");
        String output = (String) s.measurements().get("flasherOutput");
        assertThat(output).contains("mode 600").contains("mode 700").contains("devEui=70b3d57ed0070001 serial=SN-0042")
                .contains("programmed, verified, reset");
        assertNoKeys(s.measurements());

        Path copy = captured.resolve("70b3d57ed0070001.hex");
        MemoryImage flashed = IntelHex.read(Files.readString(copy));
        assertThat(IdentityBlock.decode(flashed.read(ADDRESS, IdentityBlock.SIZE, (byte) 0xff)))
                .isEqualTo(new IdentityBlock(ID.devEui(), ID.joinEui(), ID.appKey(), ID.nwkKey(), "SN-0042"));
        assertThat(flashed.read(BASE, code.length, (byte) 0)).isEqualTo(code);
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("per-unit image directories left behind").isEmpty();
        }
        assertThat(f.joinsByItself()).isTrue();
    }

    @Test
    void aBinaryImageIsPatchedInPlace() throws Exception {
        ImageFixture f = fixture(binImage(0x40000), "sh " + spyFlasher() + " {image}", Duration.ofSeconds(20));
        Fixture.Step s = f.program(ID, null);
        assertThat(s.ok()).as(s.toString()).isTrue();
        byte[] flashed = Files.readAllBytes(captured.resolve("70b3d57ed0070001.bin"));
        assertThat(flashed).hasSize(0x40000);
        int at = (int) (ADDRESS - BASE);
        assertThat(IdentityBlock.decode(Arrays.copyOfRange(flashed, at, at + IdentityBlock.SIZE)).devEui()).isEqualTo(ID.devEui());
        assertThat(Arrays.copyOf(flashed, code.length)).isEqualTo(code);
    }

    @Test
    void aFailingFlasherFailsTheUnitWithItsExitCodeAndOutput() throws Exception {
        Fixture.Step s = fixture(hexImage(), "sh -c \"echo Error: no probe found; exit 3\" {image}", Duration.ofSeconds(20))
                .program(ID, "SN-1");
        assertThat(s.ok()).isFalse();
        assertThat(s.reasonCode()).isEqualTo("flash_failed");
        assertThat(s.measurements()).containsEntry("flasherExit", 3);
        assertThat((String) s.measurements().get("flasherOutput")).contains("Error: no probe found");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aHangingFlasherIsKilledWithItsChildren() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path script = Files.writeString(dir.resolve("hang.sh"), "echo 'Info : connecting'\nsleep 60 &\necho $! > '" + pidFile + "'\nwait\n");
        long t0 = System.nanoTime();
        Fixture.Step s = fixture(hexImage(), "sh " + script + " {image}", Duration.ofMillis(800)).program(ID, "SN-1");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(s.reasonCode()).isEqualTo("flash_failed");
        assertThat(s.measurements()).containsEntry("flasherTimedOut", true).doesNotContainKey("flasherExit");
        assertThat((String) s.measurements().get("flasherOutput")).contains("connecting");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50); // SIGKILL is delivered, then the orphan is reaped
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the flasher's child process").isFalse();
    }

    @Test
    void aFlasherThatCannotStartFailsTheUnit() throws Exception {
        Fixture.Step s = fixture(hexImage(), "/nonexistent/openocd -c \"program {image}\"", Duration.ofSeconds(5)).program(ID, "SN-1");
        assertThat(s.reasonCode()).isEqualTo("flash_failed");
        assertThat(String.valueOf(s.measurements().get("flasherError"))).contains("/nonexistent/openocd");
    }

    @Test
    void theFlasherOutputKeptIsItsEndAndHasNoKeys() throws Exception {
        Path script = Files.writeString(dir.resolve("chatty.sh"), String.join("\n",
                "i=0; while [ $i -lt 500 ]; do echo \"Info : line $i of a chatty flasher\"; i=$((i+1)); done",
                "echo 'dump: 2B 7E 15 16 28 AE D2 A6 AB F7 15 88 09 CF 4F 3C'",
                "echo 'dump: 000102030405060708090A0B0C0D0E0F'",
                "echo 'END'", ""));
        Fixture.Step s = fixture(hexImage(), "sh " + script + " {image}", Duration.ofSeconds(20)).program(ID, "SN-1");
        String out = (String) s.measurements().get("flasherOutput");
        assertThat(out.length()).isLessThanOrEqualTo(ImageFixture.OUTPUT_KEPT + 3);
        assertThat(out).startsWith("...").endsWith("END\n").contains("dump: <redacted>");
        assertThat(out.replace(" ", "")).doesNotContainIgnoringCase("2b7e151628aed2a6abf7158809cf4f3c");
        assertNoKeys(out);
    }

    @Test
    void badSettingsAreRefusedBeforeAnyUnit() throws Exception {
        Path hex = hexImage();
        assertThatThrownBy(() -> fixture(Files.writeString(dir.resolve("fw.elf"), "x"), "sh {image}", Duration.ofSeconds(1)))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("expected an Intel HEX (.hex) or binary (.bin) file");
        assertThatThrownBy(() -> fixture(binImage(0x1000), "sh {image}", Duration.ofSeconds(1)))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("outside the binary image");
        assertThatThrownBy(() -> fixture(Files.writeString(dir.resolve("bad.hex"), ":0400000001020304F1\n:00000001FF\n"), "sh {image}",
                Duration.ofSeconds(1))).isInstanceOf(ImageFormatException.class).hasMessageContaining("bad.hex: line 1: checksum mismatch");
        assertThatThrownBy(() -> fixture(hex, "openocd -f board.cfg", Duration.ofSeconds(1)))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("{image}");
    }

    @Test
    void aSerialThatDoesNotFitTheBlockFailsWithoutFlashing() throws Exception {
        Fixture.Step s = fixture(hexImage(), "sh " + spyFlasher() + " {image}", Duration.ofSeconds(5)).program(ID, "S".repeat(40));
        assertThat(s.reasonCode()).isEqualTo("image_error");
        assertThat(s.measurements()).doesNotContainKey("flasherExit");
        try (Stream<Path> copies = Files.list(captured)) {
            assertThat(copies).isEmpty();
        }
    }
}
