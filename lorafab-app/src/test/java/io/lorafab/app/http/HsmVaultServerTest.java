package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.Role;
import io.lorafab.store.vault.KekRing;
import io.lorafab.testkit.SoftHsm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose KEK is in a PKCS#11 token (SoftHSM2, a fresh token per test): reservations and joins over Semtech UDP
 * and Backend Interfaces, rotation from a file KEK to a token KEK and back with every unit still joining, and the
 * start refused with one line — before any port is opened — when the token cannot be used.
 */
class HsmVaultServerTest {

    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final byte[] NS_KEK = Hex.parse("000102030405060708090a0b0c0d0e0f", "kek");
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** The API and the join server (UDP and Backend Interfaces) of one lorafab instance, as {@code lorafab server}. */
    record Server(Lorafab lf, ApiServer api, JoinServerRuntime js, PacketForwarderClient gw) implements AutoCloseable {
        static Server start(Path dir, Map<String, String> env) throws Exception {
            Lorafab lf = Lorafab.open(null, dir, env, Clock.systemUTC());
            ApiServer api = new ApiServer(lf, "127.0.0.1", 0, 4);
            JoinServerRuntime js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withRateLimits(0, 0),
                    SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0)), null, null, api,
                    BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME);
            js.start();
            api.start();
            // one test gateway for the server's life: a gateway whose address changes is held off for a while
            PacketForwarderClient gw = new PacketForwarderClient(Eui64.parse("0000000000000a01"), new InetSocketAddress("127.0.0.1", js.udpPort()));
            gw.pull(WAIT);
            return new Server(lf, api, js, gw);
        }

        ApiClient client(String name, Role role) {
            return new ApiClient("http://127.0.0.1:" + api.port(), lf.tokens().create(name, role, "t").secret());
        }

        /** A join over UDP through a test gateway: the join-accept comes back and opens with the AppKey. */
        JoinAccept joinOverUdp(Eui64 dev, AesKey appKey, int devNonce) throws IOException {
            {
                // each join at its own gateway time: the server plans the gateway's downlinks and would find RX1 and RX2 taken
                gw.push(PacketForwarderClient.rxpk(joinRequest(dev, appKey, devNonce), devNonce * 20_000_000L, 868_100_000L, 7, -61, 9.0));
                SemtechPacket.PullResp resp = gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no join-accept for " + dev));
                gw.txAck(resp, TxAckError.NONE);
                JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(appKey, (EncryptedJoinAccept) PhyPayloadCodec.decode(resp.txpk().data()));
                assertThat(JoinMic.joinAcceptMic10(appKey, ja.micPayload())).isEqualTo(ja.mic());
                return ja;
            }
        }

        @Override
        public void close() {
            gw.close();
            js.close();
            api.close();
            lf.close();
        }
    }

    static byte[] joinRequest(Eui64 dev, AesKey appKey, int devNonce) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, dev, DevNonce.of(devNonce), new Mic(0));
        return jr.withMic(JoinMic.joinRequestMic(appKey, jr.micPayload())).encode();
    }

    static String joinReq(Eui64 dev, AesKey appKey, int devNonce) {
        return "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\"" + JOIN_EUI + "\","
                + "\"TransactionID\":1234,\"MessageType\":\"JoinReq\",\"MACVersion\":\"1.0.3\","
                + "\"PHYPayload\":\"" + Hex.format(joinRequest(dev, appKey, devNonce)) + "\",\"DevEUI\":\"" + dev + "\",\"DevAddr\":\"26011234\","
                + "\"DLSettings\":\"00\",\"RxDelay\":1}";
    }

    private void writeExportKek() throws IOException {
        Path f = dir.resolve("export-kek.keys");
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, "000013=" + Hex.format(NS_KEK) + "\n");
    }

    @Test
    void aServerWithItsKekInTheTokenReservesAndJoinsOverUdpAndBackendInterfaces() throws Exception {
        SoftHsm.Token token = SoftHsm.freshToken();
        writeExportKek();
        try (Server s = Server.start(dir, token.env())) {
            // the first start made the KEK in the token: the key file only names it
            assertThat(s.lf().vault().ring().active().inToken()).isTrue();
            assertThat(Files.readString(dir.resolve(KekRing.FILE_NAME))).contains(s.lf().vault().activeLabel() + "=pkcs11")
                    .doesNotContainPattern("=[0-9a-fA-F]{32}");
            ApiClient engineer = s.client("eng", Role.ENGINEER);
            ApiClient operator = s.client("line", Role.OPERATOR);
            assertThat(engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"" + JOIN_EUI + "\",\"macVersion\":\"1.0.3\","
                    + "\"region\":\"EU868\",\"profileId\":\"12340001\",\"netIds\":[\"000013\"]}").status()).isEqualTo(201);
            assertThat(engineer.post("/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                    + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\",\"size\":100}").status()).isEqualTo(201);
            assertThat(engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":10}").status())
                    .isEqualTo(201);

            // reservation: keys generated, wrapped in the token, committed, then handed to the station
            List<Eui64> devs = new ArrayList<>();
            List<AesKey> keys = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ApiClient.Reply r = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}");
                assertThat(r.status()).as(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo(201);
                assertThat(r.json().get("kekLabel").asText()).isEqualTo(s.lf().vault().activeLabel());
                devs.add(Eui64.parse(r.json().get("devEui").asText()));
                keys.add(AesKey.parse(r.json().get("appKey").asText()));
            }
            // the stored wrap is RFC 3394 under the token's KEK: the vault reads back what the station was given
            for (int i = 0; i < devs.size(); i++) {
                assertThat(s.lf().vault().unwrapAppKey(s.lf().registry().unit(devs.get(i)).orElseThrow().keys())).isEqualTo(keys.get(i));
            }

            // a join over Semtech UDP for each unit
            for (int i = 0; i < devs.size(); i++) {
                s.joinOverUdp(devs.get(i), keys.get(i), 10 + i);
            }

            // a join through Backend Interfaces: the join-accept and the session keys, wrapped for the network server
            ApiClient ns = s.client("000013", Role.NETWORK_SERVER);
            ApiClient.Reply r = ns.post("/api/backend-interfaces", joinReq(devs.get(0), keys.get(0), 77));
            JsonNode a = r.json();
            assertThat(a.at("/Result/ResultCode").asText()).as(a.toString()).isEqualTo("Success");
            JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(keys.get(0),
                    (EncryptedJoinAccept) PhyPayloadCodec.decode(Hex.parse(a.get("PHYPayload").asText(), "p")));
            SessionKeys expected = SessionKeys.derive10(keys.get(0), ja.joinNonce(), ja.netId(), DevNonce.of(77));
            assertThat(AesKey.of(KeyWrap.unwrap(NS_KEK, Hex.parse(a.at("/NwkSKey/AESKey").asText(), "k")))).isEqualTo(expected.nwkSKey());
            // the session's keys are stored under the token's KEK too, and read back for the application server
            ApiClient.Reply as = ns.post("/api/backend-interfaces", "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\""
                    + JOIN_EUI + "\",\"TransactionID\":99,\"MessageType\":\"AppSKeyReq\",\"DevEUI\":\"" + devs.get(0) + "\",\"SessionKeyID\":\""
                    + a.get("SessionKeyID").asText() + "\"}");
            assertThat(as.json().at("/Result/ResultCode").asText()).as(as.json().toString()).isEqualTo("Success");
            assertThat(s.lf().joinStore().sessionByKeyId(a.get("SessionKeyID").asText()).orElseThrow().kekLabel())
                    .isEqualTo(s.lf().vault().activeLabel());

            // the API rotates as the command line does: out of the token and back, every key set re-wrapped each time
            ApiClient admin = s.client("admin", Role.ADMIN);
            ApiClient.Reply toFile = admin.post("/api/keys/rotate", "{\"label\":\"api-file\",\"to\":\"file\"}");
            assertThat(toFile.status()).as(new String(toFile.raw(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(s.lf().vault().ring().active().inToken()).isFalse();
            ApiClient.Reply toHsm = admin.post("/api/keys/rotate", "{\"label\":\"api-hsm\",\"to\":\"hsm\"}");
            assertThat(toHsm.status()).isEqualTo(200);
            assertThat(toHsm.json().get("units").asLong()).isEqualTo(3);
            assertThat(toHsm.json().get("sessions").asLong()).isEqualTo(4);
            assertThat(s.lf().vault().ring().active().inToken()).isTrue();
            ApiClient.Reply bad = admin.post("/api/keys/rotate", "{\"to\":\"disk\"}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.code()).isEqualTo("invalid_input");
            s.joinOverUdp(devs.get(1), keys.get(1), 90);
            ApiClient.Reply again = ns.post("/api/backend-interfaces", "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"000013\",\"ReceiverID\":\""
                    + JOIN_EUI + "\",\"TransactionID\":98,\"MessageType\":\"AppSKeyReq\",\"DevEUI\":\"" + devs.get(0) + "\",\"SessionKeyID\":\""
                    + a.get("SessionKeyID").asText() + "\"}");
            assertThat(again.json().at("/Result/ResultCode").asText()).as(again.json().toString()).isEqualTo("Success");
        }
    }

    @Test
    void rotationFromAFileKekToATokenKekAndBackKeepsEveryUnitJoining() throws Exception {
        SoftHsm.Token token = SoftHsm.freshToken();
        Map<AesKey, Eui64> units = new LinkedHashMap<>();
        String fileKek;
        try (Lorafab lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC())) {
            fileKek = lf.vault().activeLabel();
            assertThat(lf.vault().ring().active().inToken()).isFalse();
            for (int i = 0; i < 4; i++) {
                AesKey k = AesKey.parse(String.format("2b7e151628aed2a6abf71588%08x", i));
                Eui64 dev = Eui64.of(0x0004a30b001c0600L + i);
                lf.provisioning().addDevice(new DeviceIdentity(dev, JOIN_EUI, k, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null),
                        null, "t");
                units.put(k, dev);
            }
        }
        // the server joins them with the file KEK while the token is configured (the token holds no KEK yet)
        int nonce = 1;
        try (Server s = Server.start(dir, token.env())) {
            for (Map.Entry<AesKey, Eui64> u : units.entrySet()) {
                s.joinOverUdp(u.getValue(), u.getKey(), nonce++);
            }
        }
        Run toHsm = lorafab(token.env(), "keys", "rotate", "--to-hsm", "--label", "hsm-1", "--json", "--data-dir", dir.toString());
        assertThat(toHsm.exit()).as(toHsm.out()).isZero();
        for (AesKey k : units.keySet()) {
            assertThat(toHsm.out()).doesNotContainIgnoringCase(k.toHex()); // re-wrapping logs no key
        }
        JsonNode rotated = new ObjectMapper().readTree(toHsm.out());
        assertThat(rotated.get("previousLabel").asText()).isEqualTo(fileKek);
        assertThat(rotated.get("units").asLong()).isEqualTo(4);
        assertThat(rotated.get("sessions").asLong()).isEqualTo(4);
        assertThat(Files.readString(dir.resolve(KekRing.FILE_NAME))).startsWith("#").contains("\nhsm-1=pkcs11\n" + fileKek + "=");
        try (Server s = Server.start(dir, token.env())) {
            assertThat(s.lf().vault().ring().active().inToken()).isTrue();
            for (Map.Entry<AesKey, Eui64> u : units.entrySet()) {
                s.joinOverUdp(u.getValue(), u.getKey(), nonce++);
                assertThat(s.lf().registry().unit(u.getValue()).orElseThrow().keys().kekLabel()).isEqualTo("hsm-1");
            }
        }
        Run back = lorafab(token.env(), "keys", "rotate", "--to-file", "--label", "file-2", "--json", "--data-dir", dir.toString());
        assertThat(back.exit()).as(back.out()).isZero();
        assertThat(new ObjectMapper().readTree(back.out()).get("units").asLong()).isEqualTo(4);
        try (Server s = Server.start(dir, token.env())) {
            assertThat(s.lf().vault().ring().active().inToken()).isFalse();
            for (Map.Entry<AesKey, Eui64> u : units.entrySet()) {
                s.joinOverUdp(u.getValue(), u.getKey(), nonce++);
                assertThat(s.lf().registry().unit(u.getValue()).orElseThrow().keys().kekLabel()).isEqualTo("file-2");
            }
        }
        // without the token, the key file still naming the token's KEK (kept one rotation) is refused in one line
        Run noToken = lorafab(Map.of(), "keys", "rewrap", "--data-dir", dir.toString());
        assertThat(noToken.exit()).isNotZero();
        assertThat(noToken.out().strip()).isEqualTo("error: KEK 'hsm-1' (KEK file line 3) is held in a PKCS#11 token, but none is configured: "
                + "set LORAFAB_PKCS11_MODULE, LORAFAB_PKCS11_SLOT and LORAFAB_PKCS11_PIN_FILE");
    }

    @Test
    void aServerWhoseTokenCannotBeUsedStopsWithOneLineBeforeListening() throws Exception {
        SoftHsm.Token token = SoftHsm.freshToken();
        Path wrongPin = dir.resolve("wrong-pin");
        Files.createFile(wrongPin, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(wrongPin, "wrong-" + token.pin() + "\n");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        record Case(String name, Map<String, String> env, String line) {
        }
        String module = SoftHsm.MODULE.toString();
        for (Case c : List.of(
                new Case("wrong PIN", with(token.env(), "LORAFAB_PKCS11_PIN_FILE", wrongPin.toString()),
                        "error: the token in slot " + token.slot() + " of " + module + " refused the PIN (LORAFAB_PKCS11_PIN_FILE or "
                                + "LORAFAB_PKCS11_PIN)"),
                new Case("missing token", with(token.env(), "LORAFAB_PKCS11_SLOT", "4242"),
                        "error: no token in slot 4242 of " + module + " (LORAFAB_PKCS11_SLOT; 'pkcs11-tool --module " + module
                                + " --list-slots' lists them)"),
                new Case("missing module", with(token.env(), "LORAFAB_PKCS11_MODULE", dir.resolve("libnone.so").toString()),
                        "error: PKCS#11 module " + dir.resolve("libnone.so") + " not found (LORAFAB_PKCS11_MODULE)"))) {
            Run r = lorafab(c.env(), "server", "--data-dir", dir.resolve(c.name().replace(' ', '-')).toString(), "--http-port",
                    Integer.toString(port), "--udp-host", "127.0.0.1", "--udp-port", "0", "--lns-port", "-1");
            assertThat(r.exit()).as(c.name()).isNotZero();
            assertThat(r.out().strip()).as(c.name()).isEqualTo(c.line());
            assertThat(r.out()).as(c.name()).doesNotContain("listening").doesNotContain(token.pin());
            // no key file was made either: nothing of a half-started server is left
            assertThat(dir.resolve(c.name().replace(' ', '-')).resolve(KekRing.FILE_NAME)).as(c.name()).doesNotExist();
        }
    }

    record Run(int exit, String out) {
    }

    /** {@code lorafab ARGS} in its own JVM with these environment variables added (the PKCS#11 ones are never options). */
    static Run lorafab(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.lorafab.app.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lorafab " + String.join(" ", args) + " did not end:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }

    private static Map<String, String> with(Map<String, String> env, String k, String v) {
        Map<String, String> m = new HashMap<>(env);
        m.put(k, v);
        return m;
    }
}
