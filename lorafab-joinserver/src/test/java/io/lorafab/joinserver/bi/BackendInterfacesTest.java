package io.lorafab.joinserver.bi;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.api.ErrorCode;
import io.lorafab.joinserver.EventBus;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
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
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Backend Interfaces service without any transport: JSON bytes in, an answer and audit records out, on a real
 * SQLite registry and join store.
 */
class BackendInterfacesTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final Eui64 DEV = Eui64.parse("0004a30b001c0530");
    static final NetId NET_ID = NetId.parse("000013");
    static final KeyEnvelope.Kek NS_KEK = new KeyEnvelope.Kek("000013", Hex.parse("000102030405060708090a0b0c0d0e0f", "kek"));
    static final BiIdentity NS = BiIdentity.of("000013").orElseThrow();

    @TempDir
    Path dir;

    JdbcRegistry registry;
    JdbcJoinStore joinStore;
    LocalKeyVault vault;
    JoinServer js;
    /** The export KEKs by label, as the application would read them from its key files. */
    final Map<String, KeyEnvelope.Kek> keks = new HashMap<>();
    final ExportKekSource kekSource = new ExportKekSource() {
        @Override
        public Optional<KeyEnvelope.Kek> byLabel(String label) {
            return Optional.ofNullable(keks.get(label));
        }

        @Override
        public String howToAllow(BiIdentity caller) {
            return "give it a KEK";
        }
    };
    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void open() {
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("js.db")), Clock.systemUTC());
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("k1", new byte[32]))), registry);
        joinStore = new JdbcJoinStore(registry.database(), Clock.systemUTC());
        js = new JoinServer(registry, joinStore, vault, JoinServerConfig.defaults().withRateLimits(0, 0), clock, new EventBus());
        registry.insertUnit(new NewUnit(DEV, JOIN_EUI, null, null, null, null, MacVersion.V1_0_3, Region.byName("EU868"),
                vault.wrap(APP_KEY, null), UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
        registry.setDeviceNetIds(DEV, AllowedNetIds.of(List.of(NET_ID)));
        keks.put("000013", NS_KEK);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    BackendInterfaces service() {
        return new BackendInterfaces(js, joinStore, vault, registry, kekSource,
                new BackendInterfaces.Settings(Duration.ofDays(1), Map.of(NET_ID, "as-1")), clock);
    }

    static byte[] joinReq(String senderId, int devNonce) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, DEV, DevNonce.of(devNonce), new Mic(0));
        jr = jr.withMic(JoinMic.joinRequestMic(APP_KEY, jr.micPayload()));
        return ("{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"" + senderId + "\",\"ReceiverID\":\"" + JOIN_EUI + "\","
                + "\"TransactionID\":1234,\"MessageType\":\"JoinReq\",\"MACVersion\":\"1.0.3\","
                + "\"PHYPayload\":\"" + Hex.format(jr.encode()) + "\",\"DevEUI\":\"" + DEV + "\",\"DevAddr\":\"26011234\","
                + "\"DLSettings\":\"00\",\"RxDelay\":1}").getBytes(StandardCharsets.UTF_8);
    }

    List<AuditEvent> audits(String action) {
        return registry.auditLog(1000).stream().filter(e -> e.action().equals(action)).toList();
    }

    static JoinAns joinAns(BackendInterfaces.Answer answer) {
        assertThat(answer).isInstanceOf(BackendInterfaces.Answer.Message.class);
        return (JoinAns) ((BackendInterfaces.Answer.Message) answer).message();
    }

    @Test
    void joinReqIsAnsweredWithKeysUnderTheCallersKekAndAuditedWithTheJoin() {
        JoinAns ans = joinAns(service().answer(joinReq("000013", 7), NS));

        assertThat(ans.result().code()).isEqualTo(BiResultCode.SUCCESS);
        // the device reads the accept; the network server unwraps the same NwkSKey with its own KEK
        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(APP_KEY,
                (EncryptedJoinAccept) PhyPayloadCodec.decode(ans.phyPayload().orElseThrow().bytes()));
        SessionKeys device = SessionKeys.derive10(APP_KEY, ja.joinNonce(), ja.netId(), DevNonce.of(7));
        KeyEnvelope nwkSKey = ((NetworkKeys.Lorawan10) ans.networkKeys().orElseThrow()).nwkSKey();
        assertThat(nwkSKey.kekLabel()).isEqualTo("000013");
        assertThat(nwkSKey.unwrap(NS_KEK)).isEqualTo(device.nwkSKey());
        assertThat(ans.appSKey().orElseThrow().unwrap(NS_KEK)).isEqualTo(device.appSKey());
        assertThat(ans.lifetime()).contains(Duration.ofDays(1).toSeconds());

        List<AuditEvent> joins = audits("bi.join");
        assertThat(joins).hasSize(1);
        assertThat(joins.get(0).actor()).isEqualTo("bi:000013");
        assertThat(joins.get(0).subject()).isEqualTo(DEV.toString());
        assertThat(joins.get(0).details()).contains("net_id=000013", "result=Success", "keys=wrapped:000013",
                "session=" + ans.sessionKeyId().orElseThrow().toHex());
        // the session is issued to the caller's NetID and the application server configured for it
        assertThat(joinStore.latestSession(DEV).orElseThrow().netId()).isEqualTo(NET_ID);
        assertThat(joinStore.latestSession(DEV).orElseThrow().asId()).isEqualTo("as-1");
    }

    @Test
    void aCallerWithoutAnExportKekIsRefusedBeforeTheDeviceSpendsAnything() {
        keks.clear();

        JoinAns ans = joinAns(service().answer(joinReq("000013", 7), NS));

        assertThat(ans.result().code()).isEqualTo(BiResultCode.OTHER);
        assertThat(ans.result().description()).isEqualTo("no export KEK for NetID 000013: give it a KEK");
        assertThat(ans.networkKeys()).isEmpty();
        assertThat(joinStore.joinState(DEV)).isEmpty();
        assertThat(audits("bi.join")).isEmpty();
        assertThat(audits("bi.join_refused")).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("result=Other", "reason=no_export_kek"));
    }

    @Test
    void aTokenThatSpeaksForNoOneGetsNoAnswerAndIsAudited() {
        BackendInterfaces.Answer answer = service().answer(joinReq("000013", 7), new BackendInterfaces.Token(5, "ops"));

        assertThat(answer).isInstanceOf(BackendInterfaces.Answer.Refused.class);
        assertThat(((BackendInterfaces.Answer.Refused) answer).code()).isEqualTo(ErrorCode.TOKEN_NOT_SCOPED);
        assertThat(joinStore.joinState(DEV)).isEmpty();
        assertThat(audits("bi.refused")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("token:5:ops"));
    }

    @Test
    void refusalsAreAuditedAtMostTheirBudgetAMinutePerCallerAndCode() {
        BackendInterfaces bi = service();
        int sent = BackendInterfaces.AUDITED_REFUSALS_PER_MINUTE + 3;
        for (int i = 0; i < sent; i++) {
            // SenderID is not the caller's NetID: refused with UnknownSender, every time
            assertThat(joinAns(bi.answer(joinReq("000099", 7), NS)).result().code()).isEqualTo(BiResultCode.UNKNOWN_SENDER);
        }
        assertThat(audits("bi.join_refused")).hasSize(BackendInterfaces.AUDITED_REFUSALS_PER_MINUTE);
        assertThat(joinStore.joinState(DEV)).isEmpty();
    }
}
