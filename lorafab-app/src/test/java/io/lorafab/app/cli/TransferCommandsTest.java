package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export in every format and read it back; import; labels and QR codes; all through the command line. */
class TransferCommandsTest {

    @TempDir
    Path factory;

    @TempDir
    Path networkSide;

    @TempDir
    Path files;

    Cli cli;
    /** DevEUI → AppKey (hex) of the units reserved on the line. */
    final Map<String, String> keys = new HashMap<>();
    final Map<String, String> nwkKeys = new HashMap<>();

    @BeforeEach
    void aLineDay() {
        cli = new Cli(factory).init();
        assertThat(cli.run("products", "create", "--name", "tracker", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001").exit()).isZero();
        assertThat(cli.run("products", "create", "--name", "gauge", "--join-eui", "70b3d57ed0000002", "--mac-version", "1.1",
                "--region", "EU868", "--profile-id", "12340002").exit()).isZero();
        assertThat(cli.run("eui-blocks", "create", "--name", "b1", "--assignment", "MA-S", "--prefix", "70b3d57ed",
                "--first", "70b3d57ed0030000", "--size", "100").exit()).isZero();
        assertThat(cli.run("orders", "create", "--product", "tracker", "--quantity", "10", "--reference", "WO-T").exit()).isZero();
        assertThat(cli.run("orders", "create", "--product", "gauge", "--quantity", "10", "--reference", "WO-G").exit()).isZero();
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            for (String order : List.of("WO-T", "WO-G")) {
                for (int i = 0; i < 3; i++) {
                    Reservation r = lf.provisioning().reserve(new ReserveRequest(order, "st-1", null, order + "-SN" + i), "test");
                    keys.put(r.unit().devEui().toString(), r.appKey().toHex());
                    if (r.nwkKey() != null) {
                        nwkKeys.put(r.unit().devEui().toString(), r.nwkKey().toHex());
                    }
                    if (i < 2) {
                        lf.provisioning().markProgrammed(r.unit().devEui(), "st-1", "test");
                        lf.provisioning().finish(r.unit().devEui(), TestResult.PASSED, null, "{}", "st-1", "test");
                    }
                }
            }
        }
    }

    @Test
    void csvExportImportsIntoAnotherRegistryWithTheSameKeys() throws Exception {
        Path out = files.resolve("devices.csv");
        Cli.Run r = cli.run("devices", "export", "--format", "csv", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("keys in the clear");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        String csv = Files.readString(out);
        assertThat(csv.lines().count()).isEqualTo(1 + 4); // header + the 4 PASSED units

        Cli other = new Cli(networkSide).init();
        Cli.Run imp = other.run("devices", "import", out.toString());
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("imported 4 device(s)");
        try (Lorafab lf = Lorafab.open(null, networkSide, Map.of(), Clock.systemUTC())) {
            List<Unit> units = lf.registry().units(UnitQuery.all());
            assertThat(units).hasSize(4);
            for (Unit u : units) {
                assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(keys.get(u.devEui().toString())));
                if (u.macVersion().is11()) {
                    assertThat(lf.vault().unwrapNwkKey(u.keys())).isEqualTo(AesKey.parse(nwkKeys.get(u.devEui().toString())));
                }
                assertThat(u.serial()).matches("WO-[TG]-SN[01]");
            }
        }
        assertThat(cli.run("devices", "export", "--format", "csv", "--out", out.toString(), "--all-states").exit()).isZero();
        assertThat(Files.readString(out).lines().count()).isEqualTo(1 + 6);
    }

    @Test
    void wrappedExportNeedsTheSameExportKekToImport() throws Exception {
        String kek = "ns1=" + "5a".repeat(16) + "\n";
        Files.writeString(factory.resolve("export-kek.keys"), kek);
        Files.setPosixFilePermissions(factory.resolve("export-kek.keys"), PosixFilePermissions.fromString("rw-------"));
        Path out = files.resolve("wrapped.csv");
        Cli.Run r = cli.run("devices", "export", "--format", "csv", "--order", "WO-T", "--out", out.toString(), "--wrap-kek-label", "ns1");
        assertThat(r.exit()).as(r.err()).isZero();
        String csv = Files.readString(out);
        for (String k : keys.values()) {
            assertThat(csv).doesNotContainIgnoringCase(k);
        }
        assertThat(csv).contains("ns1");
        Cli other = new Cli(networkSide).init();
        assertThat(other.run("devices", "import", out.toString()).exit()).isEqualTo(1);
        Files.writeString(networkSide.resolve("export-kek.keys"), kek);
        Files.setPosixFilePermissions(networkSide.resolve("export-kek.keys"), PosixFilePermissions.fromString("rw-------"));
        Cli.Run imp = other.run("devices", "import", out.toString(), "--kek-label", "ns1");
        assertThat(imp.exit()).as(imp.err()).isZero();
        try (Lorafab lf = Lorafab.open(null, networkSide, Map.of(), Clock.systemUTC())) {
            for (Unit u : lf.registry().units(UnitQuery.all())) {
                assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(keys.get(u.devEui().toString())));
            }
        }
        assertThat(cli.run("devices", "export", "--format", "tts-csv", "--out", out.toString(), "--wrap-kek-label", "ns1")
                .exit()).isEqualTo(1);
        assertThat(cli.run("devices", "export", "--format", "csv", "--out", out.toString(), "--wrap-kek-label", "nope")
                .err()).contains("no export KEK labelled 'nope'");
    }

