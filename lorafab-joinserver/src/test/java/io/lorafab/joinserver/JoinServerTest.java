package io.lorafab.joinserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.KeyDerivation;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.FHdr;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.MHdr;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.SecureElement;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join server's steps on a real registry (SQLite), device by device as the spec's rules read. */
class JoinServerTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey NWK_KEY = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final NetId NET_ID = NetId.parse("000013");
    static final RadioMeta META = new RadioMeta(Eui64.parse("0000000000000a01"), -57, 9.5, 868_100_000L, "SF7BW125", 1_000_000L, 1);

    @TempDir
    Path dir;

    JdbcRegistry registry;
    LocalKeyVault vault;
    JoinServer js;
    EventBus bus = new EventBus();
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void open() {
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("js.db")), Clock.systemUTC());
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("k1", new byte[32]))), registry);
        js = new JoinServer(registry, new JdbcJoinStore(registry.database(), Clock.systemUTC()), vault,
                JoinServerConfig.defaults().withNetId(NET_ID).withRateLimits(0, 0), clock, bus);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    Eui64 device(String devEui, MacVersion v) {
        Eui64 eui = Eui64.parse(devEui);
        registry.insertUnit(new NewUnit(eui, JOIN_EUI, null, null, null, null, v, Region.byName("EU868"),
                vault.wrap(APP_KEY, v.is11() ? NWK_KEY : null), UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
        return eui;
    }

    static byte[] joinRequest(Eui64 devEui, int devNonce, AesKey key) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, devEui, DevNonce.of(devNonce), new Mic(0));
        return jr.withMic(JoinMic.joinRequestMic(key, jr.micPayload())).encode();
    }

    String rejection(byte[] phy) {
        try {
            js.handle(phy, META, Optional.empty());
        } catch (JoinRejection r) {
            return r.code().code();
        }
        return "accepted";
    }

    @Test
    void everyJoinIsCountedOnceByOutcomeCodeAndPathAndTimed() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        JoinServer metered = new JoinServer(registry, js.store(), vault, JoinServerConfig.defaults().withNetId(NET_ID).withRateLimits(0, 0),
                clock, bus, meters);
        Eui64 dev = device("0004a30b001c0530", MacVersion.V1_0_3);
        metered.handle(joinRequest(dev, 1, APP_KEY), META, Optional.empty());
        for (byte[] refused : List.of(joinRequest(dev, 1, APP_KEY), joinRequest(dev, 2, NWK_KEY), new byte[] {0x40, 1, 2})) {
            try {
                metered.handle(refused, META, Optional.empty());
                throw new AssertionError("accepted");
            } catch (JoinRejection expected) {
                // counted below
            }
        }
        // a network server's JoinReq (no radio metadata) for a device that does not allow its NetID
        try {
            metered.handle(joinRequest(dev, 3, APP_KEY), null, Optional.of(new JoinOverrides(NET_ID, DevAddr.parse("26011234"),
                    new DlSettings(false, 0, 0), 1, Optional.empty(), MacVersion.V1_0_3, null)));
            throw new AssertionError("accepted");
        } catch (JoinRejection expected) {
            assertThat(expected.code().code()).isEqualTo("net_id_not_allowed");
        }

        java.util.function.BiFunction<String, String, Double> udp = (result, code) -> meters.get("lorafab.joins").tag("path", "udp")
                .tag("result", result).tag("code", code).counter().count();
        assertThat(udp.apply("accepted", "none")).isEqualTo(1);
        assertThat(udp.apply("rejected", "dev_nonce_reused")).isEqualTo(1);
        assertThat(udp.apply("rejected", "mic_mismatch")).isEqualTo(1);
        assertThat(udp.apply("rejected", "malformed")).isEqualTo(1);
        assertThat(meters.get("lorafab.joins").tag("path", "bi").tag("result", "rejected").tag("code", "net_id_not_allowed").counter()
                .count()).isEqualTo(1);
        assertThat(meters.get("lorafab.joins").tag("path", "bi").tag("result", "accepted").counter().count()).isZero();
        assertThat(meters.get("lorafab.join.duration").tag("path", "udp").tag("result", "rejected").timer().count()).isEqualTo(3);
        assertThat(meters.get("lorafab.join.duration").tag("path", "udp").tag("result", "accepted").timer().count()).isEqualTo(1);
        // tags are words from closed sets: no DevEUI
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags().toString()).doesNotContainIgnoringCase(dev.toString()));
    }

    @Test
    void lorawan10JoinIsAcceptedAndTheDeviceCanReadIt() {
        Eui64 dev = device("0004a30b001c0530", MacVersion.V1_0_3);
        JoinResult r = js.handle(joinRequest(dev, 771, APP_KEY), META, Optional.empty());
        // What the device does with the accept:
        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(APP_KEY, (EncryptedJoinAccept) PhyPayloadCodec.decode(r.phyPayload()));
        assertThat(JoinMic.joinAcceptMic10(APP_KEY, ja.micPayload())).isEqualTo(ja.mic());
        assertThat(ja.joinNonce().value()).isEqualTo(1);
        assertThat(ja.netId()).isEqualTo(NET_ID);
        assertThat(NET_ID.owns(ja.devAddr())).isTrue();
        assertThat(ja.dlSettings().optNeg()).isFalse();
        assertThat(ja.dlSettings().rx2DataRate()).isEqualTo(0);
        assertThat(ja.rxDelaySeconds()).isEqualTo(1);
        assertThat(ja.cfList()).isEqualTo(Region.byName("EU868").defaultCfList());
        SessionKeys device = SessionKeys.derive10(APP_KEY, ja.joinNonce(), ja.netId(), DevNonce.of(771));
        assertThat(r.keys().nwkSKey()).isEqualTo(device.nwkSKey());
        assertThat(r.keys().appSKey()).isEqualTo(device.appSKey());
        assertThat(vault.unwrapKey(r.session().kekLabel(), r.session().appSKey())).isEqualTo(device.appSKey());

        // Replay: same DevNonce is refused; a new one gets the next JoinNonce and DevAddr.
        assertThat(rejection(joinRequest(dev, 771, APP_KEY))).isEqualTo("dev_nonce_reused");
        JoinResult again = js.handle(joinRequest(dev, 5, APP_KEY), META, Optional.empty());
        assertThat(again.accept().joinNonce().value()).isEqualTo(2);
        assertThat(again.session().devAddr()).isNotEqualTo(r.session().devAddr());
    }

    @Test
    void aSessionKeyIdIsTheTimeInMillisecondsThenEightyRandomBits() {
        JoinResult a = js.handle(joinRequest(device("0004a30b001c0540", MacVersion.V1_0_3), 1, APP_KEY), META, Optional.empty());
        JoinResult b = js.handle(joinRequest(device("0004a30b001c0541", MacVersion.V1_0_3), 1, APP_KEY), META, Optional.empty());
        JoinServer later = new JoinServer(registry, js.store(), vault, JoinServerConfig.defaults().withNetId(NET_ID).withRateLimits(0, 0),
                Clock.offset(clock, java.time.Duration.ofMillis(1)), bus);
        JoinResult c = later.handle(joinRequest(device("0004a30b001c0542", MacVersion.V1_0_3), 1, APP_KEY), META, Optional.empty());
        String millis = String.format("%012x", clock.millis());
        String ida = a.session().sessionKeyId();
        String idb = b.session().sessionKeyId();
        String idc = c.session().sessionKeyId();
        assertThat(List.of(ida, idb, idc)).allMatch(id -> id.matches("[0-9a-f]{32}"));
        assertThat(ida).startsWith(millis);
        assertThat(idb).startsWith(millis);
        assertThat(idc).startsWith(String.format("%012x", clock.millis() + 1));
        // made in the same millisecond, they differ in the random part; a later one sorts after both
        assertThat(ida.substring(12)).isNotEqualTo(idb.substring(12));
        assertThat(idc).isGreaterThan(ida).isGreaterThan(idb);
    }

    @Test
    void lorawan104NeedsIncreasingDevNonces() {
        Eui64 dev = device("0004a30b001c0531", MacVersion.V1_0_4);
        assertThat(rejection(joinRequest(dev, 10, APP_KEY))).isEqualTo("accepted");
        assertThat(rejection(joinRequest(dev, 10, APP_KEY))).isEqualTo("dev_nonce_too_small");
        assertThat(rejection(joinRequest(dev, 9, APP_KEY))).isEqualTo("dev_nonce_too_small");
        assertThat(rejection(joinRequest(dev, 11, APP_KEY))).isEqualTo("accepted");
    }

    @Test
    void lorawan11JoinUsesTheNwkKeyAndOptNeg() {
        Eui64 dev = device("0004a30b001c0532", MacVersion.V1_1);
        assertThat(rejection(joinRequest(dev, 1, APP_KEY))).isEqualTo("mic_mismatch");
        JoinResult r = js.handle(joinRequest(dev, 1, NWK_KEY), META, Optional.empty());
        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(NWK_KEY, (EncryptedJoinAccept) PhyPayloadCodec.decode(r.phyPayload()));
        assertThat(ja.dlSettings().optNeg()).isTrue();
        AesKey jsIntKey = KeyDerivation.deriveJSIntKey(NWK_KEY, dev);
        assertThat(JoinMic.joinAcceptMic11(jsIntKey, 0xff, JOIN_EUI, 1, ja.micPayload())).isEqualTo(ja.mic());
        SessionKeys device = SessionKeys.derive11(NWK_KEY, APP_KEY, ja.joinNonce(), JOIN_EUI, DevNonce.of(1));
        assertThat(r.keys()).isEqualTo(device);
        assertThat(r.session().lorawan11()).isTrue();
    }

    @Test
    void theMicIsCheckedBeforeAnyStateChanges() {
        Eui64 dev = device("0004a30b001c0533", MacVersion.V1_0_3);
        assertThat(rejection(joinRequest(dev, 7, NWK_KEY))).isEqualTo("mic_mismatch");
        assertThat(js.store().joinState(dev)).isEmpty();
        assertThat(rejection(joinRequest(dev, 7, APP_KEY))).isEqualTo("accepted");
    }

    @Test
    void unknownVoidAndMalformed() {
        assertThat(rejection(joinRequest(Eui64.parse("0004a30b001c05ff"), 1, APP_KEY))).isEqualTo("unknown_device");
        Eui64 dev = device("0004a30b001c0534", MacVersion.V1_0_3);
        registry.updateUnit(dev, u -> u.withState(UnitState.VOID, null, null));
        assertThat(rejection(joinRequest(dev, 1, APP_KEY))).isEqualTo("device_disabled");
        assertThat(rejection(new byte[] {0x40, 1, 2})).isEqualTo("malformed");
        assertThat(rejection(new byte[] {0x00, 1, 2})).isEqualTo("malformed");
        List<RadioEvent> events = js.store().events(null, 0, 10);
        assertThat(events).extracting(RadioEvent::code).containsExactly("unknown_device", "device_disabled");
        assertThat(events.get(0).gatewayEui()).isEqualTo(META.gatewayEui());
        assertThat(events.get(0).rssi()).isEqualTo(-57);
    }

    @Test
    void aDeviceWhoseSecureElementHoldsItsKeysIsRefusedWithItsOwnCodeAndItsJoinRequestIsRecordedAsHeard() {
        Eui64 dev = Eui64.parse("0004a31000abcd01");
        registry.insertUnit(new NewUnit(dev, JOIN_EUI, null, null, null, null, MacVersion.V1_0_2, Region.byName("EU868"), null,
                UnitState.PROGRAMMED, UnitOrigin.IMPORTED, null, new SecureElement("0123a1b2c3d4e5f627", "js.example.com")));

        // any MIC: lorafab has no key to check it with, nor to answer with
        assertThat(rejection(joinRequest(dev, 1, APP_KEY))).isEqualTo("keys_on_secure_element");
        assertThat(rejection(joinRequest(dev, 1, NWK_KEY))).isEqualTo("keys_on_secure_element");
        assertThat(js.store().joinState(dev)).isEmpty();
        RadioEvent heard = js.store().events(null, 0, 10).get(0);
        assertThat(heard.code()).isEqualTo("keys_on_secure_element");
        assertThat(heard.devEui()).isEqualTo(dev);
        assertThat(heard.rssi()).isEqualTo(-57);
        // a network server asking over Backend Interfaces hears that this join server does not hold the device
        assertThat(io.lorafab.joinserver.bi.BiErrors.resultCode(io.lorafab.api.ErrorCode.KEYS_ON_SECURE_ELEMENT).wire())
                .isEqualTo("UnknownDevEUI");
    }

    @Test
    void joinNonceRefusesToWrap() throws Exception {
        Eui64 dev = device("0004a30b001c0535", MacVersion.V1_0_3);
        js.handle(joinRequest(dev, 1, APP_KEY), META, Optional.empty());
        registry.database().tx(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE join_state SET join_nonce = 16777215");
            }
        });
        assertThat(rejection(joinRequest(dev, 2, APP_KEY))).isEqualTo("join_nonce_exhausted");
    }

    @Test
    void rateLimitsPerDevice() {
        JoinServer limited = new JoinServer(registry, js.store(), vault, JoinServerConfig.defaults().withNetId(NET_ID)
                .withRateLimits(2, 0), clock, bus);
        Eui64 dev = device("0004a30b001c0536", MacVersion.V1_0_3);
        limited.handle(joinRequest(dev, 1, APP_KEY), META, Optional.empty());
        limited.handle(joinRequest(dev, 2, APP_KEY), META, Optional.empty());
        assertThatThrownBy(() -> limited.handle(joinRequest(dev, 3, APP_KEY), META, Optional.empty()))
                .isInstanceOf(JoinRejection.class).extracting(e -> ((JoinRejection) e).code().code()).isEqualTo("join_rate_limited");
    }

    @Test
    void forgedFramesDoNotLockOutARealDevice() {
        JoinServer limited = new JoinServer(registry, js.store(), vault, JoinServerConfig.defaults().withNetId(NET_ID)
                .withRateLimits(2, 0), clock, bus);
        Eui64 dev = device("0004a30b001c0539", MacVersion.V1_0_3);
        for (int i = 0; i < 5; i++) {
            int nonce = 100 + i;
            assertThatThrownBy(() -> limited.handle(joinRequest(dev, nonce, NWK_KEY), META, Optional.empty()))
                    .extracting(e -> ((JoinRejection) e).code().code()).isEqualTo("mic_mismatch");
        }
        assertThat(limited.handle(joinRequest(dev, 1, APP_KEY), META, Optional.empty()).session().devEui()).isEqualTo(dev);
    }

    @Test
    void aGatewayFloodIsLimitedBeforeTheMic() {
        JoinServer limited = new JoinServer(registry, js.store(), vault, JoinServerConfig.defaults().withNetId(NET_ID)
                .withRateLimits(0, 3), clock, bus);
        Eui64 dev = device("0004a30b001c053a", MacVersion.V1_0_3);
        for (int i = 0; i < 3; i++) {
            int nonce = 200 + i;
            assertThatThrownBy(() -> limited.handle(joinRequest(dev, nonce, NWK_KEY), META, Optional.empty()))
                    .extracting(e -> ((JoinRejection) e).code().code()).isEqualTo("mic_mismatch");
        }
        assertThatThrownBy(() -> limited.handle(joinRequest(dev, 1, APP_KEY), META, Optional.empty()))
                .extracting(e -> ((JoinRejection) e).code().code()).isEqualTo("join_rate_limited");
    }

    @Test
    void rejectionsAreRecordedUpToACapPerGatewayAndCodeAndTheRestCounted() {
        JoinServer capped = new JoinServer(registry, js.store(), vault, JoinServerConfig.defaults().withNetId(NET_ID)
                .withRateLimits(0, 0).withRejectionsRecorded(3), clock, bus);
        for (int i = 0; i < 10; i++) {
            byte[] phy = joinRequest(Eui64.parse(String.format("00000000000100%02x", i)), 1, APP_KEY);
            assertThatThrownBy(() -> capped.handle(phy, META, Optional.empty())).isInstanceOf(JoinRejection.class);
        }
        assertThat(js.store().events(null, 0, 100)).extracting(RadioEvent::code).containsExactly("unknown_device", "unknown_device",
                "unknown_device");
        assertThat(capped.rejectionsNotRecorded()).containsExactly(java.util.Map.entry("unknown_device", 7L));
    }

    @Test
    void whatTheNetworkServerAsksForIsCheckedBeforeAnyStateChanges() {
        Eui64 dev = device("0004a30b001c053b", MacVersion.V1_0_3);
        registry.setDeviceNetIds(dev, AllowedNetIds.of(List.of(NET_ID)));
        JoinOverrides asks11 = new JoinOverrides(NET_ID, DevAddr.parse("26011234"), new DlSettings(false, 0, 0), 1, Optional.empty(),
                MacVersion.V1_1, null);
        JoinOverrides optNeg = new JoinOverrides(NET_ID, DevAddr.parse("26011234"), new DlSettings(true, 0, 0), 1, Optional.empty(),
                MacVersion.V1_0_3, null);
        for (JoinOverrides o : List.of(asks11, optNeg)) {
            assertThatThrownBy(() -> js.handle(joinRequest(dev, 7, APP_KEY), null, Optional.of(o)))
                    .extracting(e -> ((JoinRejection) e).code().code()).isIn("mac_version_mismatch", "opt_neg_mismatch");
        }
        assertThat(js.store().joinState(dev)).isEmpty();
        assertThat(js.store().latestSession(dev)).isEmpty();
        JoinResult r = js.handle(joinRequest(dev, 7, APP_KEY), null, Optional.of(new JoinOverrides(NET_ID, DevAddr.parse("26011234"),
                new DlSettings(false, 0, 0), 1, Optional.empty(), MacVersion.V1_0_3, "as-1")));
        assertThat(r.session().asId()).isEqualTo("as-1");
        assertThat(js.store().sessionByKeyId(r.session().sessionKeyId()).orElseThrow().asId()).isEqualTo("as-1");
        assertThat(js.store().sessionByKeyId(r.session().sessionKeyId()).orElseThrow().netId()).isEqualTo(NET_ID);
    }

    record NetIdCase(String name, String devEui, AllowedNetIds allowed, AesKey micKey, boolean voided, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void aNetworkServerJoinsOnlyDevicesThatAllowItsNetIdAndLearnsNothingMoreOfTheOthers() {
        NetId other = NetId.parse("000042");
        for (NetIdCase c : List.of(
                new NetIdCase("no such device", null, null, APP_KEY, false, "unknown_device"),
                new NetIdCase("a device that allows no NetID", "0004a30b001c0540", AllowedNetIds.none(), APP_KEY, false,
                        "net_id_not_allowed"),
                new NetIdCase("a device that allows another NetID", "0004a30b001c0541", AllowedNetIds.of(List.of(other)), APP_KEY,
                        false, "net_id_not_allowed"),
                new NetIdCase("refused before the MIC is checked", "0004a30b001c0542", AllowedNetIds.of(List.of(other)), NWK_KEY,
                        false, "net_id_not_allowed"),
                new NetIdCase("refused before a void device shows as void", "0004a30b001c0543", AllowedNetIds.of(List.of(other)),
                        APP_KEY, true, "net_id_not_allowed"),
                new NetIdCase("a device that allows it", "0004a30b001c0544", AllowedNetIds.of(List.of(other, NET_ID)), APP_KEY,
                        false, "accepted"))) {
            Eui64 dev = c.devEui() == null ? Eui64.parse("0004a30b001c05ff") : device(c.devEui(), MacVersion.V1_0_3);
            if (c.allowed() != null) {
                registry.setDeviceNetIds(dev, c.allowed());
            }
            if (c.voided()) {
                registry.updateUnit(dev, u -> u.withState(UnitState.VOID, null, null));
            }
            String outcome;
            try {
                js.handle(joinRequest(dev, 3, c.micKey()), null, Optional.of(new JoinOverrides(NET_ID, DevAddr.parse("26011234"),
                        new DlSettings(false, 0, 0), 1, Optional.empty(), MacVersion.V1_0_3, null)));
                outcome = "accepted";
            } catch (JoinRejection r) {
                outcome = r.code().code();
            }
            assertThat(outcome).as(c.name()).isEqualTo(c.code());
            if (!outcome.equals("accepted")) {
                assertThat(js.store().joinState(dev)).as(c.name()).isEmpty();
            }
        }
        // On air (the end-of-line test through lorafab's own gateway) no network server is involved: NetIDs do not apply.
        Eui64 onAir = device("0004a30b001c0545", MacVersion.V1_0_3);
        assertThat(registry.allowedNetIds(onAir)).isEqualTo(AllowedNetIds.none());
        assertThat(rejection(joinRequest(onAir, 1, APP_KEY))).isEqualTo("accepted");
    }

    @Test
    void theAcceptedEventPublishedIsTheOneStored() {
        List<RadioEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        bus.subscribe(published::add);
        Eui64 dev = device("0004a30b001c053c", MacVersion.V1_0_3);
        JoinResult r = js.handle(joinRequest(dev, 9, APP_KEY), META, Optional.empty());
        List<RadioEvent> stored = js.store().events(dev, 0, 10);
        assertThat(published).usingRecursiveFieldByFieldElementComparator().isEqualTo(stored);
        assertThat(stored.get(0).id()).isPositive();
        assertThat(stored.get(0).details()).contains("\"devAddr\":\"" + r.session().devAddr() + "\"").contains("\"joinNonce\":1")
                .contains("\"devNonce\":9").contains("\"tmst\":");
    }

    @Test
    void nonceResetLetsADeviceThatLostItsMemoryJoinAgain() {
        Eui64 dev = device("0004a30b001c0537", MacVersion.V1_0_4);
        js.handle(joinRequest(dev, 40, APP_KEY), META, Optional.empty());
        assertThat(rejection(joinRequest(dev, 0, APP_KEY))).isEqualTo("dev_nonce_too_small");
        js.store().resetDevNonces(dev, "test");
        JoinResult r = js.handle(joinRequest(dev, 0, APP_KEY), META, Optional.empty());
        assertThat(r.accept().joinNonce().value()).isEqualTo(2);
    }

    @Test
    void firstUplinkIsVerifiedAndDecrypted() {
        Eui64 dev = device("0004a30b001c0538", MacVersion.V1_0_3);
        JoinResult r = js.handle(joinRequest(dev, 1, APP_KEY), META, Optional.empty());
        UplinkVerifier v = new UplinkVerifier(js.store(), vault, bus);
        Region eu = Region.byName("EU868");
        DataFrame up = uplink(r.session().devAddr(), 0, r.keys(), new byte[] {1, 2, 3});
        Optional<RadioEvent> ok = v.verify(up, META, eu);
        assertThat(ok).isPresent();
        assertThat(ok.get().kind()).isEqualTo("uplink_verified");
        assertThat(ok.get().details()).contains("\"frmPayload\":\"010203\"").contains("\"fCnt\":0");
        assertThat(v.verify(up, META, eu)).isEmpty();
        assertThat(js.store().events(dev, 0, 20)).extracting(RadioEvent::code).contains("fcnt_replay");
        DataFrame forged = up.withMic(new Mic(0x01020304));
        DataFrame next = uplink(r.session().devAddr(), 1, r.keys(), new byte[] {4});
        assertThat(v.verify(new DataFrame(forged.mhdr(), next.fhdr(), forged.fPort(), forged.frmPayload(), forged.mic()), META, eu)).isEmpty();
        assertThat(js.store().events(dev, 0, 20)).extracting(RadioEvent::code).contains("mic_mismatch");
        assertThat(v.verify(next, META, eu)).isPresent();
        assertThat(v.verify(uplink(DevAddr.parse("01020304"), 0, r.keys(), new byte[0]), META, eu)).isEmpty();
    }

    static DataFrame uplink(DevAddr addr, int fCnt, SessionKeys keys, byte[] plain) {
        byte[] enc = PayloadCipher.encryptFrmPayload(keys.appSKey(), true, addr, fCnt, plain);
        DataFrame f = new DataFrame(MHdr.of(MType.UNCONFIRMED_DATA_UP), new FHdr(addr, FCtrl.NONE, fCnt, new byte[0]),
                OptionalInt.of(1), enc, new Mic(0));
        return f.withMic(DataMic.dataMic10(keys.nwkSKey(), true, addr, fCnt, f.micPayload()));
    }
}
