package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.jose.Jwe;
import io.lorafab.jose.PrivateKeyPem;
import io.lorafab.jose.RecipientKey;
import io.lorafab.station.at.Identity;
import io.lorafab.station.image.ImageFormatException;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.IdentityFlasher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
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
    void forAFixtureOnAnotherMachineEveryIdentityFileIsAJweOnlyItsPrivateKeyOpens() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair fixtureMachine = g.generateKeyPair();
        RecipientKey to = RecipientKey.of(fixtureMachine.getPublic());
        PrivateKeyPem key = PrivateKeyPem.fromPem("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(fixtureMachine.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        // the "hand-over" copies the three files and lists what the station's folder held while it ran
        Path s = Files.writeString(dir.resolve("hand-over.sh"), "cp \"$1\" '" + dir + "/hex.jwe'\ncp \"$2\" '" + dir + "/bin.jwe'\n"
                + "cp \"$3\" '" + dir + "/pagebin.jwe'\nls \"$(dirname \"$1\")\" > '" + dir + "/listing'\necho handed over\n");
        IdentityFixture fixture = new IdentityFixture(ADDRESS, 2048, (byte) 0xff,
                IdentityFlasher.custom("sh " + s + " {hex} {bin} {pagebin}", null, Duration.ofSeconds(20)), scratch, System::nanoTime, to);

        Fixture.Step step = fixture.program(ID, "SN-9");

        assertThat(step.ok()).as(step.toString()).isTrue();
        assertThat(step.measurements()).containsEntry("readBack", "fixture-verify")
                .containsEntry("identityFiles", "encrypted to " + to.thumbprint());
        assertThat(Files.readAllLines(dir.resolve("listing"))).isNotEmpty().allMatch(f -> f.endsWith(".jwe"));
        IdentityBlock expected = new IdentityBlock(ID.devEui(), ID.joinEui(), ID.appKey(), ID.nwkKey(), "SN-9");
        Jwe.Opened hex = Jwe.decrypt(Files.readString(dir.resolve("hex.jwe")), key);
        assertThat(hex.contentType()).isEqualTo("lfid-hex");
        assertThat(hex.keyId()).isEqualTo(to.thumbprint());
        MemoryImage m = IntelHex.read(new String(hex.plaintext(), StandardCharsets.US_ASCII));
        assertThat(IdentityBlock.decode(m.read(ADDRESS, IdentityBlock.SIZE, (byte) 0))).isEqualTo(expected);
        Jwe.Opened bin = Jwe.decrypt(Files.readString(dir.resolve("bin.jwe")), key);
        assertThat(bin.contentType()).isEqualTo("lfid-bin");
        assertThat(IdentityBlock.decode(bin.plaintext())).isEqualTo(expected);
        Jwe.Opened page = Jwe.decrypt(Files.readString(dir.resolve("pagebin.jwe")), key);
        assertThat(page.contentType()).isEqualTo("lfid-page-bin");
        assertThat(page.plaintext()).hasSize(2048);
        for (String f : List.of("hex.jwe", "bin.jwe", "pagebin.jwe")) {
            assertThat(Files.readString(dir.resolve(f))).doesNotContainIgnoringCase(ID.appKey().toHex());
        }
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("per-unit files left behind").isEmpty();
        }
    }

    @Test
    void aFixtureOnAnotherMachineTakesNoReadBack() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RecipientKey to = RecipientKey.of(g.generateKeyPair().getPublic());
        assertThatThrownBy(() -> new IdentityFixture(ADDRESS, 2048, (byte) 0xff,
                IdentityFlasher.custom("sh w {hex}", "sh r {readback}", Duration.ofSeconds(20)), scratch, System::nanoTime, to))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("read-back would bring the keys back in the clear");
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