    @Test
    void ttsJsonCarriesIdsAndRootKeys() throws Exception {
        Path out = files.resolve("devices.json");
        assertThat(cli.run("devices", "export", "--format", "tts-json", "--out", out.toString(), "--application-id", "factory-app").exit()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            JsonNode d = json.readTree(line);
            String devEui = d.at("/ids/dev_eui").asText().toLowerCase();
            assertThat(d.at("/ids/device_id").asText()).isEqualTo("eui-" + devEui);
            assertThat(d.at("/ids/application_ids/application_id").asText()).isEqualTo("factory-app");
            assertThat(d.at("/root_keys/app_key/key").asText()).isEqualToIgnoringCase(keys.get(devEui));
            assertThat(d.at("/supports_join").asBoolean()).isTrue();
            if (nwkKeys.containsKey(devEui)) {
                assertThat(d.at("/lorawan_version").asText()).isEqualTo("MAC_V1_1");
                assertThat(d.at("/root_keys/nwk_key/key").asText()).isEqualToIgnoringCase(nwkKeys.get(devEui));
            } else {
                assertThat(d.at("/lorawan_version").asText()).isEqualTo("MAC_V1_0_3");
            }
        }
    }

    @Test
    void chirpstackAndTtsCsv() throws Exception {
        Path out = files.resolve("cs.csv");
        Cli.Run r = cli.run("devices", "export", "--format", "chirpstack-csv", "--order", "WO-T", "--out", out.toString(),
                "--application-id", "4c2a2a9e-9d5c-4c57-9e1a-1c2f0c1d2e3f", "--device-profile-id", "0b7e5a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = Files.readAllLines(out);
        List<String> header = List.of(rows.get(0).split(","));
        int devEui = header.indexOf("dev_eui");
        int nwkKey = header.indexOf("nwk_key");
        assertThat(rows).hasSize(3);
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            // ChirpStack v4 keeps a 1.0.x device's AppKey in the nwk_key field.
            assertThat(cells[nwkKey]).isEqualToIgnoringCase(keys.get(cells[devEui].toLowerCase()));
        }
        Path tts = files.resolve("tts.csv");
        assertThat(cli.run("devices", "export", "--format", "tts-csv", "--order", "WO-T", "--out", tts.toString()).exit()).isZero();
        List<String> ttsRows = Files.readAllLines(tts);
        assertThat(ttsRows.get(0)).contains("dev_eui").contains("app_key").contains(";");
        assertThat(ttsRows).hasSize(3);
    }

