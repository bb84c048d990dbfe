package io.lorafab.provisioning.service;

import static io.lorafab.provisioning.secureelement.TestManifests.goodManifest;
import static io.lorafab.provisioning.secureelement.TestManifests.manifest;
import static io.lorafab.provisioning.secureelement.TestManifests.payload;
import static io.lorafab.provisioning.secureelement.TestManifests.pinned;
import static io.lorafab.provisioning.secureelement.TestManifests.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportException;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.provisioning.secureelement.TestManifests;
import io.lorafab.store.StoreException;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.SecureElement;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Importing a TNGLoRa manifest through the service, on each database (a subclass names it): units registered keyless
 * with their external join server, all or none; exports that name the join server and carry no key.
 */
abstract class SecureElementImportContract {

    static final String ACTOR = "test:engineer";
    static final Eui64 DEV_B = Eui64.parse("0004A31000ABCD01");
    static final Eui64 DEV_C = Eui64.parse("0004A31000ABCD02");
    static final String JS = "js.example.com";
    static final ObjectMapper JSON = new ObjectMapper();

    protected abstract String freshUrl();

    protected abstract void dropUrl(String url);

    String url;
    JdbcRegistry registry;
    Provisioning units;
    SecureElementImport imports;
    DeviceExports exports;

    @BeforeEach
    void open() {
        url = freshUrl();
        MutableClock clock = new MutableClock(TestManifests.during());
        registry = new JdbcRegistry(Database.open(url), clock);
        LocalKeyVault vault = new LocalKeyVault(KekRing.of(List.of(new Kek("test-kek", new byte[32]))), registry);
        units = new Provisioning(registry, vault, new SecureRandom(), Provisioning::plainDevEui);
        imports = new SecureElementImport(units, clock);
        exports = new DeviceExports(units);
    }

    @AfterEach
    void close() {
        registry.close();
        dropUrl(url);
    }

    SecureElementImport.Request request(byte[] manifest) {
        return new SecureElementImport.Request(manifest, pinned("log-signer"), null, JS, null, null, null);
    }

    List<Unit> all() {
        return registry.units(new UnitQuery(null, null, null, null, 0, 100));
    }

    @Test
    void aVerifiedManifestRegistersItsUnitsKeylessWithTheirJoinServer() {
        List<Unit> imported = imports.importTngLora(request(goodManifest()), ACTOR);

        assertThat(imported).extracting(Unit::devEui).containsExactly(DEV_B, DEV_C);
        for (Unit u : List.of(registry.unit(DEV_B).orElseThrow(), registry.unit(DEV_C).orElseThrow())) {
            assertThat(u.keys()).isNull();
            assertThat(u.joinEui()).isEqualTo(SecureElementImport.TNGLORA_JOIN_EUI);
            assertThat(u.secureElement().joinServer()).isEqualTo(JS);
            assertThat(u.state()).isEqualTo(UnitState.PROGRAMMED);
            assertThat(u.origin()).isEqualTo(UnitOrigin.IMPORTED);
        }
        assertThat(registry.unit(DEV_B).orElseThrow().secureElement()).isEqualTo(new SecureElement("0123a1b2c3d4e5f627", JS));
        assertThat(registry.auditLog(10)).extracting(e -> e.action()).contains("devices.import", "devices.import_secure_elements");
        DeviceIdentity identity = units.identity(registry.unit(DEV_C).orElseThrow());
        assertThat(identity.appKey()).isNull();
        assertThat(identity.nwkKey()).isNull();
    }

