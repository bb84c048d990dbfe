package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.station.at.Identity;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.IdentityFlasher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity-only flashing with real processes: sh scripts keep a "board" file standing in for the flash. */
class IdentityFixtureTest {

    static final long ADDRESS = 0x0803_F800L;
    static final Identity ID = ImageFixtureTest.ID;

    @TempDir
    Path dir;
    Path scratch;
    Path board;

    @BeforeEach
    void setUp() throws Exception {
        scratch = Files.createDirectories(dir.resolve("scratch"));
        board = dir.resolve("board.bin");
    }

    IdentityFixture fixture(String write, String read) {
        return new IdentityFixture(ADDRESS, 2048, (byte) 0xff, IdentityFlasher.custom(write, read, Duration.ofSeconds(20)), scratch, System::nanoTime);
    }

    /** Copies the file given as $1 to the board file and says so. */
    String writer(String placeholder) throws Exception {
        Path s = Files.writeString(dir.resolve("write.sh"), "cp \"$1\" '" + board + "'\ncp \"$1\" '" + dir + "/last-" + placeholder + "'\necho written\n");
        return "sh " + s + " {" + placeholder + "} {address}";
    }

    String reader(String extra) throws Exception {
        Path s = Files.writeString(dir.resolve("read.sh"), "head -c \"$2\" '" + board + "' > \"$1\"\n" + extra + "echo read\n");
        return "sh " + s + " {readback} {length}";
    }

    @Test
    void theBlockIsWrittenReadBackAndCompared() throws Exception {
        Fixture.Step s = fixture(writer("bin"), reader("")).program(ID, "SN-9");
        assertThat(s.ok()).as(s.toString()).isTrue();
        assertThat(s.measurements()).containsEntry("readBack", "matched").containsEntry("flasherExit", 0).containsEntry("readerExit", 0)
                .containsEntry("identityAddress", "0x0803F800").containsKey("flashMs");
        assertThat(IdentityBlock.decode(Files.readAllBytes(board)))
                .isEqualTo(new IdentityBlock(ID.devEui(), ID.joinEui(), ID.appKey(), ID.nwkKey(), "SN-9"));
        ImageFixtureTest.assertNoKeys(s.measurements());
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("per-unit files left behind").isEmpty();
        }
    }

    @Test
    void theHexFileHoldsTheBlocksPageOnly() throws Exception {
        Fixture.Step s = fixture(writer("hex"), null).program(ID, "SN-9");
        assertThat(s.ok()).as(s.toString()).isTrue();
        assertThat(s.measurements()).containsEntry("readBack", "flasher-verify").doesNotContainKey("readerExit");
        MemoryImage m = IntelHex.read(Files.readString(dir.resolve("last-hex")));
        assertThat(m.lowestAddress()).isEqualTo(ADDRESS);
        assertThat(m.endAddress()).isEqualTo(ADDRESS + 2048);
        assertThat(IdentityBlock.decode(m.read(ADDRESS, IdentityBlock.SIZE, (byte) 0)).devEui()).isEqualTo(ID.devEui());
    }

    @Test
    void bytesReadBackThatDifferFailTheUnitAsAReadbackMismatch() throws Exception {
        // the board keeps an old block: the read returns what was there before
        Files.write(board, new byte[IdentityBlock.SIZE]);
        Fixture.Step s = fixture("sh -c \"echo written\" {bin}", reader("")).program(ID, "SN-9");
        assertThat(s.ok()).isFalse();
        assertThat(s.reasonCode()).isEqualTo("readback_mismatch");
        assertThat(s.measurements()).containsEntry("readBack", "differs");
    }

    @Test
    void aFailingWriteOrReadFailsTheUnitAsFlashFailed() throws Exception {
        Fixture.Step w = fixture("sh -c \"echo Error: target not halted; exit 2\" {bin}", reader("")).program(ID, "SN-9");
        assertThat(w.reasonCode()).isEqualTo("flash_failed");
        assertThat(w.measurements()).containsEntry("flasherExit", 2).doesNotContainKey("readerExit");
        Fixture.Step r = fixture(writer("bin"), reader("exit 4\n")).program(ID, "SN-9");
        assertThat(r.reasonCode()).isEqualTo("flash_failed");
        assertThat(r.measurements()).containsEntry("readerExit", 4);
    }

    @Test
    void aSerialThatDoesNotFitIsAnImageErrorWithoutFlashing() throws Exception {
        Fixture.Step s = fixture(writer("bin"), null).program(ID, "S".repeat(40));
        assertThat(s.reasonCode()).isEqualTo("image_error");
        assertThat(Files.exists(board)).isFalse();
    }
}
