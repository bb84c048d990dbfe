package io.lorafab.station.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity block alone, as the page that holds it (binary and Intel HEX), and the flasher presets. */
class IdentityImageTest {

    static final IdentityBlock BLOCK = new IdentityBlock(Eui64.parse("70b3d57ed0070001"), Eui64.parse("70b3d57ed0000001"),
            AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), Optional.empty(), "SN-7");

    @TempDir
    Path dir;

    @Test
    void theHexHoldsOnlyTheBlocksPagePaddedWithTheErasedValue() throws Exception {
        long address = 0x0803_F800L + 0x40; // not page-aligned: the page starts before the block
        String hex = IdentityImage.pageHex(BLOCK.encode(), address, 2048, (byte) 0xff);
        MemoryImage m = IntelHex.read(hex);
        assertThat(m.segments()).hasSize(1).containsOnlyKeys(0x0803_F800L);
        assertThat(m.endAddress()).isEqualTo(0x0804_0000L);
        assertThat(IdentityBlock.decode(m.read(address, IdentityBlock.SIZE, (byte) 0))).isEqualTo(BLOCK);
        byte[] before = m.read(0x0803_F800L, 0x40, (byte) 0);
        byte[] after = m.read(address + IdentityBlock.SIZE, (int) (0x0804_0000L - address - IdentityBlock.SIZE), (byte) 0);
        assertThat(before).containsOnly((byte) 0xff);
        assertThat(after).containsOnly((byte) 0xff);

        // srec_cat reads the same page from it
        Files.writeString(dir.resolve("id.hex"), hex);
        ImageProgrammingTest.srecCat(dir, "id.hex", "-intel", "-offset", "-0x0803F800", "-o", "page.bin", "-binary");
        assertThat(Files.readAllBytes(dir.resolve("page.bin"))).isEqualTo(IdentityImage.pageBinary(BLOCK.encode(), address, 2048, (byte) 0xff));
    }

    @Test
    void aBlockAcrossAPageBoundarySpansBothPagesAndAnotherErasedValueIsKept() {
        long address = 0x1000 - 40;
        byte[] page = IdentityImage.pageBinary(BLOCK.encode(), address, 1024, (byte) 0x00);
        assertThat(page).hasSize(2048);
        assertThat(IdentityImage.pageStart(address, 1024)).isEqualTo(0x0C00);
        assertThat(Arrays.copyOfRange(page, 1024 - 40, 1024 - 40 + IdentityBlock.SIZE)).isEqualTo(BLOCK.encode());
        assertThat(Arrays.copyOf(page, 1024 - 40)).containsOnly((byte) 0);
        assertThat(IdentityImage.pageBinary(BLOCK.encode(), 0x2000, 1, (byte) 0xff)).isEqualTo(BLOCK.encode());
        assertThatThrownBy(() -> IdentityImage.pageStart(0, 0)).hasMessageContaining("page size");
    }

    @Test
    void everyPresetHasAWriteCommandWithItsFileAndTheUsersOptions() {
        for (FlasherPreset p : FlasherPreset.values()) {
            IdentityFlasher f = p.flasher("--probe X", Duration.ofSeconds(5));
            assertThat(f.write()).as(p.presetName()).contains("--probe X").doesNotContain("{options}");
            assertThat(f.writeCommand().arguments(Map.of("hex", "/t/a.hex", "bin", "/t/a.bin", "pagebin", "/t/p.bin", "script", "/t/s",
                    "address", "0x0803F800", "pageAddress", "0x0803F800"))).as(p.presetName()).isNotEmpty();
            assertThat(FlasherPreset.byName(p.presetName())).contains(p);
            assertThat(p.caveat()).isNotBlank();
        }
        assertThat(FlasherPreset.byName("nrfjprog").orElseThrow().flasher("", Duration.ofSeconds(1)).readCommand()).isEmpty();
        assertThat(FlasherPreset.byName("OpenOCD")).contains(FlasherPreset.OPENOCD);
        assertThat(FlasherPreset.byName("flashy")).isEmpty();
    }

    @Test
    void theJLinkPresetWritesItsCommandsToAScript() {
        IdentityFlasher f = FlasherPreset.JLINK.flasher("-device STM32WLE5JC -if SWD -speed 4000", Duration.ofSeconds(5));
        assertThat(f.writeCommand().arguments(Map.of("script", "/t/w.jlink")))
                .containsExactly("JLinkExe", "-device", "STM32WLE5JC", "-if", "SWD", "-speed", "4000", "-AutoConnect", "1", "-CommandFile", "/t/w.jlink");
        assertThat(IdentityFlasher.script(f.readScript(), Map.of("readback", "/t/r.bin", "address", "0x0803F800", "length", "92")))
                .contains("savebin /t/r.bin,0x0803F800,92\n").endsWith("exit\n");
        assertThat(IdentityFlasher.script(f.writeScript(), Map.of("bin", "/t/b.bin", "address", "0x0803F800")))
                .contains("loadbin /t/b.bin,0x0803F800\nverifybin /t/b.bin,0x0803F800\n");
    }

    @Test
    void customCommandsWithoutTheirFileAreRefused() {
        assertThatThrownBy(() -> IdentityFlasher.custom("openocd -f board.cfg", null, Duration.ofSeconds(1)))
                .hasMessageContaining("flasher command: no {hex}, {bin}, {pagebin} placeholder");
        assertThatThrownBy(() -> IdentityFlasher.custom("flash {hex}", "read 0x0803F800 92", Duration.ofSeconds(1)))
                .hasMessageContaining("read-back command: no {readback} placeholder");
        assertThatThrownBy(() -> IdentityFlasher.custom("flash \"{hex}", null, Duration.ofSeconds(1)))
                .hasMessageContaining("unbalanced double quote");
    }
}