    @Test
    void everyExportIsAudited() throws Exception {
        cli.run("devices", "export", "--format", "csv", "--out", files.resolve("a.csv").toString());
        cli.run("devices", "export", "--format", "tts-json", "--order", "WO-G", "--out", files.resolve("b.json").toString());
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            List<String> details = lf.registry().auditLog(50).stream().filter(e -> e.action().equals("keys.export"))
                    .map(e -> e.details()).toList();
            assertThat(details).hasSize(2);
            assertThat(details).anyMatch(d -> d.contains("format=csv") && d.contains("devices=4") && d.contains("keys=clear"));
            assertThat(details).anyMatch(d -> d.contains("format=tts-json") && d.contains("devices=2"));
        }
    }

    @Test
    void aMalformedImportCommitsNothing() throws Exception {
        Path bad = files.resolve("bad.csv");
        Files.writeString(bad, "dev_eui,join_eui,app_key\n"
                + "0004a30b001c0530,70b3d57ed0000001,00112233445566778899aabbccddeeff\n"
                + "0004a30b001c0531,70b3d57ed0000001,00112233445566778899aabbccddee\n");
        Cli other = new Cli(networkSide).init();
        Cli.Run r = other.run("devices", "import", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("line 3").contains("app_key").doesNotContain("00112233445566778899");
        assertThat(r.err()).isEqualTo("error: " + bad + ": 1 rejected row, nothing imported (1 problem listed above)\n");
        assertThat(other.run("devices", "list", "--json").json()).isEmpty();
    }

    @Test
    void labelSheetsHoldPassedUnitsOnlyUnlessAllStatesIsGiven() throws Exception {
        Path pdf = files.resolve("WO-T.pdf");
        Cli.Run r = cli.run("labels", "--order", "WO-T", "--out", pdf.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("wrote 2 label(s) to " + pdf + "\n"); // WO-T: 2 PASSED, 1 RESERVED
        assertThat(Files.readAllBytes(pdf)).startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));
        Path zpl = files.resolve("WO-T.zpl");
        assertThat(cli.run("labels", "--order", "WO-T", "--out", zpl.toString()).exit()).isZero();
        assertThat(Files.readString(zpl).split("\\^XZ", -1)).hasSize(3);
        Cli.Run all = cli.run("labels", "--order", "WO-T", "--out", zpl.toString(), "--all-states");
        assertThat(all.out()).contains("wrote 3 label(s)").contains("of which not PASSED: 1 RESERVED");
        assertThat(Files.readString(zpl).split("\\^XZ", -1)).hasSize(4);
        assertThat(cli.run("labels", "--order", "WO-T", "--out", files.resolve("x.txt").toString()).exit()).isEqualTo(1);

        assertThat(cli.run("orders", "create", "--product", "tracker", "--quantity", "1", "--reference", "WO-EMPTY").exit()).isZero();
        Cli.Run none = cli.run("labels", "--order", "WO-EMPTY", "--out", pdf.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("error: no PASSED units to label in this work order (--all-states labels the others too)\n");
    }

    @Test
    void qrOfAFailedOrVoidUnitOnlyWithAnyStateAndItSaysSo() throws Exception {
        String passed;
        String failed;
        String voided;
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            passed = lf.registry().units(UnitQuery.all()).stream().filter(u -> u.state() == UnitState.PASSED).findFirst()
                    .orElseThrow().devEui().toString();
            List<String> reserved = lf.registry().units(UnitQuery.all()).stream().filter(u -> u.state() == UnitState.RESERVED)
                    .map(u -> u.devEui().toString()).toList();
            failed = reserved.get(0);
            voided = reserved.get(1);
            lf.provisioning().finish(Eui64.parse(failed), TestResult.FAILED, "join_failed", "{}", "st-1", "test");
            lf.provisioning().voidUnit(Eui64.parse(voided), "dropped", "test");
        }
        Path png = files.resolve("one.png");
        Cli.Run ok = cli.run("qr", "--dev-eui", passed, "--out", png.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.err()).isEmpty();
        assertThat(ok.out().strip()).startsWith("LW:D0:").contains(passed.toUpperCase()).containsPattern(":C[0-9A-F]{4}$");
        assertThat(Files.readAllBytes(png)).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        for (String[] c : List.of(new String[] {failed, "FAILED"}, new String[] {voided, "VOID"})) {
            Path out = files.resolve(c[1] + ".png");
            Cli.Run refused = cli.run("qr", "--dev-eui", c[0], "--out", out.toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("error: unit " + c[0] + " is " + c[1]
                    + ": its label is printed only when asked for explicitly (--any-state)\n");
            assertThat(out).doesNotExist();
            Cli.Run asked = cli.run("qr", "--dev-eui", c[0], "--out", out.toString(), "--any-state");
            assertThat(asked.exit()).as(asked.err()).isZero();
            assertThat(asked.err()).isEqualTo("note: unit " + c[0] + " is " + c[1] + ": this code is for a unit that has not passed\n");
            assertThat(out).exists();
        }
    }
}
