package io.lorafab.app.http;

import io.lorafab.joinserver.bi.BackendInterfaces;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.joinserver.bi.BiIdentity;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.EventBus;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.KeyDerivation;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRaWAN Backend Interfaces JoinReq/JoinAns and AppSKeyReq/AppSKeyAns over real HTTP, as a network server calls them. */
class BackendInterfacesApiTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey NWK_KEY = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final Eui64 DEV10 = Eui64.parse("0004a30b001c0530");
    static final Eui64 DEV11 = Eui64.parse("0004a30b001c0531");
    static final byte[] NS_KEK = Hex.parse("000102030405060708090a0b0c0d0e0f", "kek");
    static final byte[] OTHER_NS_KEK = Hex.parse("101112131415161718191a1b1c1d1e1f", "kek");
    static final byte[] AS_KEK = Hex.parse("202122232425262728292a2b2c2d2e2f", "kek");

    @TempDir
    Path dataDir;

    static final Eui64 DEV12 = Eui64.parse("0004a30b001c0532");

    Lorafab lf;
    JoinServer js;
    ApiServer server;
    ApiClient ns;

    /**
     * NetID 000013's network server, with an export KEK; DEV10 and DEV11 are of product "tracker", which allows
     * 000013 only; DEV12 allows 600013 (its own list), which has no KEK. NetID 000099 and application servers as-1
     * and as-2 have KEKs too.
     */
    @BeforeEach
    void start() throws Exception {
        Files.writeString(dataDir.resolve("export-kek.keys"), "000013=" + Hex.format(NS_KEK) + "\n000099=" + Hex.format(OTHER_NS_KEK)
                + "\nas-1=" + Hex.format(AS_KEK) + "\nas-2=" + Hex.format(OTHER_NS_KEK) + "\n");
        Files.setPosixFilePermissions(dataDir.resolve("export-kek.keys"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        Product tracker = lf.registry().createProduct(new NewProduct("tracker", JOIN_EUI, MacVersion.V1_0_3, Region.byName("EU868"),
                new ProfileId(1, 1), null, null, null));
        lf.products().setNetIds(tracker, AllowedNetIds.parse("000013"), "t");
        lf.provisioning().addDevice(new DeviceIdentity(DEV10, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null),
                tracker.id(), "t");
        lf.provisioning().addDevice(new DeviceIdentity(DEV11, JOIN_EUI, APP_KEY, NWK_KEY, MacVersion.V1_1, Region.byName("EU868"), null, null),
                tracker.id(), "t");
        lf.provisioning().addDevice(new DeviceIdentity(DEV12, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null),
                tracker.id(), AllowedNetIds.parse("600013"), "t");
        js = new JoinServer(lf.registry(), lf.joinStore(), lf.vault(), JoinServerConfig.defaults().withRateLimits(0, 0),
                Clock.systemUTC(), new EventBus());
        ns = serve(new BackendInterfaces.Settings(Duration.ofDays(1), Map.of(NetId.parse("000013"), "as-1")));
    }

    /** (Re)starts the API with these settings; the client of NetID 000013's network server. */
    ApiClient serve(BackendInterfaces.Settings settings) throws Exception {
        if (server != null) {
            server.close();
        }
        server = new ApiServer(lf, "127.0.0.1", 0, 4);
        new BackendInterfacesApi(lf, js, settings).register(server);
        server.start();
        return new ApiClient("http://127.0.0.1:" + server.port(), lf.tokens().create("000013", Role.NETWORK_SERVER, "t").secret());
    }

    ApiClient networkServer(String netId) {
        return ns.as(lf.tokens().create(netId, Role.NETWORK_SERVER, "t").secret());
    }

    @AfterEach
    void stop() {
        server.close();
        lf.close();
    }

    /** Nothing of the device's join state changed: no DevNonce used, no JoinNonce spent, no session. */
    void assertNoJoinState(Eui64 dev, String why) {
        assertThat(lf.joinStore().joinState(dev)).as(why).isEmpty();
        assertThat(lf.joinStore().latestSession(dev)).as(why).isEmpty();
    }

    List<io.lorafab.store.model.AuditEvent> audits(String action) {
        return lf.registry().auditLog(1000).stream().filter(e -> e.action().equals(action)).toList();
    }

    static String joinReq(String netId, Eui64 dev, int devNonce, AesKey micKey, String macVersion, String dlSettings) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, dev, DevNonce.of(devNonce), new Mic(0));
        jr = jr.withMic(JoinMic.joinRequestMic(micKey, jr.micPayload()));
        return "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"" + netId + "\",\"ReceiverID\":\"" + JOIN_EUI + "\","
                + "\"TransactionID\":1234,\"MessageType\":\"JoinReq\",\"MACVersion\":\"" + macVersion + "\","
                + "\"PHYPayload\":\"" + Hex.format(jr.encode()) + "\",\"DevEUI\":\"" + dev + "\",\"DevAddr\":\"26011234\","
                + "\"DLSettings\":\"" + dlSettings + "\",\"RxDelay\":1,\"CFList\":\"184f84e85684b85e84886684586e8400\"}";
    }

    @Test
    void lorawan10JoinAnsCarriesTheAcceptAndWrappedKeys() {
        ApiClient.Reply r = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 7, APP_KEY, "1.0.3", "00"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(a.get("MessageType").asText()).isEqualTo("JoinAns");
        assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(a.get("TransactionID").asLong()).isEqualTo(1234);
        assertThat(a.get("SenderID").asText()).isEqualToIgnoringCase(JOIN_EUI.toString());
        assertThat(a.get("ReceiverID").asText()).isEqualToIgnoringCase("000013");
        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(APP_KEY,
                (EncryptedJoinAccept) PhyPayloadCodec.decode(Hex.parse(a.get("PHYPayload").asText(), "p")));
        assertThat(ja.devAddr()).isEqualTo(DevAddr.parse("26011234"));
        assertThat(ja.netId()).isEqualTo(NetId.parse("000013"));
        assertThat(ja.cfList()).isPresent();
        assertThat(JoinMic.joinAcceptMic10(APP_KEY, ja.micPayload())).isEqualTo(ja.mic());
        SessionKeys expected = SessionKeys.derive10(APP_KEY, ja.joinNonce(), ja.netId(), DevNonce.of(7));
        assertThat(a.at("/NwkSKey/KEKLabel").asText()).isEqualTo("000013");
        byte[] nwk = KeyWrap.unwrap(NS_KEK, Hex.parse(a.at("/NwkSKey/AESKey").asText(), "k"));
        assertThat(AesKey.of(nwk)).isEqualTo(expected.nwkSKey());
        byte[] app = KeyWrap.unwrap(NS_KEK, Hex.parse(a.at("/AppSKey/AESKey").asText(), "k"));
        assertThat(AesKey.of(app)).isEqualTo(expected.appSKey());
        assertThat(r.raw()).asString().doesNotContainIgnoringCase(expected.appSKey().toHex());

        // The application server fetches the AppSKey by SessionKeyID.
        String sessionKeyId = a.get("SessionKeyID").asText();
        ApiClient.Reply as = ns.post("/api/backend-interfaces", "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\""
                + JOIN_EUI + "\",\"TransactionID\":99,\"MessageType\":\"AppSKeyReq\",\"DevEUI\":\"" + DEV10 + "\",\"SessionKeyID\":\""
                + sessionKeyId + "\"}");
        assertThat(as.json().at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(AesKey.of(KeyWrap.unwrap(NS_KEK, Hex.parse(as.json().at("/AppSKey/AESKey").asText(), "k"))))
                .isEqualTo(expected.appSKey());
    }

    @Test
    void sessionKeysSurviveTwoKeyRotations() {
        JsonNode a = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 21, APP_KEY, "1.0.3", "00")).json();
        assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("Success");
        byte[] appSKey = KeyWrap.unwrap(NS_KEK, Hex.parse(a.at("/AppSKey/AESKey").asText(), "k"));
        ApiClient admin = ns.as(lf.tokens().create("admin", Role.ADMIN, "t").secret());
        for (String label : new String[] {"kek-b", "kek-c"}) {
            ApiClient.Reply rot = admin.post("/api/keys/rotate", "{\"label\":\"" + label + "\"}");
            assertThat(rot.status()).as(rot.raw() == null ? "" : new String(rot.raw())).isEqualTo(200);
            assertThat(rot.json().get("sessions").asLong()).isEqualTo(1);
        }
        assertThat(lf.joinStore().sessionByKeyId(a.get("SessionKeyID").asText()).orElseThrow().kekLabel()).isEqualTo("kek-c");
        ApiClient.Reply as = ns.post("/api/backend-interfaces", "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\""
                + JOIN_EUI + "\",\"TransactionID\":98,\"MessageType\":\"AppSKeyReq\",\"DevEUI\":\"" + DEV10 + "\",\"SessionKeyID\":\""
                + a.get("SessionKeyID").asText() + "\"}");
        assertThat(as.json().at("/Result/ResultCode").asText()).as(as.json().toString()).isEqualTo("Success");
        assertThat(KeyWrap.unwrap(NS_KEK, Hex.parse(as.json().at("/AppSKey/AESKey").asText(), "k"))).isEqualTo(appSKey);
    }

    @Test
    void lorawan11JoinAnsHasThreeNetworkKeys() {
        JsonNode a = ns.post("/api/backend-interfaces", joinReq("000013", DEV11, 1, NWK_KEY, "1.1.0", "80")).json();
        assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("Success");
        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(NWK_KEY,
                (EncryptedJoinAccept) PhyPayloadCodec.decode(Hex.parse(a.get("PHYPayload").asText(), "p")));
        assertThat(ja.dlSettings().optNeg()).isTrue();
        assertThat(JoinMic.joinAcceptMic11(KeyDerivation.deriveJSIntKey(NWK_KEY, DEV11), 0xff, JOIN_EUI, 1, ja.micPayload()))
                .isEqualTo(ja.mic());
        SessionKeys expected = SessionKeys.derive11(NWK_KEY, APP_KEY, ja.joinNonce(), JOIN_EUI, DevNonce.of(1));
        for (String[] k : new String[][] {{"FNwkSIntKey", expected.fNwkSIntKey().toHex()}, {"SNwkSIntKey", expected.sNwkSIntKey().toHex()},
                {"NwkSEncKey", expected.nwkSEncKey().toHex()}}) {
            assertThat(Hex.format(KeyWrap.unwrap(NS_KEK, Hex.parse(a.at("/" + k[0] + "/AESKey").asText(), "k")))).isEqualTo(k[1]);
        }
    }

    /**
     * Issue 11, finding 1: a token for NetID 000042 sent a JoinReq, with the right MIC, for a device whose network is
     * 000013 and got Success with NwkSKey and AppSKey — in the clear, as 000042 has no KEK — and left no audit record.
     */
    @Test
    void aNetworkServerGetsNoSessionKeysOfADeviceThatDoesNotAllowItsNetId() throws Exception {
        ns = serve(new BackendInterfaces.Settings(Duration.ZERO, Map.of(), Set.of(BiIdentity.of("000042").orElseThrow())));
        ApiClient attacker = networkServer("000042");
        ApiClient.Reply r = attacker.post("/api/backend-interfaces", joinReq("000042", DEV10, 7, APP_KEY, "1.0.3", "00"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("UnknownDevEUI");
        assertThat(a.has("NwkSKey") || a.has("AppSKey") || a.has("PHYPayload") || a.has("SessionKeyID")).isFalse();
        assertNoJoinState(DEV10, "the refused JoinReq");
        // Word for word what a DevEUI that does not exist gets: which DevEUIs exist here is not told.
        Eui64 none = Eui64.parse("0004a30b001c05ff");
        JsonNode unknown = attacker.post("/api/backend-interfaces", joinReq("000042", none, 7, APP_KEY, "1.0.3", "00")).json();
        assertThat(a.at("/Result/Description").asText().replace(DEV10.toString(), "*"))
                .isEqualTo(unknown.at("/Result/Description").asText().replace(none.toString(), "*"));
        assertThat(audits("bi.join_refused")).filteredOn(e -> e.subject().equals(DEV10.toString())).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("bi:000042");
                    assertThat(e.details()).contains("net_id=000042", "result=UnknownDevEUI", "reason=net_id_not_allowed");
                });
        // The device's own network server still joins it, with the same DevNonce: nothing was spent.
        JsonNode own = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 7, APP_KEY, "1.0.3", "00")).json();
        assertThat(own.at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(audits("bi.join")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("bi:000013");
            assertThat(e.subject()).isEqualTo(DEV10.toString());
            assertThat(e.details()).contains("net_id=000013", "result=Success", "keys=wrapped:000013");
        });
    }

    record NoKekCase(String name, String netId, Eui64 dev, Set<String> plainKeys, String resultCode, boolean clear) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void sessionKeysGoInTheClearOnlyToANetIdExplicitlyAllowedThem() throws Exception {
        for (NoKekCase c : List.of(
                new NoKekCase("no KEK, plain keys not allowed", "600013", DEV12, Set.of(), "Other", false),
                new NoKekCase("no KEK, plain keys allowed for another NetID", "600013", DEV12, Set.of("000042", "as:as-1"), "Other",
                        false),
                new NoKekCase("no KEK, plain keys allowed for it", "600013", DEV12, Set.of("600013"), "Success", true),
                new NoKekCase("a KEK: wrapped, whatever is allowed", "000013", DEV10, Set.of("000013"), "Success", false))) {
            ns = serve(new BackendInterfaces.Settings(Duration.ZERO, Map.of(),
                    c.plainKeys().stream().map(id -> BiIdentity.of(id).orElseThrow()).collect(java.util.stream.Collectors.toSet())));
            int devNonce = 40 + c.plainKeys().size();
            JsonNode a = networkServer(c.netId()).post("/api/backend-interfaces", joinReq(c.netId(), c.dev(), devNonce, APP_KEY,
                    "1.0.3", "00")).json();
            assertThat(a.at("/Result/ResultCode").asText()).as(c.name()).isEqualTo(c.resultCode());
            if (c.resultCode().equals("Other")) {
                assertThat(a.at("/Result/Description").asText()).as(c.name()).isEqualTo("no export KEK for NetID 600013: add "
                        + "600013=<32 hex digits> to export-kek.keys in lorafab's data folder or 600013:<hex> to LORAFAB_EXPORT_KEKS, "
                        + "or allow plain keys for it with lorafab server --bi-plain-keys 600013");
                assertThat(a.has("NwkSKey")).as(c.name()).isFalse();
                assertNoJoinState(c.dev(), c.name());
            } else {
                assertThat(a.at("/NwkSKey/KEKLabel").asText()).as(c.name()).isEqualTo(c.clear() ? "" : c.netId());
                assertThat(a.at("/AppSKey/KEKLabel").asText()).as(c.name()).isEqualTo(c.clear() ? "" : c.netId());
                assertThat(a.at("/NwkSKey/AESKey").asText()).as(c.name()).hasSize(c.clear() ? 32 : 48);
            }
        }
        assertThat(audits("bi.join_refused")).extracting(e -> e.details())
                .allSatisfy(d -> assertThat(d).contains("net_id=600013", "result=Other", "reason=no_export_kek")).hasSize(2);
        assertThat(audits("bi.join")).extracting(e -> e.details()).anySatisfy(d -> assertThat(d).contains("keys=clear"));
    }

    @Test
    void anExportKekFileThatCannotBeTrustedIsNotTakenForNoKek() throws Exception {
        // Group-readable: the key file is refused as a whole, so no KEK of it can be used; the keys must not go out
        // in the clear instead, even to a NetID allowed plain keys.
        Files.setPosixFilePermissions(dataDir.resolve("export-kek.keys"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        ns = serve(new BackendInterfaces.Settings(Duration.ZERO, Map.of(), Set.of(BiIdentity.of("000013").orElseThrow())));
        JsonNode a = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 5, APP_KEY, "1.0.3", "00")).json();
        assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("Other");
        assertThat(a.at("/Result/Description").asText()).contains("export KEKs cannot be read").doesNotContain(dataDir.toString());
        assertNoJoinState(DEV10, "a join that could not be answered");
        // A malformed line: the same, and no path or line of the file reaches the network server.
        Files.writeString(dataDir.resolve("export-kek.keys"), "000013=" + Hex.format(NS_KEK) + "\nnot a key line\n");
        Files.setPosixFilePermissions(dataDir.resolve("export-kek.keys"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ApiClient.Reply malformed = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 6, APP_KEY, "1.0.3", "00"));
        assertThat(malformed.status()).isEqualTo(200);
        assertThat(malformed.json().at("/Result/ResultCode").asText()).isEqualTo("Other");
        assertThat(malformed.raw()).asString().doesNotContain(dataDir.toString()).doesNotContain("line 2");
        assertNoJoinState(DEV10, "a join that could not be answered");
        assertThat(audits("bi.join_refused")).extracting(e -> e.details())
                .anySatisfy(d -> assertThat(d).contains("reason=export_keks_unusable: key_file_not_private"))
                .anySatisfy(d -> assertThat(d).contains("reason=export_keks_unusable: malformed"));
    }

    @Test
    void appSKeyReqWithoutAKekForTheCallerIsRefusedUnlessPlainKeysAreAllowed() throws Exception {
        // Application server as-3 (no export KEK) is the one of NetID 000013's sessions.
        ns = serve(new BackendInterfaces.Settings(Duration.ZERO, Map.of(NetId.parse("000013"), "as-3")));
        JsonNode join = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 60, APP_KEY, "1.0.3", "00")).json();
        String sessionKeyId = join.get("SessionKeyID").asText();
        AesKey appSKey = AesKey.of(KeyWrap.unwrap(NS_KEK, Hex.parse(join.at("/AppSKey/AESKey").asText(), "k")));
        String as3 = lf.tokens().create("as:as-3", Role.NETWORK_SERVER, "t").secret();

        JsonNode refused = ns.as(as3).post("/api/backend-interfaces", appSKeyReq("as-3", DEV10, sessionKeyId)).json();
        assertThat(refused.at("/Result/ResultCode").asText()).isEqualTo("Other");
        assertThat(refused.at("/Result/Description").asText()).contains("no export KEK for application server as-3",
                "--bi-plain-keys as:as-3");
        assertThat(refused.has("AppSKey")).isFalse();
        assertThat(audits("bi.app_s_key_refused")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("bi:as:as-3");
            assertThat(e.subject()).isEqualTo(DEV10.toString());
            assertThat(e.details()).contains("as_id=as-3", "result=Other", "reason=no_export_kek");
        });

        serve(new BackendInterfaces.Settings(Duration.ZERO, Map.of(NetId.parse("000013"), "as-3"),
                Set.of(BiIdentity.of("as:as-3").orElseThrow())));
        ApiClient allowed = new ApiClient("http://127.0.0.1:" + server.port(), as3);
        JsonNode plain = allowed.post("/api/backend-interfaces", appSKeyReq("as-3", DEV10, sessionKeyId)).json();
        assertThat(plain.at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(plain.at("/AppSKey/KEKLabel").asText()).isEmpty();
        assertThat(AesKey.parse(plain.at("/AppSKey/AESKey").asText())).isEqualTo(appSKey);
        assertThat(audits("bi.app_s_key")).singleElement().satisfies(e -> assertThat(e.details()).contains("keys=clear"));
    }

    @Test
    void refusalsAreAuditedAtMostTenAMinutePerCallerAndResult() {
        ApiClient attacker = networkServer("000042");
        for (int i = 0; i < 15; i++) {
            JsonNode a = attacker.post("/api/backend-interfaces", joinReq("000042", DEV10, 100 + i, APP_KEY, "1.0.3", "00")).json();
            assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("Other");
        }
        assertThat(audits("bi.join_refused")).hasSize(BackendInterfaces.AUDITED_REFUSALS_PER_MINUTE);
        // Another caller, or another result, is counted apart.
        assertThat(ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 9, NWK_KEY, "1.0.3", "00")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("MICFailed");
        assertThat(audits("bi.join_refused")).hasSize(BackendInterfaces.AUDITED_REFUSALS_PER_MINUTE + 1)
                .first().satisfies(e -> assertThat(e.details()).contains("net_id=000013", "result=MICFailed"));
    }

    @Test
    void failuresCarryResultCodes() {
        assertThat(ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 9, NWK_KEY, "1.0.3", "00")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("MICFailed");
        assertThat(ns.post("/api/backend-interfaces", joinReq("000013", Eui64.parse("0004a30b001c05ff"), 9, APP_KEY, "1.0.3", "00"))
                .json().at("/Result/ResultCode").asText()).isEqualTo("UnknownDevEUI");
        ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 10, APP_KEY, "1.0.3", "00"));
        assertThat(ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 10, APP_KEY, "1.0.3", "00")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("JoinReqFailed");
        assertThat(ns.post("/api/backend-interfaces", joinReq("c00013", DEV10, 11, APP_KEY, "1.0.3", "00")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("UnknownSender");
        ApiClient.Reply bad = ns.post("/api/backend-interfaces", "{\"ProtocolVersion\":");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("bad_json");
        assertThat(bad.json().at("/error/message").asText()).isEqualTo("body: invalid JSON, unexpected end of input at line 1, column 20");
        ApiClient.Reply echo = ns.post("/api/backend-interfaces", "{\"AppKey\": 2b7e151628aed2a6abf7158809cf4f3c}");
        assertThat(echo.code()).isEqualTo("bad_json");
        assertThat(echo.json().toString()).doesNotContain("2b7e1516").doesNotContain("Unrecognized");
        ApiClient.Reply notBi = ns.post("/api/backend-interfaces", "[1]");
        assertThat(notBi.code()).isEqualTo("malformed_request");
        assertThat(ns.as(null).post("/api/backend-interfaces", joinReq("000013", DEV10, 12, APP_KEY, "1.0.3", "00")).status())
                .isEqualTo(401);
        ApiClient operator = ns.as(lf.tokens().create("line", Role.OPERATOR, "t").secret());
        assertThat(operator.post("/api/backend-interfaces", joinReq("000013", DEV10, 12, APP_KEY, "1.0.3", "00")).status())
                .isEqualTo(403);
    }

    /**
     * A JoinReq that the join server cannot serve for a fault of its own (here a stored AppKey that no longer unwraps
     * under its KEK, as after a restore with the wrong KEK) still gets a JoinAns, HTTP 200, with ResultCode Other and
     * a Description that names the code, not the server's key labels: an HTTP error is no Backend Interfaces answer.
     */
    @Test
    void aJoinReqMeetingAFaultOfTheJoinServerGetsAJoinAnsWithAResultCode() {
        lf.registry().updateUnit(DEV10, u -> {
            byte[] broken = u.keys().appKey().clone();
            broken[0] ^= 1;
            return u.withKeys(new io.lorafab.store.model.WrappedKeys(u.keys().kekLabel(), broken, u.keys().nwkKey()), java.time.Instant.now());
        });
        ApiClient.Reply r = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 40, APP_KEY, "1.0.3", "00"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("MessageType").asText()).isEqualTo("JoinAns");
        assertThat(r.json().at("/Result/ResultCode").asText()).isEqualTo("Other");
        // the code's own text, not the vault's message, which names the KEK
        assertThat(r.json().at("/Result/Description").asText()).isEqualTo("key_unwrap_failed: a stored key does not unwrap under its KEK");
        assertThat(r.json().has("AppSKey")).isFalse();
        assertNoJoinState(DEV10, "a refused join");
        assertThat(audits("bi.join_refused")).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("result=Other", "reason=key_unwrap_failed"));
    }

    static String appSKeyReq(String senderId, Eui64 dev, String sessionKeyId) {
        return "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"" + senderId + "\",\"ReceiverID\":\"" + JOIN_EUI
                + "\",\"TransactionID\":99,\"MessageType\":\"AppSKeyReq\",\"DevEUI\":\"" + dev + "\",\"SessionKeyID\":\""
                + sessionKeyId + "\"}";
    }

    record AppSKeyCase(String name, String token, String senderId, String resultCode, byte[] kek) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void appSKeyReqIsAnsweredOnlyToTheSessionsNetworkServerOrItsApplicationServer() {
        JsonNode join = ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 20, APP_KEY, "1.0.3", "00")).json();
        assertThat(join.at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(join.get("Lifetime").asLong()).isEqualTo(86_400);
        String sessionKeyId = join.get("SessionKeyID").asText();
        AesKey appSKey = AesKey.of(KeyWrap.unwrap(NS_KEK, Hex.parse(join.at("/AppSKey/AESKey").asText(), "k")));
        for (AppSKeyCase c : List.of(
                new AppSKeyCase("the session's network server", "000013", "000013", "Success", NS_KEK),
                new AppSKeyCase("the session's application server, under its own KEK", "as:as-1", "as-1", "Success", AS_KEK),
                new AppSKeyCase("another network server asking for itself", "000099", "000099", "UnknownDevEUI", null),
                new AppSKeyCase("another network server naming the session's NetID", "000099", "000013", "UnknownSender", null),
                new AppSKeyCase("another application server", "as:as-2", "as-2", "UnknownDevEUI", null),
                new AppSKeyCase("an application server naming another AS-ID", "as:as-2", "as-1", "UnknownSender", null),
                new AppSKeyCase("the application server naming the NetID", "as:as-1", "000013", "UnknownSender", null))) {
            ApiClient caller = ns.as(lf.tokens().create(c.token(), Role.NETWORK_SERVER, "t").secret());
            ApiClient.Reply r = caller.post("/api/backend-interfaces", appSKeyReq(c.senderId(), DEV10, sessionKeyId));
            assertThat(r.json().at("/Result/ResultCode").asText()).as(c.name()).isEqualTo(c.resultCode());
            assertThat(r.raw()).as(c.name()).asString().doesNotContainIgnoringCase(appSKey.toHex());
            if (c.kek() != null) {
                assertThat(AesKey.of(KeyWrap.unwrap(c.kek(), Hex.parse(r.json().at("/AppSKey/AESKey").asText(), "k")))).as(c.name())
                        .isEqualTo(appSKey);
            } else {
                assertThat(r.json().has("AppSKey")).as(c.name()).isFalse();
            }
        }
        assertThat(lf.registry().auditLog(50)).filteredOn(e -> e.action().equals("bi.app_s_key"))
                .extracting(e -> e.actor()).containsExactlyInAnyOrder("bi:000013", "bi:as:as-1");
    }

    @Test
    void anApplicationServerSendsNoJoinReq() {
        ApiClient as = ns.as(lf.tokens().create("as:as-1", Role.NETWORK_SERVER, "t").secret());
        assertThat(as.post("/api/backend-interfaces", joinReq("000013", DEV10, 21, APP_KEY, "1.0.3", "00")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("UnknownSender");
        assertThat(lf.joinStore().joinState(DEV10)).isEmpty();
    }

    @Test
    void networkServerTokensWithoutANetIdAreRefused() {
        // a token made before network-server tokens had to be named after their identity (the service now refuses it)
        ApiClient legacy = ns.as(new io.lorafab.provisioning.service.ApiTokens(lf.registry(), new java.security.SecureRandom())
                .create("any-ns", Role.NETWORK_SERVER, "t").secret());
        ApiClient.Reply r = legacy.post("/api/backend-interfaces", joinReq("600013", DEV10, 22, APP_KEY, "1.0.3", "00"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("token_not_scoped");
        assertThat(lf.joinStore().joinState(DEV10)).isEmpty();
        ApiClient admin = ns.as(lf.tokens().create("admin", Role.ADMIN, "t").secret());
        ApiClient.Reply create = admin.post("/api/tokens", "{\"name\":\"any-ns\",\"role\":\"network-server\"}");
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.raw()).asString().contains("000013");
        assertThat(admin.post("/api/tokens", "{\"name\":\"000099\",\"role\":\"network-server\"}").status()).isEqualTo(201);
    }

    record RefusedJoin(String name, Eui64 dev, String macVersion, String dlSettings, String resultCode) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void aRefusedJoinReqChangesNothing() {
        for (RefusedJoin c : List.of(
                new RefusedJoin("1.1 session asked of a 1.0.3 device", DEV10, "1.1.0", "80", "JoinReqFailed"),
                new RefusedJoin("MACVersion 1.1 for a 1.0.3 device, no OptNeg", DEV10, "1.1.0", "00", "JoinReqFailed"),
                new RefusedJoin("OptNeg with MACVersion 1.0.3", DEV10, "1.0.3", "80", "MalformedRequest"),
                new RefusedJoin("MACVersion 1.0.3 for a 1.1 device", DEV11, "1.0.3", "00", "JoinReqFailed"))) {
            AesKey key = c.dev().equals(DEV11) ? NWK_KEY : APP_KEY;
            JsonNode a = ns.post("/api/backend-interfaces", joinReq("000013", c.dev(), 30, key, c.macVersion(), c.dlSettings())).json();
            assertThat(a.at("/Result/ResultCode").asText()).as(c.name()).isEqualTo(c.resultCode());
            assertThat(lf.joinStore().joinState(c.dev())).as(c.name()).isEmpty();
            assertThat(lf.joinStore().latestSession(c.dev())).as(c.name()).isEmpty();
        }
        assertThat(lf.joinStore().events(null, 0, 100)).extracting(e -> e.kind()).doesNotContain("join_accepted");
        // The same DevNonce, asked for rightly, is still free.
        assertThat(ns.post("/api/backend-interfaces", joinReq("000013", DEV10, 30, APP_KEY, "1.0.3", "00")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(ns.post("/api/backend-interfaces", joinReq("000013", DEV11, 30, NWK_KEY, "1.1", "80")).json()
                .at("/Result/ResultCode").asText()).isEqualTo("Success");
    }

    /**
     * A join server that completes JoinReqs' joins later (as one that answers after its group commit does): here the
     * real join, run on another thread once the test opens the gate.
     */
    @Test
    void aJoinReqWaitingForItsJoinHoldsNoHandlerThreadAndIsAnsweredWhenTheJoinCompletes() throws Exception {
        server.close();
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService joiner = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(2);
        io.lorafab.joinserver.bi.JoinHandling later = (phy, overrides, audit) -> {
            reached.countDown();
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return js.handle(phy, null, overrides, audit);
            }, joiner);
        };
        server = new ApiServer(lf, "127.0.0.1", 0, 1); // one handler permit: a JoinReq holding it would block every other request
        new BackendInterfacesApi(lf, later, new BackendInterfaces.Settings(Duration.ofDays(1), Map.of())).register(server);
        server.start();
        ApiClient client = new ApiClient("http://127.0.0.1:" + server.port(), lf.tokens().create("000013", Role.NETWORK_SERVER, "t")
                .secret());
        try {
            java.util.concurrent.CompletableFuture<ApiClient.Reply> first = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> client.post("/api/backend-interfaces", joinReq("000013", DEV10, 40, APP_KEY, "1.0.3", "00")));
            java.util.concurrent.CompletableFuture<ApiClient.Reply> refused = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> client.post("/api/backend-interfaces", joinReq("000013", DEV10, 42, APP_KEY, "1.1.0", "00")));
            assertThat(reached.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("both JoinReqs reached the join").isTrue();
            // a third is refused before its join (SenderID is not the token's NetID), while the first still waits
            ApiClient.Reply other = client.post("/api/backend-interfaces", joinReq("000099", DEV10, 41, APP_KEY, "1.0.3", "00"));
            assertThat(other.json().at("/Result/ResultCode").asText()).isEqualTo("UnknownSender");
            assertThat(first).isNotDone();
            assertNoJoinState(DEV10, "the join has not run");
            gate.countDown();
            JsonNode a = first.get(30, java.util.concurrent.TimeUnit.SECONDS).json();
            assertThat(a.at("/Result/ResultCode").asText()).isEqualTo("Success");
            assertThat(a.get("SessionKeyID").asText()).isEqualTo(lf.joinStore().latestSession(DEV10).orElseThrow().sessionKeyId());
            // a rejection that completes later is a JoinAns with its ResultCode, as on the blocking path (1.1 for a 1.0.3 device)
            assertThat(refused.get(30, java.util.concurrent.TimeUnit.SECONDS).json().at("/Result/ResultCode").asText())
                    .isEqualTo("JoinReqFailed");
        } finally {
            gate.countDown();
            joiner.shutdownNow();
        }
    }
}
