package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.IdentityFlasher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import io.lorafab.station.line.IdentityFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line in identity-only mode against a real server: the board's firmware was programmed once (its flash is a
 * HEX file that {@code lorafab sim flash --flash} keeps), and per unit the station writes only the identity block's
 * page through {@code lorafab sim flash --write} (which then boots the board and joins), reads it back through
 * {@code lorafab sim flash --read-to}, and compares.
 */
class IdentityLineTest {

    static final String ADDRESS = "0x0803F800";
    static final String JAVA = ImageLineTest.JAVA;
    static final String CLASSPATH = ImageLineTest.CLASSPATH;

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    String token;
    StationApiClient station;
    Path scratch;
    Path board;
    byte[] code;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        lf = server.lf;
        server.workOrder("WO-I", "meter", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 5), Eui64.parse("70b3d57ed0080000"));
        server.workOrder("WO-J", "meter-11", Eui64.parse("70b3d57ed0000002"), MacVersion.V1_1, new ProfileId(1, 6), Eui64.parse("70b3d57ed0090000"));
        token = server.operatorToken("st-id");
        station = new StationApiClient("http://127.0.0.1:" + server.api.port(), token, "st-id");
        scratch = Files.createDirectories(dir.resolve("scratch"));
        // the firmware, programmed once: 4 KiB of code at 0x08000000, nothing at the identity address yet
        code = new byte[4096];
        new Random(3).nextBytes(code);
        board = Files.writeString(dir.resolve("board.hex"), IntelHex.write(MemoryImage.ofBinary(0x0800_0000L, code), 16));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String simFlash(String mode) {
        return JAVA + " -cp " + CLASSPATH + " io.lorafab.app.Main sim flash --flash " + board + " --identity-address " + ADDRESS + " " + mode;
    }

    String write() {
        return simFlash("--write {hex} --server 127.0.0.1:" + server.js.udpPort() + " --nvm-dir " + dir.resolve("nvm") + " --timing compressed");
    }

    String read() {
        return simFlash("--read-to {readback} --length {length}");
    }

    UnitOutcome runOne(String order, String write, String read) throws IOException {
        UnitRunner runner = new UnitRunner(station, new UnitRunner.Settings(order, Duration.ofSeconds(15), Duration.ofSeconds(10), -110.0, -7.5,
                new byte[] {0x01}), System::nanoTime);
        IdentityFixture fixture = new IdentityFixture(0x0803_F800L, 2048, (byte) 0xff, IdentityFlasher.custom(write, read, Duration.ofSeconds(60)),
                scratch, System::nanoTime);
        return runner.run(fixture, null);
    }

    void assertNoKeyIn(Unit u, String text) {
        assertThat(text).doesNotContainIgnoringCase(lf.vault().unwrapAppKey(u.keys()).toHex());
        if (u.macVersion().is11()) {
            assertThat(text).doesNotContainIgnoringCase(lf.vault().unwrapNwkKey(u.keys()).toHex());
        }
    }

    @Test
    void aUnitPassesWithOnlyItsIdentityWrittenBesideTheFirmwareAndReadBack() throws Exception {
        for (String order : new String[] {"WO-I", "WO-J"}) {
            UnitOutcome o = runOne(order, write(), read());
            assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
            assertThat(o.measurements()).containsEntry("flasherExit", 0).containsEntry("readerExit", 0).containsEntry("readBack", "matched")
                    .containsEntry("rssi", -60);
            assertThat((String) o.measurements().get("flasherOutput")).contains("programmed 2048 bytes, verified, reset").contains("joined: DevAddr");
            assertThat((String) o.measurements().get("readerOutput")).contains("read 92 bytes at 0x0803F800");
            Unit u = lf.registry().unit(o.devEui()).orElseThrow();
            assertThat(u.state()).isEqualTo(UnitState.PASSED);
            assertNoKeyIn(u, o.measurements().toString());
            assertNoKeyIn(u, lf.registry().testRuns(u.id()).get(0).measurementsJson());

            // the board's flash: the firmware untouched, the block with the server's keys beside it
            MemoryImage flash = IntelHex.read(Files.readString(board));
            assertThat(flash.read(0x0800_0000L, code.length, (byte) 0)).isEqualTo(code);
            IdentityBlock block = IdentityBlock.decode(flash.read(0x0803_F800L, IdentityBlock.SIZE, (byte) 0xff));
            assertThat(block.devEui()).isEqualTo(u.devEui());
            assertThat(block.appKey()).isEqualTo(lf.vault().unwrapAppKey(u.keys()));
            assertThat(block.nwkKey()).isEqualTo(u.macVersion().is11() ? Optional.of(lf.vault().unwrapNwkKey(u.keys())) : Optional.empty());
        }
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("per-unit identity files left behind").isEmpty();
        }
    }

    @Test
    void aBoardThatKeepsItsOldIdentityFailsItsReadBack() throws Exception {
        UnitOutcome first = runOne("WO-I", write(), read());
        assertThat(first.passed()).as(first.measurements().toString()).isTrue();
        // a write that "succeeds" without touching the flash: the read-back finds the previous unit's block
        UnitOutcome o = runOne("WO-I", "sh -c \"echo programmed, verified\" {hex}", read());
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("readback_mismatch");
        assertThat(o.measurements()).containsEntry("readBack", "differs");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void theStationCommandRunsAUnitInIdentityOnlyMode() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-cp", CLASSPATH, "io.lorafab.app.Main", "station", "--server", "http://127.0.0.1:" + server.api.port(),
                "--order", "WO-I", "--allocate", "--station-id", "st-id-cli", "--identity-only", "--identity-address", ADDRESS,
                "--flasher", write(), "--reader", read(), "--flasher-timeout", "60")
                .redirectError(dir.resolve("station.err").toFile()).redirectOutput(dir.resolve("station.out").toFile());
        pb.environment().put("LORAFAB_TOKEN", token);
        Process p = pb.start();
        p.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("station.out"));
        String err = Files.readString(dir.resolve("station.err"));
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out).contains("PASS 70b3d57ed0080000").contains("1 passed, 0 failed");
        Unit u = lf.registry().unit(Eui64.parse("70b3d57ed0080000")).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertNoKeyIn(u, out + err);
    }

    /**
     * The fixture on another machine: the station writes the unit's identity files only encrypted to that machine's key
     * ({@code --encrypt-to}); the "fixture machine" (a script with its own folder and private key) opens {@code {hex}} with
     * {@code lorafab decrypt}, flashes it and deletes it. The unit passes on the keys the server gave.
     */
    @Test
    void aFixtureOnAnotherMachineGetsTheIdentityEncryptedToItsKeyAndOpensItWithLorafabDecrypt() throws Exception {
        Path fixtureMachine = Files.createDirectories(dir.resolve("fixture-machine"));
        openssl(fixtureMachine, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "fixture.key");
        openssl(fixtureMachine, "pkey", "-in", "fixture.key", "-pubout", "-out", "fixture.pub");
        String lorafab = JAVA + " -cp " + CLASSPATH + " io.lorafab.app.Main";
        Path handOver = Files.writeString(fixtureMachine.resolve("flash.sh"), String.join("\n",
                "set -e",
                "cp \"$1\" '" + fixtureMachine + "/received.jwe'",
                lorafab + " decrypt --key '" + fixtureMachine + "/fixture.key' --out '" + fixtureMachine + "/unit.hex' \"$1\"",
                "trap \"rm -f '" + fixtureMachine + "/unit.hex'\" EXIT",
                write().replace("{hex}", "'" + fixtureMachine + "/unit.hex'"), ""));
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-cp", CLASSPATH, "io.lorafab.app.Main", "station", "--server", "http://127.0.0.1:" + server.api.port(),
                "--order", "WO-J", "--allocate", "--station-id", "st-id-remote", "--identity-only", "--identity-address", ADDRESS,
                "--flasher", "sh " + handOver + " {hex}", "--encrypt-to", fixtureMachine.resolve("fixture.pub").toString(), "--flasher-timeout", "60")
                .redirectError(dir.resolve("station.err").toFile()).redirectOutput(dir.resolve("station.out").toFile());
        pb.environment().put("LORAFAB_TOKEN", token);
        Process p = pb.start();
        p.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("station.out"));
        String err = Files.readString(dir.resolve("station.err"));
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out).contains("PASS 70b3d57ed0090000").contains("1 passed, 0 failed");
        Unit u = lf.registry().unit(Eui64.parse("70b3d57ed0090000")).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertThat(lf.registry().testRuns(u.id()).get(0).measurementsJson()).contains("fixture-verify", "encrypted to ");
        String received = Files.readString(fixtureMachine.resolve("received.jwe"));
        assertThat(received.split("\\.")).hasSize(5);
        assertNoKeyIn(u, received);
        assertThat(fixtureMachine.resolve("unit.hex")).doesNotExist();
        IdentityBlock block = IdentityBlock.decode(IntelHex.read(Files.readString(board)).read(0x0803_F800L, IdentityBlock.SIZE, (byte) 0xff));
        assertThat(block.appKey()).isEqualTo(lf.vault().unwrapAppKey(u.keys()));
        assertThat(block.nwkKey()).contains(lf.vault().unwrapNwkKey(u.keys()));
    }

    static void openssl(Path dir, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
