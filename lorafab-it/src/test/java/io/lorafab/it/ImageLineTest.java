package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.cli.LorafabCommand;
import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.image.FlasherCommand;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.ImagePatcher;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import io.lorafab.station.line.ImageFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The line in image mode against a real server: the station patches each unit's identity block into a copy of
 * the firmware and runs a flasher process; behind the flasher is {@code lorafab sim flash} in its own JVM, a
 * simulated board that boots from that image and joins over Semtech UDP by itself.
 */
class ImageLineTest {

    static final String ADDRESS = "0x0803F800";
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CLASSPATH = System.getProperty("java.class.path");

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    String token;
    StationApiClient station;
    Path scratch;
    Path captured;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        lf = server.lf;
        api = server.api;
        js = server.js;
        server.workOrder("WO-I", "meter", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 5), Eui64.parse("70b3d57ed0080000"));
        server.workOrder("WO-J", "meter-11", Eui64.parse("70b3d57ed0000002"), MacVersion.V1_1, new ProfileId(1, 6), Eui64.parse("70b3d57ed0090000"));
        token = server.operatorToken("st-img");
        station = new StationApiClient("http://127.0.0.1:" + api.port(), token, "st-img");
        scratch = Files.createDirectories(dir.resolve("scratch"));
        captured = Files.createDirectories(dir.resolve("captured"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A firmware image: 4 KiB of code at 0x08000000, as Intel HEX or as a 256 KiB binary (flash size). */
    Path firmware(String name) throws IOException {
        byte[] code = new byte[4096];
        new Random(3).nextBytes(code);
        if (name.endsWith(".bin")) {
            return Files.write(dir.resolve(name), Arrays.copyOf(code, 0x40000));
        }
        return Files.writeString(dir.resolve(name), IntelHex.write(MemoryImage.ofBinary(0x0800_0000L, code), 16));
    }

    /** {@code lorafab sim flash} as a flasher command, the image as {@code image}. */
    String simFlash(String image, int udpPort) {
        return JAVA + " -cp " + CLASSPATH + " io.lorafab.app.Main sim flash --image " + image + " --identity-address " + ADDRESS
                + " --server 127.0.0.1:" + udpPort + " --nvm-dir " + dir.resolve("nvm") + " --timing compressed";
    }

    /** A flasher script that keeps a copy of the image it was given, then hands over to the simulated board. */
    String capturingSimFlash(int udpPort) throws IOException {
        Path script = Files.writeString(dir.resolve("board.sh"), "cp \"$1\" '" + captured + "/'\nexec " + simFlash("\"$1\"", udpPort) + "\n");
        return "sh " + script + " {image}";
    }

    UnitOutcome runOne(String order, Path image, String flasher, Duration flasherTimeout, Duration joinTimeout) throws IOException {
        UnitRunner runner = new UnitRunner(station, new UnitRunner.Settings(order, joinTimeout, Duration.ofSeconds(10), -110.0, -7.5,
                new byte[] {0x01}), System::nanoTime);
        ImageFixture fixture = new ImageFixture(image, 0x0800_0000L, 0x0803_F800L, new FlasherCommand(flasher, flasherTimeout), scratch,
                System::nanoTime);
        return runner.run(fixture, null);
    }

    List<String> keyHex(Unit u) {
        List<String> keys = new ArrayList<>(List.of(lf.vault().unwrapAppKey(u.keys()).toHex()));
        if (u.macVersion().is11()) {
            keys.add(lf.vault().unwrapNwkKey(u.keys()).toHex());
        }
        return keys;
    }

    void assertNoKeyIn(Unit u, String text) {
        for (String k : keyHex(u)) {
            assertThat(text).doesNotContainIgnoringCase(k);
        }
    }

    void assertScratchEmpty() throws IOException {
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("per-unit images left behind").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} for {1}")
    @CsvSource({"fw.hex, WO-I", "fw.bin, WO-J"})
    void aFlashedBoardJoinsByItselfAndPasses(String firmware, String order) throws Exception {
        UnitOutcome o = runOne(order, firmware(firmware), capturingSimFlash(js.udpPort()), Duration.ofSeconds(60), Duration.ofSeconds(15));

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).containsEntry("flasherExit", 0).containsEntry("rssi", -60).containsKey("uplinkMs");
        assertThat((String) o.measurements().get("flasherOutput")).contains("verified, reset").contains("joined: DevAddr");
        Unit u = lf.registry().unit(o.devEui()).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        String recorded = lf.registry().testRuns(u.id()).get(0).measurementsJson();
        assertThat(recorded).contains("\"flasherExit\":0").contains("\"flasherOutput\":\"programmed ");
        assertNoKeyIn(u, recorded);
        assertNoKeyIn(u, o.measurements().toString());

        // the image the board got carries exactly the keys the server holds
        Path copy = captured.resolve(o.devEui() + (firmware.endsWith(".bin") ? ".bin" : ".hex"));
        byte[] raw = firmware.endsWith(".bin")
                ? Arrays.copyOfRange(Files.readAllBytes(copy), 0x3F800, 0x3F800 + IdentityBlock.SIZE)
                : IntelHex.read(Files.readString(copy)).read(0x0803_F800L, IdentityBlock.SIZE, (byte) 0xff);
        IdentityBlock block = IdentityBlock.decode(raw);
        assertThat(block.devEui()).isEqualTo(u.devEui());
        assertThat(block.joinEui()).isEqualTo(u.joinEui());
        assertThat(block.appKey()).isEqualTo(lf.vault().unwrapAppKey(u.keys()));
        assertThat(block.nwkKey()).isEqualTo(u.macVersion().is11() ? Optional.of(lf.vault().unwrapNwkKey(u.keys())) : Optional.empty());
        assertScratchEmpty();
    }

    @Test
    void aFlasherThatFailsFailsTheUnitWhichKeepsItsKeys() throws Exception {
        UnitOutcome o = runOne("WO-I", firmware("fw.hex"), "sh -c \"echo Error: no probe found; exit 3\" {image}", Duration.ofSeconds(20),
                Duration.ofSeconds(5));
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("flash_failed");
        assertThat(o.measurements()).containsEntry("flasherExit", 3);
        assertThat((String) o.measurements().get("flasherOutput")).contains("Error: no probe found");
        Unit u = lf.registry().unit(o.devEui()).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.FAILED);
        assertThat(lf.vault().unwrapAppKey(u.keys())).isNotNull();
        assertThat(lf.registry().testRuns(u.id()).get(0).measurementsJson()).contains("\"flasherExit\":3").contains("no probe found");
        assertThat(lf.joinStore().events(o.devEui(), 0, 10)).isEmpty();
        assertScratchEmpty();
    }

    @Test
    void aFlasherThatHangsIsKilledAtItsTimeout() throws Exception {
        long t0 = System.nanoTime();
        UnitOutcome o = runOne("WO-I", firmware("fw.hex"), "sh -c \"echo Info : waiting for target; sleep 60\" {image}",
                Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(o.reasonCode()).isEqualTo("flash_failed");
        assertThat(o.measurements()).containsEntry("flasherTimedOut", true).doesNotContainKey("flasherExit");
        assertThat((String) o.measurements().get("flasherOutput")).contains("waiting for target");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
        assertScratchEmpty();
    }

    @Test
    void aBoardThatFlashesButIsNeverHeardFailsItsJoin() throws Exception {
        int silent;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort(); // nothing listens there once closed
        }
        UnitOutcome o = runOne("WO-I", firmware("fw.hex"), simFlash("{image}", silent) + " --join-timeout 1", Duration.ofSeconds(60),
                Duration.ofSeconds(3));
        assertThat(o.measurements()).containsEntry("flasherExit", 0);
        assertThat((String) o.measurements().get("flasherOutput")).contains("verified, reset").contains("radio: ");
        assertThat(o.reasonCode()).as(o.measurements().toString()).isEqualTo("join_not_heard");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void simFlashOfAnUnknownBoardStillExitsZero() throws Exception {
        IdentityBlock stranger = new IdentityBlock(Eui64.parse("70b3d57ed00f0001"), Eui64.parse("70b3d57ed0000001"),
                AesKey.parse("00112233445566778899aabbccddeeff"), Optional.empty(), "SN-X");
        Path image = Files.writeString(dir.resolve("stranger.hex"),
                ImagePatcher.patchHex(Files.readString(firmware("fw.hex")), 0x0803_F800L, stranger));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LorafabCommand.run(new String[] {"sim", "flash", "--image", image.toString(), "--identity-address", ADDRESS,
                "--server", "127.0.0.1:" + js.udpPort(), "--nvm-dir", dir.resolve("nvm").toString(), "--join-timeout", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text + err).isZero();
        assertThat(text).contains("programmed 4188 bytes, verified, reset").contains("boot: DevEUI 70b3d57ed00f0001, serial SN-X, LoRaWAN 1.0.4")
                .contains("join: no join-accept within 1 s").doesNotContainIgnoringCase("00112233445566778899aabbccddeeff");
    }

    @Test
    void theStationCommandRunsAUnitInImageMode() throws Exception {
        Path image = firmware("fw.hex");
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-cp", CLASSPATH, "io.lorafab.app.Main", "station", "--server", "http://127.0.0.1:" + api.port(),
                "--order", "WO-I", "--allocate", "--station-id", "st-img-cli", "--image", image.toString(), "--identity-address", ADDRESS,
                "--flasher", simFlash("{image}", js.udpPort()), "--flasher-timeout", "60")
                .redirectError(dir.resolve("station.err").toFile()).redirectOutput(dir.resolve("station.out").toFile());
        pb.environment().put("LORAFAB_TOKEN", token);
        Process p = pb.start();
        p.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("station.out"));
        String err = Files.readString(dir.resolve("station.err"));
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out).contains("ready: press Enter").contains("PASS 70b3d57ed0080000").contains("1 passed, 0 failed");
        Unit u = lf.registry().unit(Eui64.parse("70b3d57ed0080000")).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertNoKeyIn(u, out + err);
        assertNoKeyIn(u, lf.registry().testRuns(u.id()).get(0).measurementsJson());
    }
}
