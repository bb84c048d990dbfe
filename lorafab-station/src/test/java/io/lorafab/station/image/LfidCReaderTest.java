package io.lorafab.station.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C reader for firmware authors ({@code firmware/lfid.c} at the repository root) compiled with gcc as strict
 * C99 with every warning an error, run on blocks this station wrote, good and corrupt.
 */
class LfidCReaderTest {

    static final Path FIRMWARE = Path.of("..", "firmware").toAbsolutePath().normalize();
    static final IdentityBlock V10 = new IdentityBlock(Eui64.parse("70b3d57ed0070001"), Eui64.parse("70b3d57ed0000001"),
            AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), Optional.empty(), "SN-0042");
    static final IdentityBlock V11 = new IdentityBlock(Eui64.parse("70b3d57ed0090007"), Eui64.parse("70b3d57ed0000002"),
            AesKey.parse("00112233445566778899aabbccddeeff"), Optional.of(AesKey.parse("000102030405060708090a0b0c0d0e0f")),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345");

    @TempDir
    static Path dir;
    static Path exe;

    @BeforeAll
    static void compile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        Path main = dir.resolve("lfid_test_main.c");
        try (InputStream in = LfidCReaderTest.class.getResourceAsStream("/lfid/lfid_test_main.c")) {
            Files.write(main, in.readAllBytes());
        }
        exe = dir.resolve("lfid_test");
        Run r = run(List.of("gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", FIRMWARE.toString(),
                FIRMWARE.resolve("lfid.c").toString(), main.toString(), "-o", exe.toString()));
        assertThat(r.exit).as("gcc: %s", r.out).isZero();
        assertThat(r.out).as("warnings").isEmpty();
    }

    record Run(int exit, String out) {
    }

    static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.strip());
    }

    static Run read(byte[] bytes, String... mode) throws Exception {
        Path f = Files.createTempFile(dir, "block", ".bin");
        Files.write(f, bytes);
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), f.toString()));
        cmd.addAll(List.of(mode));
        return run(cmd);
    }

    /** A block with one byte changed and its CRC made right again, so that only the changed field is wrong. */
    static byte[] withCrcFixed(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, 88);
        long v = crc.getValue();
        for (int i = 0; i < 4; i++) {
            b[88 + i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    @Test
    void aLoRaWan10BlockReadsBackAsWritten() throws Exception {
        Run r = read(V10.encode());
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).isEqualTo("ok offset=0 devEui=70b3d57ed0070001 joinEui=70b3d57ed0000001 appKey=2b7e151628aed2a6abf7158809cf4f3c"
                + " nwk=0 nwkKey=00000000000000000000000000000000 serial=[SN-0042]");
    }

    @Test
    void aLoRaWan11BlockWithAFullSerialReadsBackAsWritten() throws Exception {
        Run r = read(V11.encode());
        assertThat(r.out).isEqualTo("ok offset=0 devEui=70b3d57ed0090007 joinEui=70b3d57ed0000002 appKey=00112233445566778899aabbccddeeff"
                + " nwk=1 nwkKey=000102030405060708090a0b0c0d0e0f serial=[ABCDEFGHIJKLMNOPQRSTUVWXYZ012345]");
    }

    @Test
    void theBlockIsFoundInsideTheFlashPageTheStationWrote() throws Exception {
        byte[] page = IdentityImage.pageBinary(V10.encode(), 0x0803_F800L + 0x100, 2048, (byte) 0xff);
        Run r = read(page, "find");
        assertThat(r.out).startsWith("ok offset=256 devEui=70b3d57ed0070001");
        byte[] erased = new byte[2048];
        Arrays.fill(erased, (byte) 0xff);
        assertThat(read(erased, "find").out).isEqualTo("error 3 no LFID magic");
    }

    @Test
    void corruptBlocksAreRefusedEachWithItsReason() throws Exception {
        byte[] magic = V10.encode();
        magic[0] = 'X';
        assertThat(read(withCrcFixed(magic)).out).isEqualTo("error 3 no LFID magic");

        byte[] crc = V10.encode();
        crc[30] ^= 0x01; // one bit of the AppKey
        Run bad = read(crc);
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.out).isEqualTo("error 5 CRC-32 mismatch");

        byte[] version = V10.encode();
        version[4] = 2;
        assertThat(read(withCrcFixed(version)).out).isEqualTo("error 4 unknown layout version");

        assertThat(read(Arrays.copyOf(V10.encode(), 91)).out).isEqualTo("error 2 truncated block");
        assertThat(read(new byte[0]).out).isEqualTo("error 2 truncated block");

        byte[] erased = new byte[IdentityBlock.SIZE];
        Arrays.fill(erased, (byte) 0xff);
        assertThat(read(erased).out).isEqualTo("error 3 no LFID magic");
        // and Java agrees with C on each
        assertThat(Arrays.asList(crc, withCrcFixed(version))).allSatisfy(b ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> IdentityBlock.decode(b)).isInstanceOf(ImageFormatException.class));
    }
}