    @Test
    void aTamperedManifestRegistersNothingAndTheRefusalNamesTheEntry() {
        byte[] good = goodManifest();
        byte[] tampered = new String(good, StandardCharsets.UTF_8).replace("\"signature\" : \"", "\"signature\" : \"A")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> imports.importTngLora(request(tampered), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_REFUSED);
                    assertThat(e.getMessage()).contains("entry [0]");
                });
        assertThat(all()).isEmpty();
    }

    @Test
    void aManifestSignedByAnotherSignerThanThePinnedOnesRegistersNothing() {
        assertThatThrownBy(() -> imports.importTngLora(new SecureElementImport.Request(goodManifest(), pinned("rogue-signer"),
                null, JS, null, null, null), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_REFUSED));
        assertThat(all()).isEmpty();
    }

    @Test
    void aDevEuiAlreadyRegisteredRefusesTheWholeManifest() {
        imports.importTngLora(request(manifest(sign(payload("0123a1b2c3d4e5f628", TestManifests.during(), "device-c",
                "device-signer"), "log-signer", "log-signer"))), ACTOR);

        assertThatThrownBy(() -> imports.importTngLora(request(goodManifest()), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE);
                    assertThat(e.getMessage()).contains("entry [1]").contains(DEV_C.toString());
                });
        assertThat(all()).extracting(Unit::devEui).containsExactly(DEV_C);
    }

    @Test
    void aJoinEuiOtherThanTheOneTheSecureElementHoldsIsRefused() {
        assertThatThrownBy(() -> imports.importTngLora(new SecureElementImport.Request(goodManifest(), pinned("log-signer"),
                Eui64.parse("70b3d57ed0000001"), JS, null, null, null), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_REFUSED);
                    assertThat(e.getMessage()).contains("entry [0]").contains("slot 9");
                });
        assertThat(all()).isEmpty();
    }

    @Test
    void aScannedSecureElementUnitIsReservedIntoTheOrderWithoutKeysAndResumedOnlyByItsStation() {
        imports.importTngLora(request(goodManifest()), ACTOR);
        io.lorafab.store.model.Product p = registry.createProduct(new io.lorafab.store.model.NewProduct("tracker",
                Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, Region.byName("EU868"),
                io.lorafab.lorawan.types.ProfileId.parse("12340001"), null, null, null));
        registry.createWorkOrder("WO-SE", p.id(), 10);

        Reservation r = units.reserve(new ReserveRequest("WO-SE", "st-1", DEV_B.toString(), null), ACTOR);

        assertThat(r.appKey()).isNull();
        assertThat(r.nwkKey()).isNull();
        assertThat(r.resumed()).isFalse();
        assertThat(r.unit().state()).isEqualTo(UnitState.RESERVED);
        assertThat(r.unit().productId()).isEqualTo(p.id());
        assertThat(registry.auditLog(5).get(0).details()).contains("secure_element=0123a1b2c3d4e5f627");
        Reservation again = units.reserve(new ReserveRequest("WO-SE", "st-1", DEV_B.toString(), null), ACTOR);
        assertThat(again.resumed()).isTrue();
        assertThat(again.appKey()).isNull();
        assertThatThrownBy(() -> units.reserve(new ReserveRequest("WO-SE", "st-2", DEV_B.toString(), null), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESERVED_BY_OTHER_STATION));
    }

    @Test
    void theTtsJsonExportNamesTheJoinServerAndCarriesNoKey() throws Exception {
        imports.importTngLora(request(goodManifest()), ACTOR);

        String out = new String(exports.export(DeviceExportFormat.TTS_JSON, ExportOptions.defaults(), null, false, ACTOR),
                StandardCharsets.UTF_8);

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode b = JSON.readTree(lines.get(0));
        assertThat(b.path("ids").path("dev_eui").asText()).isEqualTo("0004A31000ABCD01");
        assertThat(b.path("ids").path("join_eui").asText()).isEqualTo("70B3D57ED0000000");
        assertThat(b.path("join_server_address").asText()).isEqualTo(JS);
        assertThat(b.path("supports_join").asBoolean()).isTrue();
        assertThat(b.path("root_keys").path("root_key_id").asText()).isEqualTo("0123a1b2c3d4e5f627");
        assertThat(b.path("root_keys").has("app_key")).isFalse();
        assertThat(b.path("root_keys").has("nwk_key")).isFalse();
        assertThat(out).doesNotContain("\"key\"").doesNotContain("app_key");
    }

    @Test
    void theChirpStackExportLeavesTheKeysEmptyAndNamesTheJoinServerBesideKeyedDevices() {
        imports.importTngLora(request(goodManifest()), ACTOR);
        AesKey appKey = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
        units.addDevice(new DeviceIdentity(Eui64.parse("0004a30b001c0001"), Eui64.parse("70b3d57ed0000001"), appKey, null,
                MacVersion.V1_0_3, Region.byName("EU868"), null, null), null, ACTOR);
        ExportOptions o = ExportOptions.defaults().withApplicationId("4b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b")
                .withDeviceProfileId("5b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b");

        List<String> rows = new String(exports.export(DeviceExportFormat.CHIRPSTACK_CSV, o, null, false, ACTOR),
                StandardCharsets.UTF_8).lines().toList();

        assertThat(rows.get(0)).isEqualTo("dev_eui,join_eui,name,application_id,device_profile_id,nwk_key,app_key,tags.serial,join_server");
        assertThat(rows).contains("0004a31000abcd01,70b3d57ed0000000,0004a31000abcd01,4b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b,"
                + "5b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b,,,," + JS);
        assertThat(rows).contains("0004a30b001c0001,70b3d57ed0000001,0004a30b001c0001,4b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b,"
                + "5b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b,2b7e151628aed2a6abf7158809cf4f3c,,,");
    }

    @Test
    void formatsThatCannotNameTheJoinServerRefuseSuchDevicesRatherThanWriteAnEmptyKey() {
        imports.importTngLora(request(goodManifest()), ACTOR);

        for (DeviceExportFormat f : List.of(DeviceExportFormat.TTS_CSV, DeviceExportFormat.CSV)) {
            assertThatThrownBy(() -> exports.export(f, ExportOptions.defaults(), null, false, ACTOR))
                    .isInstanceOf(ExportException.class).hasMessageContaining("secure element")
                    .hasMessageContaining(DEV_B.toString());
        }
    }
}
