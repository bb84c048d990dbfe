package io.lorafab.provisioning.service;

import static io.lorafab.provisioning.service.ServiceFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices added with their keys, and simulated ones removed: the unit service's rules that both adapters share. */
class UnitsServiceTest {

    static final Eui64 JOIN = Eui64.parse("70b3d57ed0000001");
    static final AesKey APP = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey NWK = AesKey.parse("000102030405060708090a0b0c0d0e0f");

    @TempDir
    Path dir;

    ServiceFixture f;

    @BeforeEach
    void open() {
        f = new ServiceFixture(dir, Instant.parse("2026-12-06T10:00:00Z"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aDeviceAddedWithoutMacVersionAndRegionTakesItsProductsElse103AndEu868() {
        Product sensor = f.sensor(); // 1.1, US915
        Unit of = f.units.addDevice(new NewDevice(Eui64.parse("0004a30b001c0530"), JOIN, APP, NWK, null, null, null, null), sensor,
                null, ACTOR);
        assertThat(of.macVersion()).isEqualTo(MacVersion.V1_1);
        assertThat(of.region().name()).isEqualTo("US915");
        assertThat(of.productId()).isEqualTo(sensor.id());
        Unit alone = f.units.addDevice(new NewDevice(Eui64.parse("0004a30b001c0531"), JOIN, APP, null, null, null, null, null), null,
                null, ACTOR);
        assertThat(alone.macVersion()).isEqualTo(MacVersion.V1_0_3);
        assertThat(alone.region().name()).isEqualTo("EU868");
        assertThat(f.last("devices.add").subject()).isEqualTo("0004a30b001c0531");
    }

    @Test
    void aDeviceWithTheWrongRootKeysForItsVersionOrAReservedDevEuiIsRefusedAndNothingIsAdded() {
        Product sensor = f.sensor();
        assertThatThrownBy(() -> f.units.addDevice(new NewDevice(Eui64.parse("0004a30b001c0530"), JOIN, APP, null, null, null, null,
                null), sensor, null, ACTOR)).isInstanceOf(LorawanFormatException.class).hasMessage("a LoRaWAN 1.1 device needs a NwkKey");
        assertThatThrownBy(() -> f.units.addDevice(new NewDevice(Eui64.parse("0004a30b001c0530"), JOIN, APP, NWK, MacVersion.V1_0_3,
                null, null, null), null, null, ACTOR)).hasMessage("only LoRaWAN 1.1 devices have a NwkKey (1.0.3 uses the AppKey alone)");
        assertThatThrownBy(() -> f.units.addDevice(new NewDevice(Eui64.parse("0000000000000000"), JOIN, APP, null, null, null, null,
                null), null, null, ACTOR)).hasMessage("the all-zero and all-ones EUIs are reserved");
        assertThatThrownBy(() -> f.units.addDevice(new DeviceIdentity(Eui64.parse("ffffffffffffffff"), JOIN, APP, null,
                MacVersion.V1_0_3, io.lorafab.lorawan.region.Region.byName("EU868"), null, null), null, ACTOR)).hasMessage("the all-zero and all-ones EUIs are reserved");
        assertThat(f.registry.units(new io.lorafab.store.model.UnitQuery(null, null, null, null, 0, 1000))).isEmpty();
        assertThat(f.registry.auditLog(100)).noneMatch(e -> e.action().equals("devices.add"));
    }

    @Test
    void aDeviceAddedWithItsOwnNetIdsGetsThemInTheSameCall() {
        Unit u = f.units.addDevice(new NewDevice(Eui64.parse("0004a30b001c0530"), JOIN, APP, null, null, null, "SN-1", "d1"), null,
                AllowedNetIds.parse("600013"), ACTOR);
        assertThat(f.registry.allowedNetIds(u.devEui())).isEqualTo(AllowedNetIds.parse("600013"));
        assertThat(f.last("device.net_ids").subject()).isEqualTo("0004a30b001c0530");
    }

    @Test
    void theSimulatedDevicesOfAFailedRunAreRemovedAndTheRemovalIsAudited() {
        Eui64 sim = Eui64.parse("0004a30b001c0600");
        Eui64 real = Eui64.parse("0004a30b001c0601");
        f.units.importDevices(List.of(new DeviceIdentity(sim, JOIN, APP, null, MacVersion.V1_0_3, io.lorafab.lorawan.region.Region.byName("EU868"), null, "sim-0")), null,
                UnitOrigin.SIMULATED, ACTOR);
        f.units.addDevice(new DeviceIdentity(real, JOIN, APP, null, MacVersion.V1_0_3, io.lorafab.lorawan.region.Region.byName("EU868"), null, null), null, ACTOR);
        assertThat(f.units.removeSimulated(List.of(sim, real), ACTOR)).isEqualTo(1);
        assertThat(f.registry.unit(sim)).isEmpty();
        assertThat(f.registry.unit(real)).isPresent();
        assertThat(f.last("sim.remove").details()).isEqualTo("removed=1 (failed run)");
        assertThatThrownBy(() -> f.units.unit(sim)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code().code()).isEqualTo("not_found"));
    }
}
