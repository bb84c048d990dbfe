package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.cli.LorafabCommand;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line and the HTTP API are two adapters over the same services: each case below does one thing once
 * through {@code lorafab ...} on one registry and once through the API on another, and compares what each wrote
 * to its audit trail (action, subject, details; the actor is each adapter's own) and the references it made.
 * These are the cases that had drifted apart when each adapter held its own copy of the rule.
 */
class CliApiParityTest {

    static final String PRODUCT = "\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":\"1.0.3\","
            + "\"region\":\"EU868\",\"profileId\":\"12340001\"";

    @TempDir
    Path cliDir;

    @TempDir
    Path apiDir;

    Lorafab lorafab;
    ApiServer server;
    ApiClient admin;
    long cliSeen;
    long apiSeen;

    @BeforeEach
    void start() throws Exception {
        cli("init");
        // both registries begin with one admin token, so that the ids of the tokens made below are the same on both
        cli("tokens", "create", "--role", "admin", "--name", "admin");
        lorafab = Lorafab.open(null, apiDir, Map.of(), Clock.systemUTC());
        server = new ApiServer(lorafab, "127.0.0.1", 0, 4);
        server.start();
        admin = new ApiClient("http://127.0.0.1:" + server.port(), lorafab.tokens().create("admin", Role.ADMIN, "test").secret());
        cliSeen = newestId(cliAudit());
        apiSeen = newestId(apiAudit());
    }

    @AfterEach
    void stop() {
        server.close();
        lorafab.close();
    }

    @Test
    void creatingAProductWithNetIdsIsAuditedAlikeUnderTheProductsId() {
        cli("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3", "--region",
                "EU868", "--profile-id", "12340001", "--net-ids", "000013");
        api("POST", "/api/products", "{" + PRODUCT + ",\"netIds\":[\"000013\"]}", 201);
        List<JsonNode> records = sameRecords();
        assertThat(records).extracting(r -> r.get("action").asText()).containsExactly("product.net_ids", "product.create");
        assertThat(records.get(1).get("subject").asText()).isEqualTo("product:1");
    }

    @Test
    void aProductThatRunsTheCertificationProfileSaysSoOnBoth() {
        JsonNode byCli = cliJson("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--certification-profile", "--json");
        JsonNode byApi = api("POST", "/api/products", "{" + PRODUCT + ",\"certificationProfile\":true}", 201);
        assertThat(byCli.get("certificationProfile").asBoolean()).isTrue();
        assertThat(byApi.get("certificationProfile").asBoolean()).isTrue();
        sameRecords();
        JsonNode plain = api("POST", "/api/products", "{\"name\":\"meter\",\"joinEui\":\"70b3d57ed0000002\",\"macVersion\":\"1.0.3\","
                + "\"region\":\"EU868\",\"profileId\":\"12340001\"}", 201);
        assertThat(plain.get("certificationProfile").asBoolean()).as("false unless asked for").isFalse();
    }

    @Test
    void aProductsCertificationDataRatesAndFirmwareVersionAreTheSameOnBoth() {
        JsonNode byCli = cliJson("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--certification-profile", "--certification-data-rates", "5,3,1",
                "--certification-firmware-version", "1.4.2", "--json");
        JsonNode byApi = api("POST", "/api/products", "{" + PRODUCT + ",\"certificationProfile\":true,\"certificationDataRates\":[5,3,1],"
                + "\"certificationFirmwareVersion\":\"1.4.2\"}", 201);
        for (JsonNode p : List.of(byCli, byApi)) {
            assertThat(p.get("certificationDataRates").toString()).isEqualTo("[5,3,1]");
            assertThat(p.get("certificationFirmwareVersion").asText()).isEqualTo("1.4.2");
        }
        sameRecords();
    }

    @Test
    void aCertificationDataRateTheRegionLacksOrAMalformedFirmwareVersionIsRefusedOnBothNamingTheField() {
        Run cli = run("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--certification-profile", "--certification-data-rates", "5,12");
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err().strip()).endsWith("--certification-data-rates: DR12 is not an uplink data rate of EU868 (uplink: DR0, DR1,"
                + " DR2, DR3, DR4, DR5, DR6, DR7, DR8, DR9, DR10, DR11)");
        assertThat(api("POST", "/api/products", "{" + PRODUCT + ",\"certificationProfile\":true,\"certificationDataRates\":[5,12]}", 400)
                .at("/error/message").asText()).startsWith("field 'certificationDataRates': DR12 is not an uplink data rate of EU868");

        Run badVersion = run("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--certification-profile", "--certification-firmware-version", "v1.4");
        assertThat(badVersion.exit()).isNotZero();
        assertThat(badVersion.err()).contains("--certification-firmware-version: a version is major.minor.patch");
        assertThat(api("POST", "/api/products", "{" + PRODUCT + ",\"certificationProfile\":true,\"certificationFirmwareVersion\":\"v1.4\"}",
                400).at("/error/message").asText()).startsWith("field 'certificationFirmwareVersion': a version is major.minor.patch");

        // without the profile nothing would check them
        Run noProfile = run("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001", "--certification-data-rates", "5");
        assertThat(noProfile.err()).contains("need --certification-profile");
        assertThat(api("POST", "/api/products", "{" + PRODUCT + ",\"certificationDataRates\":[5]}", 400).at("/error/message").asText())
                .contains("need 'certificationProfile': true");
    }

    @Test
    void anEuiBlockWithAFirstEuiAndNoSizeRunsToTheEndOfItsSpaceOnBoth() {
        product();
        JsonNode byCli = cliJson("eui-blocks", "create", "--name", "b1", "--assignment", "MA-S", "--prefix", "70b3d57ed",
                "--first", "70b3d57ed0010000", "--product", "sensor", "--json");
        JsonNode byApi = api("POST", "/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\"}", 201);
        assertThat(byApi.get("last").asText()).isEqualTo(byCli.get("last").asText()).isEqualTo("70b3d57edfffffff");
        assertThat(sameRecords()).extracting(r -> r.get("subject").asText()).containsExactly("eui_block:1");
    }

    @Test
    void anOrderWithoutAReferenceGetsTheSameDailyReferenceAndAuditOnBoth() {
        product();
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd"));
        List<String> cliRefs = new ArrayList<>();
        List<String> apiRefs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            cliRefs.add(cliJson("orders", "create", "--product", "sensor", "--quantity", "5", "--json").get("reference").asText());
            apiRefs.add(api("POST", "/api/orders", "{\"product\":\"sensor\",\"quantity\":5}", 201).get("reference").asText());
        }
        assertThat(apiRefs).isEqualTo(cliRefs);
        // WO-<UTC day>-1 and -2 (a run across midnight UTC starts the next day at 1)
        assertThat(cliRefs.get(0)).matches("WO-\\d{8}-1");
        assertThat(cliRefs).anyMatch(r -> r.startsWith("WO-" + day + "-"));
        assertThat(cliRefs.get(1)).isIn("WO-" + day + "-2", "WO-" + day + "-1");
        List<JsonNode> records = sameRecords();
        assertThat(records).extracting(r -> r.get("action").asText()).containsOnly("work_order.create");
        assertThat(records).extracting(r -> r.get("subject").asText())
                .containsExactlyInAnyOrder("work_order:" + cliRefs.get(0), "work_order:" + cliRefs.get(1));
        assertThat(records.get(0).get("details").asText()).isEqualTo("product=sensor quantity=5");
    }

    @Test
    void closingAndReopeningAnOrderIsAuditedAlike() {
        product();
        cli("orders", "create", "--product", "sensor", "--quantity", "5", "--reference", "WO-1");
        api("POST", "/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":5}", 201);
        cli("orders", "close", "WO-1", "--reason", "batch done");
        api("POST", "/api/orders/WO-1/close", "{\"reason\":\"batch done\"}", 200);
        cli("orders", "reopen", "WO-1");
        api("POST", "/api/orders/WO-1/reopen", null, 200);
        assertThat(sameRecords()).extracting(r -> r.get("action").asText() + " " + r.get("subject").asText())
                .containsExactly("work_order.reopen work_order:WO-1", "work_order.close work_order:WO-1",
                        "work_order.create work_order:WO-1");
    }

    @Test
    void creatingAndRevokingATokenIsAuditedAlikeAndANetworkServerTokenIsNamedAfterItsIdentityOnBoth() {
        Run badCli = run("tokens", "create", "--role", "network-server", "--name", "chirpstack");
        ApiClient.Reply badApi = admin.post("/api/tokens", "{\"name\":\"chirpstack\",\"role\":\"network-server\"}");
        assertThat(badCli.exit()).isEqualTo(1);
        assertThat(badApi.status()).isEqualTo(400);
        String rule = "a network-server token must carry the identity it speaks for, not 'chirpstack'";
        assertThat(badCli.err()).contains(rule);
        assertThat(badApi.json().at("/error/message").asText()).startsWith(rule);

        long cliId = cliJson("tokens", "create", "--role", "network-server", "--name", "000013", "--json").get("id").asLong();
        long apiId = api("POST", "/api/tokens", "{\"name\":\"000013\",\"role\":\"network-server\"}", 201).get("id").asLong();
        assertThat(apiId).isEqualTo(cliId);
        cli("tokens", "revoke", Long.toString(cliId));
        api("DELETE", "/api/tokens/" + apiId, null, 200);
        assertThat(sameRecords()).extracting(r -> r.get("action").asText() + " " + r.get("subject").asText() + " "
                + r.get("details").asText()).containsExactly("token.revoke token:" + cliId + " null",
                        "token.create token:" + cliId + " role=network-server name=000013");
    }

    @Test
    void aDeviceAddedWithoutMacVersionAndRegionTakesItsProductsOnBothAndIsVoidedAlike() {
        cli("products", "create", "--name", "sensor11", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.1", "--region",
                "US915", "--profile-id", "12340001");
        api("POST", "/api/products", "{\"name\":\"sensor11\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":\"1.1\","
                + "\"region\":\"US915\",\"profileId\":\"12340001\"}", 201);
        JsonNode byCli = cliJson("devices", "add", "--dev-eui", "0004a30b001c0530", "--join-eui", "70b3d57ed0000001", "--app-key",
                "2b7e151628aed2a6abf7158809cf4f3c", "--nwk-key", "000102030405060708090a0b0c0d0e0f", "--product", "sensor11", "--json");
        JsonNode byApi = api("POST", "/api/devices", "{\"devEui\":\"0004a30b001c0530\",\"joinEui\":\"70b3d57ed0000001\","
                + "\"appKey\":\"2b7e151628aed2a6abf7158809cf4f3c\",\"nwkKey\":\"000102030405060708090a0b0c0d0e0f\","
                + "\"product\":\"sensor11\"}", 201);
        for (JsonNode u : List.of(byCli, byApi)) {
            assertThat(u.get("macVersion").asText()).isEqualTo("1.1");
            assertThat(u.get("region").asText()).isEqualTo("US915");
        }
        cli("devices", "void", "0004a30b001c0530", "--reason", "cracked");
        api("POST", "/api/units/0004a30b001c0530/void", "{\"reason\":\"cracked\"}", 200);
        assertThat(sameRecords()).extracting(r -> r.get("action").asText() + " " + r.get("subject").asText())
                .containsExactly("unit.void 0004a30b001c0530", "devices.add 0004a30b001c0530", "product.create product:1");
    }

    @Test
    void aKeyRotationIsAuditedAlikeAndAGeneratedKekLabelFollowsOneScheme() {
        String cliPrevious = cliJson("keys", "rotate", "--label", "kek-next", "--json").get("previousLabel").asText();
        String apiPrevious = api("POST", "/api/keys/rotate", "{\"label\":\"kek-next\"}", 200).get("previous").asText();
        List<JsonNode> records = sameRecords(Map.of(cliPrevious, "PREVIOUS"), Map.of(apiPrevious, "PREVIOUS"));
        assertThat(records).extracting(r -> r.get("subject").asText() + " " + r.get("details").asText())
                .containsExactly("kek:kek-next previous=PREVIOUS rewrapped=0 units=0 sessions=0 held=file");
        String cliLabel = cliJson("keys", "rotate", "--json").get("label").asText();
        String apiLabel = api("POST", "/api/keys/rotate", null, 200).get("label").asText();
        assertThat(List.of(cliLabel, apiLabel)).allMatch(l -> l.matches("kek-\\d{10}(-\\d+)?"));
        cli("keys", "rewrap");
        assertThat(cliAudit().get(0).get("action").asText()).isEqualTo("keys.rewrap");
    }

    @Test
    void theAuditTrailIsFilteredAlike() {
        product();
        cli("orders", "create", "--product", "sensor", "--quantity", "5", "--reference", "WO-1");
        api("POST", "/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":5}", 201);
        JsonNode byCli = cliJson("audit", "--action", "work_order.*", "--since", "1h", "--limit", "5", "--json");
        JsonNode byApi = api("GET", "/api/audit?action=work_order.*&since=1h&limit=5", null, 200);
        assertThat(comparable(byApi)).isEqualTo(comparable(byCli)).hasSize(1);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** product "sensor" on both registries, its audit records compared and passed over. */
    void product() {
        cli("products", "create", "--name", "sensor", "--join-eui", "70b3d57ed0000001", "--mac-version", "1.0.3", "--region",
                "EU868", "--profile-id", "12340001");
        api("POST", "/api/products", "{" + PRODUCT + "}", 201);
        sameRecords();
    }

    List<JsonNode> sameRecords() {
        return sameRecords(Map.of(), Map.of());
    }

    /**
     * The audit records each adapter wrote since the last call, newest first, after asserting that they are the same
     * but for their ids, times and actors (each adapter's own: {@code cli:<user>}, {@code token:<id>:<name>}); the
     * texts in {@code cliNames} / {@code apiNames} are replaced first (what differs by nature, e.g. a random KEK label).
     */
    List<JsonNode> sameRecords(Map<String, String> cliNames, Map<String, String> apiNames) {
        List<JsonNode> cliNew = since(cliAudit(), cliSeen);
        List<JsonNode> apiNew = since(apiAudit(), apiSeen);
        cliSeen = newestId(cliAudit());
        apiSeen = newestId(apiAudit());
        assertThat(cliNew).isNotEmpty().allMatch(r -> r.get("actor").asText().startsWith("cli:"));
        assertThat(apiNew).allMatch(r -> r.get("actor").asText().equals("token:1:admin"));
        List<String> c = comparable(cliNew, cliNames);
        assertThat(comparable(apiNew, apiNames)).isEqualTo(c);
        return cliNew.stream().map(r -> (JsonNode) new ObjectMapper().valueToTree(renamed(r, cliNames))).toList();
    }

    static List<String> comparable(JsonNode records) {
        List<JsonNode> l = new ArrayList<>();
        records.forEach(l::add);
        return comparable(l, Map.of());
    }

    static List<String> comparable(List<JsonNode> records, Map<String, String> names) {
        return records.stream().map(r -> renamed(r, names)).map(m -> m.get("action") + " | " + m.get("subject") + " | "
                + m.get("details")).toList();
    }

    static Map<String, String> renamed(JsonNode r, Map<String, String> names) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String f : List.of("action", "subject", "details")) {
            String v = r.get(f).isNull() ? "null" : r.get(f).asText();
            for (Map.Entry<String, String> e : names.entrySet()) {
                v = v.replace(e.getKey(), e.getValue());
            }
            m.put(f, v);
        }
        return m;
    }

    static List<JsonNode> since(JsonNode records, long id) {
        List<JsonNode> out = new ArrayList<>();
        records.forEach(r -> {
            if (r.get("id").asLong() > id) {
                out.add(r);
            }
        });
        return out;
    }

    static long newestId(JsonNode records) {
        return records.isEmpty() ? 0 : records.get(0).get("id").asLong();
    }

    JsonNode cliAudit() {
        return cliJson("audit", "--limit", "1000", "--json");
    }

    JsonNode apiAudit() {
        return api("GET", "/api/audit?limit=1000", null, 200);
    }

    JsonNode api(String method, String path, String body, int status) {
        ApiClient.Reply r = admin.send(method, path, body);
        assertThat(r.status()).as(method + " " + path + ": " + new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo(status);
        return r.json();
    }

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--data-dir", cliDir.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LorafabCommand.run(a.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run cli(String... args) {
        Run r = run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    JsonNode cliJson(String... args) {
        Run r = cli(args);
        try {
            return new ObjectMapper().readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.out(), e);
        }
    }
}
