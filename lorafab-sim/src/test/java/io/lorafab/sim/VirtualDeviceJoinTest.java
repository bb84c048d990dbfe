package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.joinserver.EventBus;
import io.lorafab.joinserver.JoinRejection;
import io.lorafab.joinserver.JoinResult;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.RadioMeta;
import io.lorafab.joinserver.UplinkVerifier;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Virtual devices against the real join server and uplink verifier on a SQLite registry. */
class VirtualDeviceJoinTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey NWK_KEY = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final NetId NET_ID = NetId.parse("000013");
    static final Region EU = Region.byName("EU868");
    /** 868.1 MHz is channel 0 and SF7BW125 is DR5 in EU868: the TxCh/TxDr of the 1.1 MIC. */
    static final RadioMeta META = new RadioMeta(Eui64.parse("0000000000000a01"), -57, 9.5, 868_100_000L, "SF7BW125", 1_000_000L, 1);

    @TempDir
    Path dir;

    JdbcRegistry registry;
    LocalKeyVault vault;
    JoinServer js;
    UplinkVerifier verifier;
    EventBus bus = new EventBus();
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void open() {
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("js.db")), Clock.systemUTC());
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("k1", new byte[32]))), registry);
        js = new JoinServer(registry, new JdbcJoinStore(registry.database(), Clock.systemUTC()), vault,
                JoinServerConfig.defaults().withNetId(NET_ID).withRateLimits(0, 0), clock, bus);
        verifier = new UplinkVerifier(js.store(), vault, bus);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    DeviceIdentity register(String devEui, MacVersion v) {
        Eui64 eui = Eui64.parse(devEui);
        registry.insertUnit(new NewUnit(eui, JOIN_EUI, null, null, null, null, v, Region.byName("EU868"),
                vault.wrap(APP_KEY, v.is11() ? NWK_KEY : null), UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
        return new DeviceIdentity(eui, JOIN_EUI, APP_KEY, v.is11() ? NWK_KEY : null, v, EU);
    }

    VirtualDevice device(DeviceIdentity id, String nvmName) {
        return new VirtualDevice(id, DeviceNvm.open(dir.resolve(nvmName)), new Random(42));
    }

    JoinResult serve(byte[] joinRequest) {
        return js.handle(joinRequest, META, Optional.empty());
    }

    Optional<RadioEvent> verify(byte[] uplink) {
        return verifier.verify((DataFrame) PhyPayloadCodec.decode(uplink), META, EU);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.2", "1.0.4", "1.1"})
    void joinsDerivesTheServersKeysAndItsFirstUplinkVerifies(String version) {
        MacVersion v = MacVersion.parse(version);
        DeviceIdentity id = register("0004a30b001c0600", v);
        VirtualDevice d = device(id, "dev.json");
        JoinResult r = serve(d.joinRequest());
        JoinOutcome out = d.acceptJoin(r.phyPayload());
        assertThat(out.joined()).isTrue();
        assertThat(out.keys()).isEqualTo(r.keys());
        assertThat(out.devAddr()).isEqualTo(r.session().devAddr());
        assertThat(out.keys().lorawan11()).isEqualTo(v.is11());

        Optional<RadioEvent> ok = verify(d.uplink(7, new byte[] {1, 2, 3}, false, 5, 0));
        assertThat(ok).isPresent();
        assertThat(ok.get().details()).contains("\"frmPayload\":\"010203\"").contains("\"fCnt\":0");
        assertThat(verify(d.uplink(7, new byte[] {4}, true, 5, 0))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.4", "1.1"})
    void aRestartContinuesTheDevNonceCounterAndKeepsTheSession(String version) {
        DeviceIdentity id = register("0004a30b001c0601", MacVersion.parse(version));
        VirtualDevice d = device(id, "dev.json");
        JoinOutcome first = d.acceptJoin(serve(d.joinRequest()).phyPayload());
        assertThat(verify(d.uplink(1, new byte[] {1}, false, 5, 0))).isPresent();

        VirtualDevice restarted = device(id, "dev.json");
        assertThat(restarted.session()).isPresent();
        assertThat(restarted.session().get().keys()).isEqualTo(first.keys());
        assertThat(verify(restarted.uplink(1, new byte[] {2}, false, 5, 0))).isPresent(); // FCntUp continued: 1
        byte[] jr = restarted.joinRequest();
        assertThat(DevNonce.fromLe(jr, 17).value()).isEqualTo(1);
        JoinOutcome second = restarted.acceptJoin(serve(jr).phyPayload());
        assertThat(second.joined()).isTrue();
        assertThat(second.joinNonce().value()).isGreaterThan(first.joinNonce().value());
        assertThat(verify(restarted.uplink(1, new byte[] {3}, false, 5, 0))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.4", "1.1"})
    void anOldJoinAcceptIsRefused(String version) {
        DeviceIdentity id = register("0004a30b001c0602", MacVersion.parse(version));
        VirtualDevice d = device(id, "dev.json");
        byte[] oldAccept = serve(d.joinRequest()).phyPayload();
        assertThat(d.acceptJoin(oldAccept).joined()).isTrue();
        assertThat(d.acceptJoin(oldAccept).refusal()).contains(JoinRefusal.STALE_JOIN_NONCE);

        // A device that missed a join-accept (JoinNonce 2) and then hears a replay of it after a newer one.
        byte[] missed = serve(d.joinRequest()).phyPayload();
        byte[] newer = serve(d.joinRequest()).phyPayload();
        assertThat(d.acceptJoin(newer).joined()).isTrue();
        assertThat(d.acceptJoin(missed).refusal()).isPresent();
        VirtualDevice restarted = device(id, "dev.json");
        assertThat(restarted.acceptJoin(newer).refusal()).contains(JoinRefusal.STALE_JOIN_NONCE);
    }

    @Test
    void refusesForeignAndForgedDownlinks() {
        DeviceIdentity id = register("0004a30b001c0603", MacVersion.V1_0_4);
        VirtualDevice d = device(id, "dev.json");
        byte[] accept = serve(d.joinRequest()).phyPayload();
        assertThat(device(id, "other.json").acceptJoin(accept).refusal()).contains(JoinRefusal.NO_PENDING_JOIN);
        byte[] forged = accept.clone();
        forged[5] ^= 1;
        assertThat(d.acceptJoin(forged).refusal()).contains(JoinRefusal.MIC_MISMATCH);
        assertThat(d.acceptJoin(new byte[] {0x40, 1, 2}).refusal()).contains(JoinRefusal.NOT_A_JOIN_ACCEPT);
        assertThat(d.acceptJoin(accept).joined()).isTrue();
    }

    @Test
    void aLorawan102DeviceNeverRepeatsADevNonceAcrossRestarts() {
        DeviceIdentity id = register("0004a30b001c0604", MacVersion.V1_0_2);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            // Every restart draws from the same seed: only the NVM's used list keeps the nonces apart.
            VirtualDevice d = device(id, "dev.json");
            byte[] jr = d.joinRequest();
            assertThat(seen.add(DevNonce.fromLe(jr, 17).value())).isTrue();
            JoinResult r;
            try {
                r = serve(jr);
            } catch (JoinRejection e) {
                throw new AssertionError("join " + i + " refused: " + e.code(), e);
            }
            assertThat(d.acceptJoin(r.phyPayload()).keys()).isEqualTo(r.keys());
        }
        assertThat(DeviceNvm.open(dir.resolve("dev.json")).state().usedDevNonces()).hasSize(200);
    }

    @Test
    void nvmToStringAndFileShowNoKeysInToString() throws Exception {
        DeviceIdentity id = register("0004a30b001c0605", MacVersion.V1_1);
        VirtualDevice d = device(id, "dev.json");
        d.acceptJoin(serve(d.joinRequest()).phyPayload());
        String keyHex = d.session().get().appSKey();
        assertThat(d.nvm().toString()).doesNotContain(keyHex).doesNotContain(APP_KEY.toHex());
        assertThat(d.toString()).doesNotContain(APP_KEY.toHex()).doesNotContain(NWK_KEY.toHex());
        assertThat(Files.readString(dir.resolve("dev.json"))).contains(keyHex);
        assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
}
