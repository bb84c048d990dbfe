package io.lorafab.app.cli;

import io.lorafab.store.model.AllowedNetIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry commands run in-process, one after another, on one SQLite data folder: a small factory day. */
class RegistryCommandsTest {

    static final String APP_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
    static final String DEV_EUI = "0011223344556677";
    static final String JOIN_EUI = "70b3d57ed0000000";
    static final String ACTOR = "cli:" + System.getProperty("user.name");

    @TempDir
    Path dir;

    Lorafab open() {
        return Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
    }

    @Test
    void aFactoryDayThroughTheCommandLine() throws Exception {
        Cli cli = new Cli(dir).init();

        // products
        Cli.Run p = cli.run("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI, "--mac-version", "1.0.3",
                "--region", "eu868", "--vendor-id", "4660", "--model-id", "1", "--rssi-min", "-100", "--snr-min", "-7.5", "--json");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.err()).isEmpty();
        assertThat(p.json().get("profileId").asText()).isEqualTo("12340001");
        assertThat(p.json().get("region").asText()).isEqualTo("EU868");
        assertThat(cli.run("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.1",
                "--region", "US915", "--profile-id", "1234000A", "--programming-profile", "image:stm32").exit()).isZero();
        JsonNode products = cli.run("products", "list", "--json").json();
        assertThat(products).hasSize(2);
        JsonNode tracker = products.get(0);
        assertThat(tracker.get("name").asText()).isEqualTo("tracker");
        assertThat(tracker.get("joinEui").asText()).isEqualTo(JOIN_EUI);
        assertThat(tracker.get("macVersion").asText()).isEqualTo("1.0.3");
        assertThat(tracker.get("vendorId").asInt()).isEqualTo(4660);
        assertThat(tracker.get("programmingProfile").asText()).isEqualTo("at:rak3172");
        assertThat(tracker.get("rssiMinDbm").asDouble()).isEqualTo(-100.0);
        assertThat(tracker.get("snrMinDb").asDouble()).isEqualTo(-7.5);
        assertThat(products.get(1).get("modelId").asInt()).isEqualTo(10);
        assertThat(products.get(1).get("rssiMinDbm").isNull()).isTrue();
        String table = cli.run("products", "list").out();
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table).containsPattern("(?m)^ID +NAME +JOIN EUI +MAC +REGION +PROFILE ID +PROGRAMMING +RSSI MIN +SNR MIN +SERIAL TEMPLATE +NET IDS$")
                .containsPattern("(?m)^ 1  tracker  70b3d57ed0000000  1\\.0\\.3  EU868   12340001    at:rak3172   +-100 +-7\\.5  \\{product\\}-\\{yyMM\\}-\\{seq:06\\}  none$");

        // EUI blocks
        Cli.Run b = cli.run("eui-blocks", "create", "--name", "line-1", "--assignment", "MA-L", "--prefix", "70B3D5",
                "--first", "70b3d50000001000", "--size", "100", "--product", "tracker");
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).containsPattern("(?m)^last +70b3d50000001063$");
        assertThat(cli.run("eui-blocks", "create", "--name", "spare", "--assignment", "ma-s", "--prefix", "70B3D57ED",
                "--first", "70b3d57ed0000f00").exit()).isZero();
        JsonNode blocks = cli.run("eui-blocks", "list", "--json").json();
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).get("product").asText()).isEqualTo("tracker");
        assertThat(blocks.get(0).get("first").asText()).isEqualTo("70b3d50000001000");
        assertThat(blocks.get(0).get("last").asText()).isEqualTo("70b3d50000001063");
        assertThat(blocks.get(0).get("used").asLong()).isZero();
        assertThat(blocks.get(0).get("remaining").asLong()).isEqualTo(100);
        assertThat(blocks.get(1).get("product").isNull()).isTrue();
        assertThat(blocks.get(1).get("assignment").asText()).isEqualTo("MA-S");
        assertThat(blocks.get(1).get("last").asText()).isEqualTo("70b3d57edfffffff"); // --first alone: to the end of the space
        assertThat(blocks.get(1).get("size").asLong()).isEqualTo((1L << 28) - 0xf00);

        // work orders: generated references count up within the day
        Cli.Run o = cli.run("orders", "create", "--product", "tracker", "--quantity", "10", "--json");
        assertThat(o.exit()).as(o.err()).isZero();
        String ref = o.json().get("reference").asText();
        assertThat(ref).matches("WO-\\d{8}-1");
        assertThat(o.json().get("state").asText()).isEqualTo("OPEN");
        assertThat(cli.run("orders", "create", "--product", "tracker", "--quantity", "5", "--json").json().get("reference").asText())
                .isEqualTo(ref.substring(0, ref.length() - 1) + "2");
        assertThat(cli.run("orders", "create", "--product", "sensor", "--quantity", "1", "--reference", "PO-77").exit()).isZero();
        JsonNode orders = cli.run("orders", "list", "--json").json();
        assertThat(orders).hasSize(3);
        assertThat(orders.get(2).get("reference").asText()).isEqualTo("PO-77");
        assertThat(orders.get(2).get("product").asText()).isEqualTo("sensor");
        assertThat(cli.run("orders", "list").out()).containsPattern("(?m)^PO-77 +sensor +1  OPEN ");

        // a device made elsewhere, with its key
        Cli.Run add = cli.run("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key", APP_KEY,
                "--serial", "SN-0001", "--name", "demo", "--product", "tracker");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).containsPattern("(?m)^state +PROGRAMMED$").doesNotContainIgnoringCase(APP_KEY);

        // two units made on the line (as a station would), one passing, one failing
        List<String> lineKeys = new ArrayList<>();
        try (Lorafab lf = open()) {
            for (TestResult result : List.of(TestResult.PASSED, TestResult.FAILED)) {
                Reservation r = lf.provisioning().reserve(new ReserveRequest(ref, "station-1", null, null), "test");
                lineKeys.add(r.appKey().toHex());
                lf.provisioning().markProgrammed(r.unit().devEui(), "station-1", "test");
                lf.provisioning().finish(r.unit().devEui(), result, result == TestResult.FAILED ? "join_timeout" : null,
                        "{}", "station-1", "test");
            }
        }

        Cli.Run shown = cli.run("orders", "show", ref, "--json");
        assertThat(shown.exit()).as(shown.err()).isZero();
        JsonNode s = shown.json();
        assertThat(s.get("order").get("reference").asText()).isEqualTo(ref);
        assertThat(s.get("product").get("name").asText()).isEqualTo("tracker");
        assertThat(s.get("counts").get("PASSED").asLong()).isEqualTo(1);
        assertThat(s.get("counts").get("FAILED").asLong()).isEqualTo(1);
        assertThat(s.get("counts").get("RESERVED").asLong()).isZero();
        assertThat(s.get("units").asLong()).isEqualTo(2);
        assertThat(s.get("yield").asDouble()).isEqualTo(0.5);
        assertThat(cli.run("orders", "show", ref).out()).containsPattern("(?m)^yield +50\\.0% \\(1 passed, 1 failed\\)$")
                .containsPattern("(?m)^  PASSED +1$");
        assertThat(cli.run("orders", "show", "PO-77", "--json").json().get("yield").isNull()).isTrue();

        // listing devices: identities and states, never keys
        Cli.Run list = cli.run("devices", "list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode devices = list.json();
        assertThat(devices).hasSize(3);
        JsonNode d = devices.get(0);
        assertThat(d.get("devEui").asText()).isEqualTo(DEV_EUI);
        assertThat(d.get("joinEui").asText()).isEqualTo(JOIN_EUI);
        assertThat(d.get("product").asText()).isEqualTo("tracker");
        assertThat(d.get("order").isNull()).isTrue();
        assertThat(d.get("serial").asText()).isEqualTo("SN-0001");
        assertThat(d.get("name").asText()).isEqualTo("demo");
        assertThat(d.get("macVersion").asText()).isEqualTo("1.0.3");
        assertThat(d.get("region").asText()).isEqualTo("EU868");
        assertThat(d.get("state").asText()).isEqualTo("PROGRAMMED");
        assertThat(d.get("origin").asText()).isEqualTo("ADDED");
        assertThat(devices.get(1).get("devEui").asText()).isEqualTo("70b3d50000001000");
        assertThat(devices.get(1).get("order").asText()).isEqualTo(ref);
        Set<String> fields = new HashSet<>();
        devices.forEach(n -> n.fieldNames().forEachRemaining(fields::add));
        assertThat(fields).noneMatch(f -> f.toLowerCase().contains("key"));
        assertNoKeyMaterial(list.out(), lineKeys);
        assertNoKeyMaterial(cli.run("devices", "list").out(), lineKeys);

        assertThat(cli.run("devices", "list", "--order", ref, "--json").json()).hasSize(2);
        JsonNode passed = cli.run("devices", "list", "--order", ref, "--state", "passed", "--json").json();
        assertThat(passed).hasSize(1);
        assertThat(passed.get(0).get("devEui").asText()).isEqualTo("70b3d50000001000");
        assertThat(cli.run("devices", "list", "--state", "PROGRAMMED", "--json").json()).hasSize(1);
        assertThat(cli.run("devices", "list").out()).containsPattern("(?m)^DEV EUI +JOIN EUI +STATE +PRODUCT +ORDER +SERIAL +NAME +MAC +REGION$")
                .containsPattern("(?m)^0011223344556677  70b3d57ed0000000  PROGRAMMED  tracker +- +SN-0001 +demo +1\\.0\\.3  EU868$")
                .containsPattern("(?m)^70b3d50000001000  70b3d57ed0000000  PASSED +tracker +WO-\\S+ +tracker-\\d{4}-000001 +- ");
        assertThat(cli.run("eui-blocks", "list", "--json").json().get(0).get("used").asLong()).isEqualTo(2);

        // API tokens: shown once, the token alone on stdout (`> file` captures exactly it), the note on stderr
        Cli.Run t1 = cli.run("tokens", "create", "--role", "operator", "--name", "line-1");
        assertThat(t1.exit()).as(t1.err()).isZero();
        assertThat(t1.out()).matches("lft_[A-Za-z0-9_-]{43}\n");
        String operatorToken = t1.out().strip();
        assertThat(t1.err().lines().toList()).singleElement().asString()
                .startsWith("note: token 1 (operator, 'line-1')").contains("cannot be shown again").doesNotContain(operatorToken);
        Cli.Run t2 = cli.run("tokens", "create", "--role", "network-server", "--name", "000013", "--json");
        assertThat(t2.exit()).as(t2.err()).isZero();
        JsonNode t2j = t2.json();
        assertThat(t2j.get("id").asLong()).isEqualTo(2);
        assertThat(t2j.get("name").asText()).isEqualTo("000013");
        assertThat(t2j.get("role").asText()).isEqualTo("network-server");
        String nsToken = t2j.get("token").asText();
        assertThat(nsToken).startsWith("lft_");
        Cli.Run tl = cli.run("tokens", "list", "--json");
        assertThat(tl.json()).hasSize(2);
        assertThat(tl.out()).doesNotContain(operatorToken).doesNotContain(nsToken).doesNotContain("\"token\"");
        assertThat(tl.json().get(0).get("role").asText()).isEqualTo("operator");
        assertThat(tl.json().get(0).get("active").asBoolean()).isTrue();
        Cli.Run revoke = cli.run("tokens", "revoke", "1");
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(revoke.out().strip()).isEqualTo("revoked token 1");
        JsonNode afterRevoke = cli.run("tokens", "list", "--json").json();
        assertThat(afterRevoke.get(0).get("active").asBoolean()).isFalse();
        assertThat(afterRevoke.get(0).get("revokedAt").isNull()).isFalse();
        assertThat(cli.run("tokens", "list").out()).containsPattern("(?m)^ 1  line-1 +operator +no ")
                .doesNotContain(nsToken);
        try (Lorafab lf = open()) {
            assertThat(lf.tokens().authenticate(operatorToken)).isEmpty();
            assertThat(lf.tokens().authenticate(nsToken)).isPresent();
        }

        // KEK rotation: every key re-wrapped, still the same key
        Cli.Run rot = cli.run("keys", "rotate", "--label", "kek-second", "--json");
        assertThat(rot.exit()).as(rot.err()).isZero();
        assertThat(rot.json().get("label").asText()).isEqualTo("kek-second");
        assertThat(rot.json().get("rewrapped").asLong()).isEqualTo(3);
        assertThat(cli.run("devices", "list", "--json").json()).hasSize(3);
        try (Lorafab lf = open()) {
            Unit u = lf.registry().unit(Eui64.parse(DEV_EUI)).orElseThrow();
            assertThat(u.keys().kekLabel()).isEqualTo("kek-second");
            assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(APP_KEY));
            assertThat(lf.vault().unwrapNwkKey(u.keys())).isNull();
        }
        Cli.Run rot2 = cli.run("keys", "rotate"); // default label kek-<epoch seconds>
        assertThat(rot2.exit()).as(rot2.err()).isZero();
        assertThat(rot2.out()).containsPattern("(?m)^label +kek-\\d+(-\\d+)?$").containsPattern("(?m)^previousLabel +kek-second$")
                .containsPattern("(?m)^rewrapped +3$");
        assertThat(cli.run("devices", "list").exit()).isZero();
        try (Lorafab lf = open()) {
            for (Unit u : lf.registry().units(UnitQuery.all())) {
                assertThat(u.keys().kekLabel()).startsWith("kek-").isNotEqualTo("kek-second");
            }
            Unit u = lf.registry().unit(Eui64.parse(DEV_EUI)).orElseThrow();
            assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(APP_KEY));

            // every change made through the command line is audited as cli:<user>
            List<AuditEvent> log = lf.registry().auditLog(100);
            Set<String> cliActions = new HashSet<>();
            for (AuditEvent e : log) {
                if (e.actor().equals(ACTOR)) {
                    cliActions.add(e.action());
                } else {
                    assertThat(e.actor()).isEqualTo("test");
                }
            }
            assertThat(cliActions).containsExactlyInAnyOrder("product.create", "eui_block.create", "work_order.create",
                    "devices.add", "token.create", "token.revoke", "keys.rotate");
            assertThat(log).filteredOn(e -> e.action().equals("keys.rotate")).hasSize(2);
        }
    }

    @Test
    void aProductsSerialTemplateNamesItsAllocatedUnitsTheLabelShowsItAndDevicesListFindsIt() throws Exception {
        Cli cli = new Cli(dir).init();
        Cli.Run bad = cli.run("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI, "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--serial-template", "TRK-{week}-{seq}");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("error: --serial-template: unknown placeholder {week} "
                + "(use {product}, {yyyy}, {yy}, {MM}, {dd}, {yyMM}, {seq} or {seq:0N})\n");
        Cli.Run p = cli.run("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI, "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--serial-template", "TRK-{seq:04}", "--json");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.json().get("serialTemplate").asText()).isEqualTo("TRK-{seq:04}");
        assertThat(cli.run("eui-blocks", "create", "--name", "b", "--assignment", "MA-S", "--prefix", "70b3d57ed", "--first",
                "70b3d57ed0001000", "--size", "10", "--product", "tracker").exit()).isZero();
        assertThat(cli.run("orders", "create", "--product", "tracker", "--quantity", "5", "--reference", "WO-S").exit()).isZero();
        Cli.Run whole = cli.run("eui-blocks", "create", "--name", "spare", "--assignment", "MA-S", "--prefix", "70b3d57ed", "--first",
                "70b3d57ed0000000", "--size", "16");
        assertThat(whole.exit()).as(whole.err()).isZero();
        assertThat(whole.err()).isEqualTo("note: " + JOIN_EUI + " is the JoinEUI of product tracker: this block skips it and never "
                + "hands it out as a DevEUI\n");
        try (Lorafab lf = open()) {
            for (int i = 0; i < 3; i++) {
                lf.provisioning().reserve(new ReserveRequest("WO-S", "st-1", null, null), "test");
            }
            lf.provisioning().reserve(new ReserveRequest("WO-S", "st-1", null, "SCANNED-LABEL-9"), "test"); // the station's wins
        }
        JsonNode one = cli.run("devices", "list", "--serial", "TRK-0002", "--json").json();
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("devEui").asText()).isEqualTo("70b3d57ed0001001");
        assertThat(cli.run("devices", "list", "--serial", "TRK-*", "--json").json()).extracting(n -> n.get("serial").asText())
                .containsExactly("TRK-0001", "TRK-0002", "TRK-0003");
        assertThat(cli.run("devices", "list", "--serial", "SCANNED-LABEL-9", "--json").json()).hasSize(1);
        assertThat(cli.run("devices", "list", "--serial", "TRK-9999", "--json").json()).isEmpty();
        Path zpl = dir.resolve("all.zpl");
        assertThat(cli.run("labels", "--order", "WO-S", "--out", zpl.toString(), "--all-states").exit()).isZero();
        assertThat(java.nio.file.Files.readString(zpl)).contains("S/N TRK-0001").contains(":STRK-0001");
    }

    @Test
    void aLorawan11DeviceTakesItsDefaultsFromTheProduct() {
        Cli cli = new Cli(dir).init();
        assertThat(cli.run("products", "create", "--name", "sensor", "--join-eui", JOIN_EUI, "--mac-version", "1.1",
                "--region", "AS923-2", "--profile-id", "00010002").exit()).isZero();
        String nwkKey = "000102030405060708090a0b0c0d0e0f";
        Cli.Run missing = cli.run("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key", APP_KEY,
                "--product", "sensor");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("error: --nwk-key: a LoRaWAN 1.1 device needs a NwkKey");
        Cli.Run add = cli.run("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key", APP_KEY,
                "--nwk-key", nwkKey, "--product", "sensor", "--json");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.json().get("macVersion").asText()).isEqualTo("1.1");
        assertThat(add.json().get("region").asText()).isEqualTo("AS923-2");
        assertThat(add.out()).doesNotContain(APP_KEY).doesNotContain(nwkKey);
        try (Lorafab lf = open()) {
            Unit u = lf.registry().unit(Eui64.parse(DEV_EUI)).orElseThrow();
            assertThat(lf.vault().unwrapNwkKey(u.keys())).isEqualTo(AesKey.parse(nwkKey));
            assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(APP_KEY));
        }
    }

    @Test
    void keysRotateTwiceKeepsJoinServerSessionKeysReadable() {
        Cli cli = new Cli(dir).init();
        List<AesKey> keys = List.of(AesKey.parse("00112233445566778899aabbccddeeff"), AesKey.parse("0102030405060708090a0b0c0d0e0f10"),
                AesKey.parse("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"), AesKey.parse("f0e0d0c0b0a090807060504030201000"));
        try (Lorafab lf = open()) {
            lf.joinStore().commitJoin(Eui64.parse(DEV_EUI), io.lorafab.lorawan.types.MacVersion.V1_1,
                    io.lorafab.lorawan.types.DevNonce.of(1), io.lorafab.lorawan.types.NetId.of(0x13), null, grant -> {
                        var w = lf.vault().wrapAll(keys.toArray(AesKey[]::new));
                        return new io.lorafab.store.join.NewSession("sk-1", w.kekLabel(), w.wrapped().get(0), w.wrapped().get(1),
                                w.wrapped().get(2), w.wrapped().get(3), true, null);
                    }, null);
        }
        for (String label : List.of("kek-b", "kek-c")) {
            Cli.Run rot = cli.run("keys", "rotate", "--label", label, "--json");
            assertThat(rot.exit()).as(rot.err()).isZero();
            assertThat(rot.json().get("sessions").asLong()).isEqualTo(1);
            assertThat(rot.json().get("units").asLong()).isZero();
        }
        try (Lorafab lf = open()) {
            var s = lf.joinStore().sessionByKeyId("sk-1").orElseThrow();
            assertThat(s.kekLabel()).isEqualTo("kek-c");
            assertThat(List.of(lf.vault().unwrapKey(s.kekLabel(), s.fNwkSIntKey()), lf.vault().unwrapKey(s.kekLabel(), s.sNwkSIntKey()),
                    lf.vault().unwrapKey(s.kekLabel(), s.nwkSEncKey()), lf.vault().unwrapKey(s.kekLabel(), s.appSKey())))
                    .isEqualTo(keys);
        }
    }

    @Test
    void rewrapFinishesARotationDoneByHand() throws Exception {
        Cli cli = new Cli(dir).init();
        assertThat(cli.run("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key", APP_KEY).exit()).isZero();
        // an operator puts a new KEK first in the key file, keeping the old one listed
        Path keyFile = dir.resolve("kek.keys");
        List<String> lines = new ArrayList<>(java.nio.file.Files.readAllLines(keyFile));
        int first = 0;
        while (lines.get(first).startsWith("#")) {
            first++;
        }
        lines.add(first, "kek-manual=" + "5a".repeat(32));
        java.nio.file.Files.write(keyFile, lines);

        Cli.Run r = cli.run("keys", "rewrap", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("label").asText()).isEqualTo("kek-manual");
        assertThat(r.json().get("rewrapped").asLong()).isEqualTo(1);
        try (Lorafab lf = open()) {
            Unit u = lf.registry().unit(Eui64.parse(DEV_EUI)).orElseThrow();
            assertThat(u.keys().kekLabel()).isEqualTo("kek-manual");
            assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(APP_KEY));
            assertThat(lf.registry().auditLog(10)).anyMatch(e -> e.action().equals("keys.rewrap") && e.actor().equals(ACTOR));
        }
        assertThat(cli.run("keys", "rewrap").out()).containsPattern("(?m)^rewrapped +0$");
    }

    @Test
    void emptyRegistryListsAreEmpty() {
        Cli cli = new Cli(dir).init();
        for (String group : List.of("products", "eui-blocks", "orders", "devices", "tokens")) {
            Cli.Run json = cli.run(group, "list", "--json");
            assertThat(json.exit()).as(group + ": " + json.err()).isZero();
            assertThat(json.json().isArray()).isTrue();
            assertThat(json.json()).isEmpty();
            assertThat(cli.run(group, "list").out().lines().toList()).as(group).hasSize(1); // the header
        }
    }

    /** No root key, and no wrapped key as stored, appears in {@code output}. */
    private void assertNoKeyMaterial(String output, List<String> otherKeys) {
        assertThat(output.toLowerCase()).doesNotContain(APP_KEY);
        for (String k : otherKeys) {
            assertThat(output.toLowerCase()).doesNotContain(k);
        }
        try (Lorafab lf = open()) {
            for (Unit u : lf.registry().units(UnitQuery.all())) {
                assertThat(output.toLowerCase()).doesNotContain(Hex.format(u.keys().appKey()));
            }
        }
    }

    @Test
    void theNetworkServersThatMayJoinDevicesAreNamedByNetIdPerProductAndPerDevice() throws Exception {
        Cli cli = new Cli(dir).init();
        Cli.Run p = cli.run("products", "create", "--name", "tracker", "--join-eui", JOIN_EUI, "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "00010002", "--net-ids", "000042,000013", "--json");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.json().get("netIds")).extracting(JsonNode::asText).containsExactly("000013", "000042");
        assertThat(cli.run("products", "list").out()).containsPattern("(?m)^ 1  tracker .* 000013,000042$");

        assertThat(cli.run("devices", "add", "--dev-eui", DEV_EUI, "--join-eui", JOIN_EUI, "--app-key", APP_KEY, "--product", "tracker",
                "--json").json().get("netIds")).extracting(JsonNode::asText).containsExactly("000013", "000042");
        String own = "0004a30b001c0531";
        Cli.Run add = cli.run("devices", "add", "--dev-eui", own, "--join-eui", JOIN_EUI, "--app-key", APP_KEY, "--product", "tracker",
                "--net-ids", "600013", "--json");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.json().get("netIds")).extracting(JsonNode::asText).containsExactly("600013");

        Path csv = dir.resolve("import.csv");
        java.nio.file.Files.writeString(csv, "dev_eui,join_eui,app_key\n0004a30b001c0533," + JOIN_EUI + "," + APP_KEY
                + "\n0004a30b001c0534," + JOIN_EUI + "," + APP_KEY + "\n");
        Cli.Run imported = cli.run("devices", "import", csv.toString(), "--product", "tracker", "--net-ids", "000099");
        assertThat(imported.exit()).as(imported.err()).isZero();
        Cli.Run piped = cli.runWithInput("dev_eui,join_eui,app_key\n0004a30b001c0535," + JOIN_EUI + "," + APP_KEY + "\n",
                "devices", "import", "-", "--product", "tracker");
        assertThat(piped.exit()).as("'-' reads the CSV from standard input: " + piped.err()).isZero();

        Cli.Run set = cli.run("products", "set-net-ids", "--name", "tracker", "--net-ids", "", "--json");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.json().get("netIds")).isEmpty();
        try (Lorafab lf = open()) {
            assertThat(lf.registry().allowedNetIds(Eui64.parse(DEV_EUI))).as("the product's, now none").isEqualTo(AllowedNetIds.none());
            assertThat(lf.registry().allowedNetIds(Eui64.parse(own)).toString()).as("its own").isEqualTo("600013");
            assertThat(lf.registry().allowedNetIds(Eui64.parse("0004a30b001c0534")).toString()).as("imported with their own")
                    .isEqualTo("000099");
            assertThat(lf.registry().unit(Eui64.parse("0004a30b001c0535"))).as("imported from standard input").isPresent();
            assertThat(lf.registry().auditLog(20)).extracting(e -> e.action() + " " + e.subject() + " " + e.details())
                    .contains("product.net_ids tracker net_ids=", "product.net_ids tracker net_ids=000013,000042",
                            "device.net_ids " + own + " net_ids=600013");
        }

        for (String[] bad : List.of(
                new String[] {"products", "set-net-ids", "--name", "tracker", "--net-ids", "000013,13"},
                new String[] {"devices", "add", "--dev-eui", "0004a30b001c0532", "--join-eui", JOIN_EUI, "--app-key", APP_KEY,
                        "--net-ids", "net-a"})) {
            Cli.Run r = cli.run(bad);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().strip()).startsWith("error: --net-ids: '").endsWith("' is not a NetID (6 hex digits, e.g. 000013); "
                    + "separate several with commas");
        }
    }
}
