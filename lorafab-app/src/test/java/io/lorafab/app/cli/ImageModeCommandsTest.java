package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.ImagePatcher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code lorafab station} choosing its fixture, and {@code lorafab sim flash} refusing images it cannot boot:
 * each mistake is one clear line and a non-zero exit, before any server is contacted.
 */
class ImageModeCommandsTest {

    static final IdentityBlock BLOCK = new IdentityBlock(Eui64.parse("70b3d57ed00a0001"), Eui64.parse("70b3d57ed0000001"),
            AesKey.parse("8899aabbccddeeff0011223344556677"), Optional.empty(), "SN-7");

    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        byte[] code = new byte[2048];
        Arrays.fill(code, (byte) 0x5a);
        String fw = IntelHex.write(MemoryImage.ofBinary(0x0800_0000L, code), 16);
        Files.writeString(dir.resolve("fw.hex"), fw);
        Files.writeString(dir.resolve("fw.elf"), fw);
        Files.write(dir.resolve("small.bin"), code);
        Files.writeString(dir.resolve("patched.hex"), ImagePatcher.patchHex(fw, 0x0803_F800L, BLOCK));
        byte[] corrupt = BLOCK.encode();
        corrupt[30] ^= 0x01;
        MemoryImage m = IntelHex.read(fw);
        m.write(0x0803_F800L, corrupt);
        Files.writeString(dir.resolve("corrupt.hex"), IntelHex.write(m, 16));
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            java.security.KeyPair fixtureMachine = g.generateKeyPair();
            java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder();
            Files.writeString(dir.resolve("fixture.pub"), "-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(fixtureMachine.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            Files.writeString(dir.resolve("fixture.key"), "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(fixtureMachine.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The station's arguments with {@code DIR} standing for the test's folder; '|' separates them. */
    Cli.Run station(String args) {
        List<String> a = new ArrayList<>(List.of("station", "--server", "http://127.0.0.1:9", "--token-file", Cli.tokenFile(), "--order", "WO-1"));
        for (String s : args.split("\\|")) {
            if (!s.isBlank()) {
                a.add(s.strip().replace("DIR", dir.toString()));
            }
        }
        return Cli.raw(a.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "no fixture          ;                                                       ; give either --port and --dialect (AT module) or --image, --identity-address and --flasher (image flashing)",
            "both fixtures       ; --port|/dev/null|--dialect|rak3172|--image|DIR/fw.hex ; (image flashing), not both",
            "port alone          ; --port|/dev/null                                      ; an AT module needs both --port and --dialect",
            "dialect alone       ; --dialect|rak3172                                     ; an AT module needs both --port and --dialect",
            "image alone         ; --image|DIR/fw.hex                                    ; image flashing also needs --identity-address and --flasher",
            "no flasher          ; --image|DIR/fw.hex|--identity-address|0x0803F800      ; image flashing also needs --flasher",
            "no image            ; --identity-address|0x0803F800|--flasher|sh {image}    ; image flashing also needs --image",
            "bad address         ; --image|DIR/fw.hex|--identity-address|0x0803G800|--flasher|sh {image} ; --identity-address: expected a 32-bit hex address such as 0x0803F800",
            "address too wide    ; --image|DIR/fw.hex|--identity-address|0x10803F800|--flasher|sh {image} ; --identity-address: expected a 32-bit hex address",
            "missing image       ; --image|DIR/none.hex|--identity-address|0x0803F800|--flasher|sh {image} ; none.hex: no such file",
            "image is a folder   ; --image|DIR|--identity-address|0x0803F800|--flasher|sh {image} ; : is a directory",
            "unknown format      ; --image|DIR/fw.elf|--identity-address|0x0803F800|--flasher|sh {image} ; image fw.elf: expected an Intel HEX (.hex) or binary (.bin) file",
            "block past the bin  ; --image|DIR/small.bin|--identity-address|0x0803F800|--flasher|sh {image} ; image small.bin: identity block at 0x803f800 is outside the binary image",
            "no {image}          ; --image|DIR/fw.hex|--identity-address|0x0803F800|--flasher|openocd -f board.cfg ; flasher command: no {image} placeholder",
            "unbalanced quote    ; --image|DIR/fw.hex|--identity-address|0x0803F800|--flasher|openocd -c \"program {image} ; flasher command: unbalanced double quote",
            "zero timeout        ; --image|DIR/fw.hex|--identity-address|0x0803F800|--flasher|sh {image}|--flasher-timeout|0 ; --flasher-timeout: expected a positive number of seconds",
            "id: with an image   ; --identity-only|--image|DIR/fw.hex|--identity-address|0x0803F800|--flasher|sh {hex} ; --identity-only writes the identity block alone: drop --image",
            "id: no address      ; --identity-only|--flasher-preset|openocd                ; --identity-only also needs --identity-address",
            "id: no flasher      ; --identity-only|--identity-address|0x0803F800            ; --identity-only needs either --flasher-preset or --flasher",
            "id: both flashers   ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--flasher-preset|openocd ; --identity-only needs either --flasher-preset or --flasher, not both",
            "id: unknown preset  ; --identity-only|--identity-address|0x0803F800|--flasher-preset|flashy ; --flasher-preset: unknown 'flashy'; known: openocd, stm32cubeprogrammer, jlink, nrfjprog, esptool, pyocd, st-flash",
            "id: preset alone    ; --flasher-preset|openocd|--identity-address|0x0803F800  ; --flasher-preset, --flasher-options, --reader and --encrypt-to go with --identity-only",
            "enc: image mode     ; --image|DIR/fw.hex|--identity-address|0x0803F800|--flasher|sh {image}|--encrypt-to|DIR/fixture.pub ; --flasher-preset, --flasher-options, --reader and --encrypt-to go with --identity-only",
            "enc: with a preset  ; --identity-only|--identity-address|0x0803F800|--flasher-preset|openocd|--encrypt-to|DIR/fixture.pub ; --encrypt-to goes with --flasher: a preset runs its tool on this machine",
            "enc: with a reader  ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--reader|sh {readback}|--encrypt-to|DIR/fixture.pub ; --encrypt-to: no --reader, since a read-back would bring the keys back in the clear",
            "enc: a private key  ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--encrypt-to|DIR/fixture.key ; that is a private key ('PRIVATE KEY'), which never leaves its owner",
            "enc: no such file   ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--encrypt-to|DIR/none.pem ; none.pem",
            "id: preset + reader ; --identity-only|--identity-address|0x0803F800|--flasher-preset|jlink|--reader|sh {readback} ; --reader goes with --flasher",
            "id: no file         ; --identity-only|--identity-address|0x0803F800|--flasher|openocd -f board.cfg ; flasher command: no {hex}, {bin}, {pagebin} placeholder",
            "id: reader no file  ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--reader|sh read ; read-back command: no {readback} placeholder",
            "id: bad page size   ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--page-size|0 ; flash page size: expected 1 to 1048576 bytes, got 0",
            "id: bad erased      ; --identity-only|--identity-address|0x0803F800|--flasher|sh {hex}|--erased-value|0x100 ; --erased-value: expected a byte in hex",
            "multi: too few ports ; --positions|4|--port|/dev/null,/dev/zero|--dialect|rak3172 ; --positions 4 needs 4 --port values in position order (or one --port auto[:VID:PID] matching 4 adapters), got 2",
            "multi: no --positions ; --port|/dev/null,/dev/zero|--dialect|rak3172           ; --port names 2 ports for one position: give --positions 2 for a multi-up fixture",
            "multi: a port twice  ; --positions|2|--port|/dev/null|--port|/dev/null|--dialect|rak3172 ; --port: positions 1 and 2 name the same port /dev/null",
            "multi: auto among names ; --positions|2|--port|auto,/dev/null|--dialect|rak3172 ; --port for position 1: expected a port name (auto[:VID:PID] goes alone, for all positions)",
            "multi: flasher without {position} ; --positions|2|--image|DIR/fw.hex|--identity-address|0x0803F800|--flasher|sh {image} ; --positions 2 with flashing: --flasher must name each position's target with {position} (1-2)",
            "multi: preset without {position} ; --positions|2|--identity-only|--identity-address|0x0803F800|--flasher-preset|openocd|--flasher-options|-f board.cfg ; --positions 2 with flashing: --flasher-options must name each position's target with {position}",
            "multi: flashing and ports ; --positions|2|--port|/dev/null,/dev/zero|--dialect|rak3172|--image|DIR/fw.hex ; (image flashing), not both",
            "multi: no dialect    ; --positions|2|--port|/dev/null,/dev/zero              ; a multi-up fixture of AT modules needs --dialect and a --port per position",
            "multi: 65 positions  ; --positions|65|--port|/dev/null|--dialect|rak3172      ; --positions must be 1-64",
            "multi: bad spacing   ; --positions|2|--join-spacing|-1|--port|/dev/null,/dev/zero|--dialect|rak3172 ; --join-spacing must be 0-10000 milliseconds",
    })
    void stationFixtureOptionsAreChecked(String name, String args, String message) {
        Cli.Run r = station(args == null ? "" : args);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains(message);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("ready");
    }

    @Test
    void stationHelpListsImageMode() {
        Cli.Run r = Cli.raw("station", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--image=FILE").contains("--identity-address=ADDR").contains("--flasher=TEMPLATE")
                .contains("--flasher-timeout=S").contains("--image-base=ADDR");
    }

    Cli.Run simFlash(String image, String... more) {
        return simFlashAt(image, "0x0803F800", "127.0.0.1:9", more);
    }

    Cli.Run simFlashAt(String image, String address, String server, String... more) {
        List<String> a = new ArrayList<>(List.of("sim", "flash", "--image", dir.resolve(image).toString(), "--identity-address", address,
                "--server", server));
        a.addAll(List.of(more));
        return Cli.raw(a.toArray(String[]::new));
    }

    @Test
    void simFlashRefusesACorruptIdentityBlock() {
        Cli.Run r = simFlash("corrupt.hex");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: bad identity block at 0x0803F800: identity block: CRC-32 mismatch\n");
        assertThat(r.out()).doesNotContain("programmed");
    }

    @Test
    void simFlashRefusesAnImageWithoutABlock() {
        Cli.Run r = simFlash("fw.hex");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no identity block at 0x0803F800: the image has no data there\n");
        Cli.Run erased = simFlashAt("fw.hex", "0x08000000", "127.0.0.1:9");
        assertThat(erased.err()).contains("bad identity block at 0x08000000: identity block: no LFID magic");
    }

    Cli.Run simFlashIdentity(String... args) {
        List<String> a = new ArrayList<>(List.of("sim", "flash", "--identity-address", "0x0803F800"));
        for (String x : args) {
            a.add(x.replace("DIR", dir.toString()));
        }
        return Cli.raw(a.toArray(String[]::new));
    }

    @Test
    void simFlashInIdentityModeWritesIntoItsFlashAndAnswersTheReadBack() throws Exception {
        Files.copy(dir.resolve("fw.hex"), dir.resolve("board.hex"));
        Files.writeString(dir.resolve("id.hex"), io.lorafab.station.image.IdentityImage.pageHex(BLOCK.encode(), 0x0803_F800L, 2048, (byte) 0xff));
        Cli.Run w = simFlashIdentity("--flash", "DIR/board.hex", "--write", "DIR/id.hex", "--server", "127.0.0.1:9", "--join-timeout", "1");
        assertThat(w.exit()).as(w.err()).isZero();
        assertThat(w.out()).contains("programmed 2048 bytes, verified, reset").contains("boot: DevEUI " + BLOCK.devEui());
        Cli.Run r = simFlashIdentity("--flash", "DIR/board.hex", "--read-to", "DIR/back.bin");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("read 92 bytes at 0x0803F800\n");
        assertThat(Files.readAllBytes(dir.resolve("back.bin"))).isEqualTo(BLOCK.encode());
        MemoryImage board = IntelHex.read(Files.readString(dir.resolve("board.hex")));
        assertThat(board.read(0x0800_0000L, 4096, (byte) 0)).isEqualTo(IntelHex.read(Files.readString(dir.resolve("fw.hex"))).read(0x0800_0000L, 4096, (byte) 0));
        // an erased identity page reads back as 0xFF
        Files.copy(dir.resolve("fw.hex"), dir.resolve("fresh.hex"));
        assertThat(simFlashIdentity("--flash", "DIR/fresh.hex", "--read-to", "DIR/empty.bin", "--length", "4").exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("empty.bin"))).containsExactly(0xff, 0xff, 0xff, 0xff);
    }

    @Test
    void simFlashRefusesMixedModes() {
        assertThat(simFlashIdentity("--server", "127.0.0.1:9").err())
                .isEqualTo("error: give either --image (whole image) or --flash with --write or --read-to (identity only)\n");
        assertThat(simFlashIdentity("--flash", "DIR/fw.hex").err())
                .isEqualTo("error: --flash needs either --write (program the identity) or --read-to (read it back)\n");
        assertThat(simFlashIdentity("--image", "DIR/patched.hex", "--read-to", "DIR/x.bin").err())
                .isEqualTo("error: --write and --read-to go with --flash, not --image\n");
        assertThat(simFlashIdentity("--flash", "DIR/fw.hex", "--write", "DIR/patched.hex").err())
                .startsWith("error: --server: missing");
        assertThat(simFlashIdentity("--flash", "DIR/none.hex", "--read-to", "DIR/x.bin").err()).startsWith("error: --flash: cannot read ");
    }

    @Test
    void simFlashRefusesBadOptions() {
        assertThat(simFlash("none.hex").err()).startsWith("error: --image: cannot read ").endsWith("none.hex: no such file\n");
        assertThat(simFlash("fw.elf").err()).contains("expected an Intel HEX (.hex) or binary (.bin) file");
        assertThat(simFlash("patched.hex", "--mac-version", "1.1").err()).contains("a 1.1 device needs a NwkKey");
        assertThat(simFlashAt("patched.hex", "0x0803F800", "nowhere").err()).contains("server: expected HOST:PORT");
        assertThat(simFlash("patched.hex", "--join-timeout", "0").err()).contains("--join-timeout: expected a positive number");
    }
}
