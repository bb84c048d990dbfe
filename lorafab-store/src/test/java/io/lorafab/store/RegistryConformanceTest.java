package io.lorafab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.WrappedKeySet;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.ConsoleSession;
import io.lorafab.store.model.SignInCode;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.OrderYield.FailureCount;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.SerialTemplate;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.SecureElement;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.join.NewSession;
import io.lorafab.store.join.Session;
import io.lorafab.store.vault.KeyRotation;
import io.lorafab.store.vault.KeyVault;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Registry} must have. Each database runs it through a subclass that says how to
 * open a fresh, empty registry.
 */
abstract class RegistryConformanceTest {

    protected Registry registry;
    protected LocalKeyVault vault;
    private final List<Runnable> cleanups = new ArrayList<>();

    /** A URL of a fresh, empty database of this implementation. */
    protected abstract String freshUrl();

    /** Drops what {@link #freshUrl()} created. */
    protected abstract void dropUrl(String url);

    protected Registry open(String url) {
        return new JdbcRegistry(Database.open(url), Clock.systemUTC());
    }

    private String url;

    @BeforeEach
    void openRegistry() {
        url = freshUrl();
        registry = open(url);
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("test-kek", new byte[32]))), registry);
    }

    @AfterEach
    void closeRegistry() {
        cleanups.forEach(Runnable::run);
        registry.close();
        dropUrl(url);
    }

    Product product(String name) {
        return registry.createProduct(new NewProduct(name, Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, Region.byName("eu868"),
                new ProfileId(0x1234, 0x0001), null, -110.0, -5.0));
    }

    EuiBlock block(String name, String prefix, String first, long size) {
        return registry.createEuiBlock(new NewEuiBlock(name, null, Assignment.MA_S, prefix,
                first == null ? null : Eui64.parse(first), size));
    }

    Unit unit(Eui64 devEui, Long orderId, String serial) {
        AesKey k = AesKey.of(new byte[16]);
        return registry.insertUnit(new NewUnit(devEui, Eui64.parse("70b3d57ed0000001"), null, orderId, serial, null,
                MacVersion.V1_0_3, Region.byName("EU868"), vault.wrap(k, null), UnitState.RESERVED, UnitOrigin.ALLOCATED, "st-1"));
    }

    Unit secureElementUnit(Eui64 devEui, String elementId) {
        return registry.insertUnit(new NewUnit(devEui, Eui64.parse("70b3d57ed0000000"), null, null, null, null,
                MacVersion.V1_0_2, Region.byName("EU868"), null, UnitState.PROGRAMMED, UnitOrigin.IMPORTED, null,
                new SecureElement(elementId, "join.example.com")));
    }

    @Test
    void aUnitsChipIdentityIsRecordedReadBackAndReplacedByARetest() {
        Unit u = unit(Eui64.parse("0016c001f0000001"), null, null);
        io.lorafab.store.model.ChipIdentity first = registry.recordChipIdentity(u.id(), new io.lorafab.store.model.ChipIdentity(
                Eui64.parse("0016c001f0000001"), Eui64.parse("0016c001ffffffff"), io.lorafab.store.model.ClaimPin.parse("1a2b3c4d"),
                "st-1", null));
        assertThat(first.chipEui()).isEqualTo(Eui64.parse("0016c001f0000001"));
        assertThat(first.joinEui()).isEqualTo(Eui64.parse("0016c001ffffffff"));
        assertThat(first.pin().hex()).isEqualTo("1A2B3C4D");
        assertThat(first.stationId()).isEqualTo("st-1");
        assertThat(first.recordedAt()).isNotNull();
        assertThat(first.toString()).doesNotContain("1A2B3C4D").doesNotContain("1a2b3c4d");

        // a re-test reports again (here without the JoinEUI): the unit keeps one chip identity, the latest
        registry.recordChipIdentity(u.id(), new io.lorafab.store.model.ChipIdentity(Eui64.parse("0016c001f0000001"), null,
                io.lorafab.store.model.ClaimPin.parse("0000FFFF"), "st-2", null));
        io.lorafab.store.model.ChipIdentity read = registry.chipIdentity(u.id()).orElseThrow();
        assertThat(read.joinEui()).isNull();
        assertThat(read.pin().hex()).isEqualTo("0000FFFF");
        assertThat(read.stationId()).isEqualTo("st-2");
        assertThat(registry.chipIdentities(null)).containsOnlyKeys(u.id());
        assertThat(registry.unitOfChip(Eui64.parse("0016c001f0000001"))).contains(u.id());
        assertThat(registry.unitOfChip(Eui64.parse("0016c001f0000002"))).isEmpty();
    }

    @Test
    void aChipEuiBelongsToOneUnitAndTheRefusalNamesItButNeverThePin() {
        Unit a = unit(Eui64.parse("0016c001f0000011"), null, null);
        Unit b = unit(Eui64.parse("0016c001f0000012"), null, null);
        registry.recordChipIdentity(a.id(), new io.lorafab.store.model.ChipIdentity(Eui64.parse("0016c001f00000aa"), null,
                io.lorafab.store.model.ClaimPin.parse("11223344"), null, null));
        assertThatThrownBy(() -> registry.recordChipIdentity(b.id(), new io.lorafab.store.model.ChipIdentity(
                Eui64.parse("0016c001f00000aa"), null, io.lorafab.store.model.ClaimPin.parse("55667788"), null, null)))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code().code()).isEqualTo("duplicate");
                    assertThat(e.getMessage()).doesNotContain("55667788");
                });
        assertThat(registry.chipIdentity(b.id())).isEmpty();
    }

    @Test
    void chipIdentitiesAreListedPerWorkOrder() {
        Product p = product("lr1110-tracker");
        WorkOrder w = registry.createWorkOrder("WO-CHIP", p.id(), 10);
        Unit inOrder = unit(Eui64.parse("0016c001f1000001"), w.id(), null);
        Unit outside = unit(Eui64.parse("0016c001f1000002"), null, null);
        for (Unit u : List.of(inOrder, outside)) {
            registry.recordChipIdentity(u.id(), new io.lorafab.store.model.ChipIdentity(u.devEui(), null,
                    io.lorafab.store.model.ClaimPin.parse("cafe0001"), null, null));
        }
        assertThat(registry.chipIdentities(w.id())).containsOnlyKeys(inOrder.id());
        assertThat(registry.chipIdentities(null)).containsOnlyKeys(inOrder.id(), outside.id());
    }

    @Test
    void aUnitWhoseSecureElementHoldsItsKeysIsStoredWithoutKeysAndReadBackSo() {
        Unit se = secureElementUnit(Eui64.parse("0004a31000abcd01"), "0123A1B2C3D4E5F627");

        Unit read = registry.unit(se.devEui()).orElseThrow();
        assertThat(read.keys()).isNull();
        assertThat(read.keysHeldBySecureElement()).isTrue();
        assertThat(read.secureElement()).isEqualTo(new SecureElement("0123a1b2c3d4e5f627", "join.example.com"));
        assertThat(read).isEqualTo(se);
        // a state change keeps it keyless; the key stores do not see it
        Unit passed = registry.updateUnit(se.devEui(), u -> u.withState(UnitState.PASSED, "st-1", null));
        assertThat(passed.secureElement()).isEqualTo(se.secureElement());
        assertThat(passed.keys()).isNull();
        assertThat(registry.kekLabelsInUse()).isEmpty();
        assertThat(registry.wrappedKeyCounts(WrappedKeySet.Kind.UNIT_ROOT_KEYS)).isEmpty();
        assertThat(registry.wrappedKeysNotUnder(WrappedKeySet.Kind.UNIT_ROOT_KEYS, "other", 0, 10)).isEmpty();
    }

    @Test
    void anImportedSecureElementUnitIsTakenIntoAWorkOrderOnlyOnceAndOnlyWhileTheOrderHasRoom() {
        Product p = product("tracker");
        WorkOrder w = registry.createWorkOrder("WO-SE", p.id(), 1);
        Unit first = secureElementUnit(Eui64.parse("0004a31000abcd11"), "0123a1b2c3d4e5f611");
        Unit second = secureElementUnit(Eui64.parse("0004a31000abcd12"), "0123a1b2c3d4e5f612");
        Unit keyed = unit(Eui64.parse("0004a31000abcd13"), null, null);

        Unit adopted = registry.adoptSecureElementUnit(first.devEui(), w, "st-1");

        assertThat(adopted.state()).isEqualTo(UnitState.RESERVED);
        assertThat(adopted.workOrderId()).isEqualTo(w.id());
        assertThat(adopted.productId()).isEqualTo(p.id());
        assertThat(adopted.stationId()).isEqualTo("st-1");
        assertThat(adopted.keys()).isNull();
        assertThat(registry.unitCounts(w.id())).containsEntry(UnitState.RESERVED, 1L);
        // taken once; the order is full for the next; a unit with keys is never taken this way
        assertThatThrownBy(() -> registry.adoptSecureElementUnit(first.devEui(), w, "st-2"))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("illegal_transition");
        assertThatThrownBy(() -> registry.adoptSecureElementUnit(second.devEui(), w, "st-1"))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("work_order_full");
        assertThat(registry.unit(second.devEui()).orElseThrow().workOrderId()).isNull();
        assertThatThrownBy(() -> registry.adoptSecureElementUnit(keyed.devEui(), w, "st-1"))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("illegal_transition");
    }

    @Test
    void aUnitHasEitherWrappedKeysOrASecureElementNeverBothNorNeither() {
        Unit keyed = unit(Eui64.parse("0004a31000abcd02"), null, null);

        assertThatThrownBy(() -> new NewUnit(keyed.devEui(), keyed.joinEui(), null, null, null, null, MacVersion.V1_0_2, null,
                keyed.keys(), UnitState.PROGRAMMED, UnitOrigin.IMPORTED, null, new SecureElement("01", "js")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewUnit(keyed.devEui(), keyed.joinEui(), null, null, null, null, MacVersion.V1_0_2, null,
                null, UnitState.PROGRAMMED, UnitOrigin.IMPORTED, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.updateUnit(keyed.devEui(), u -> new Unit(u.id(), u.devEui(), u.joinEui(), u.productId(),
                u.workOrderId(), u.serial(), u.name(), u.macVersion(), u.region(), null, u.state(), u.origin(), u.stationId(),
                u.createdAt(), u.updatedAt(), new SecureElement("01", "js"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.unit(keyed.devEui()).orElseThrow().keys()).isEqualTo(keyed.keys());
    }

    @Test
    void productsAreCreatedListedAndUniqueByName() {
        Product p = product("sensor-a");
        assertThat(p.id()).isPositive();
        assertThat(p.region().name()).isEqualTo("EU868");
        assertThat(p.programmingProfile()).isEqualTo("at:rak3172");
        assertThat(p.profileId().toString()).isEqualTo("12340001");
        assertThat(registry.product(p.id())).contains(p);
        assertThat(registry.productByName("sensor-a")).contains(p);
        assertThat(registry.products()).containsExactly(p);
        assertThatThrownBy(() -> product("sensor-a")).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("duplicate");
        assertThat(registry.product(999)).isEmpty();
    }

    @Test
    void aProductRunsTheCertificationProfileOnlyWhenItSaysSo() {
        Product plain = product("sensor-plain");
        Product certified = registry.createProduct(new NewProduct("sensor-ts009", Eui64.parse("70b3d57ed0000009"), MacVersion.V1_0_4,
                Region.byName("eu868"), ProfileId.parse("12340001"), null, -110.0, -7.5, null, -90.0, null, true));
        assertThat(plain.certificationProfile()).isFalse();
        assertThat(certified.certificationProfile()).isTrue();
        assertThat(registry.product(certified.id()).orElseThrow().certificationProfile()).isTrue();
        assertThat(registry.product(certified.id()).orElseThrow().downlinkRssiMinDbm()).isEqualTo(-90.0);
        assertThat(registry.productByName("sensor-plain").orElseThrow().certificationProfile()).isFalse();
        assertThat(certified.certificationDataRates()).isEmpty();
        assertThat(certified.certificationFirmwareVersion()).isNull();
    }

    @Test
    void aProductKeepsItsCertificationDataRatesInOrderAndItsFirmwareVersion() {
        Product p = registry.createProduct(new NewProduct("sensor-drs", Eui64.parse("70b3d57ed000000a"), MacVersion.V1_0_3,
                Region.byName("eu868"), ProfileId.parse("12340001"), null, null, null, null, null, null, true, List.of(5, 3, 4),
                " 1.4.2 "));
        Product read = registry.product(p.id()).orElseThrow();
        assertThat(read.certificationDataRates()).containsExactly(5, 3, 4);
        assertThat(read.certificationFirmwareVersion()).isEqualTo("1.4.2");
        assertThat(read).isEqualTo(p);
    }

    @Test
    void certificationDataRatesMustBeUplinkDataRatesOfTheProductsRegionAndNeedTheProfile() {
        assertThatThrownBy(() -> new NewProduct("x", Eui64.parse("70b3d57ed000000b"), MacVersion.V1_0_3, Region.byName("us915"),
                ProfileId.parse("12340001"), null, null, null, null, null, null, true, List.of(3, 8), null))
                .hasMessage("DR8 is not an uplink data rate of US915 (uplink: DR0, DR1, DR2, DR3, DR4, DR5, DR6)");
        assertThatThrownBy(() -> new NewProduct("x", Eui64.parse("70b3d57ed000000b"), MacVersion.V1_0_3, Region.byName("eu868"),
                ProfileId.parse("12340001"), null, null, null, null, null, null, true, List.of(), "1.4"))
                .hasMessageContaining("major.minor.patch");
        assertThatThrownBy(() -> new NewProduct("x", Eui64.parse("70b3d57ed000000b"), MacVersion.V1_0_3, Region.byName("eu868"),
                ProfileId.parse("12340001"), null, null, null, null, null, null, false, List.of(5), null))
                .hasMessageContaining("turn the certification profile on");
    }

    @Test
    void aDeviceIsJoinedOverBackendInterfacesOnlyByItsOwnNetIdsElseItsProductsElseNone() {
        Product p = product("sensor-a");
        Eui64 ofProduct = Eui64.parse("70b3d57ed0004000");
        Eui64 own = Eui64.parse("70b3d57ed0004001");
        Eui64 noProduct = Eui64.parse("70b3d57ed0004002");
        for (Eui64 dev : List.of(ofProduct, own)) {
            registry.insertUnit(new NewUnit(dev, Eui64.parse("70b3d57ed0000001"), p.id(), null, null, null, MacVersion.V1_0_3,
                    Region.byName("EU868"), vault.wrap(AesKey.of(new byte[16]), null), UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
        }
        unit(noProduct, null, null);
        assertThat(registry.productNetIds(p.id())).as("a new product: no network server").isEqualTo(AllowedNetIds.none());
        assertThat(registry.allowedNetIds(ofProduct)).isEqualTo(AllowedNetIds.none());

        registry.setProductNetIds(p.id(), AllowedNetIds.parse("000042, 000013"));
        registry.setDeviceNetIds(own, AllowedNetIds.parse("600013"));
        assertThat(registry.productNetIds(p.id()).toString()).isEqualTo("000013,000042");
        assertThat(registry.allowedNetIds(ofProduct).toString()).as("the product's").isEqualTo("000013,000042");
        assertThat(registry.allowedNetIds(own).toString()).as("its own replace the product's").isEqualTo("600013");
        assertThat(registry.allowedNetIds(noProduct)).as("neither").isEqualTo(AllowedNetIds.none());
        assertThat(registry.allowedNetIds(Eui64.parse("0000000000000001"))).as("unknown device").isEqualTo(AllowedNetIds.none());

        registry.setDeviceNetIds(ofProduct, AllowedNetIds.none());
        assertThat(registry.allowedNetIds(ofProduct)).as("an own empty list: no network server").isEqualTo(AllowedNetIds.none());
        registry.setDeviceNetIds(ofProduct, null);
        assertThat(registry.allowedNetIds(ofProduct).toString()).as("back to the product's").isEqualTo("000013,000042");

        assertThatThrownBy(() -> registry.setProductNetIds(999, AllowedNetIds.none()))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("not_found");
        assertThatThrownBy(() -> registry.setDeviceNetIds(Eui64.parse("0000000000000001"), AllowedNetIds.none()))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("not_found");
        assertThatThrownBy(() -> AllowedNetIds.parse("000013,13")).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("'13' is not a NetID");
    }

    @Test
    void euiBlocksMayNotOverlapOrHoldReservedEuis() {
        block("b1", "70b3d57ed", "70b3d57ed0000000", 100);
        assertThatThrownBy(() -> block("b2", "70b3d57ed", "70b3d57ed0000050", 100))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("eui_block_overlap");
        assertThatThrownBy(() -> block("b3", "000000000", null, 0)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("all-zero or all-ones");
        assertThatThrownBy(() -> block("b4", "fffffffff", null, 0)).isInstanceOf(LorawanFormatException.class);
        assertThatThrownBy(() -> block("b5", "70b3d57ed", "70b3d57ee0000000", 1)).hasMessageContaining("outside prefix");
        assertThatThrownBy(() -> registry.createEuiBlock(new NewEuiBlock("b6", null, Assignment.MA_L, "70b3d57ed", null, 0)))
                .hasMessageContaining("has 6 hex digits");
        EuiBlock whole = registry.createEuiBlock(new NewEuiBlock("ma-s", null, Assignment.MA_S, "0004a30b0", null, 0));
        assertThat(whole.size()).isEqualTo(1L << 28);
        assertThat(whole.first()).isEqualTo(Eui64.parse("0004a30b00000000"));
    }

    @Test
    void workOrdersBelongToAProduct() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 5000);
        assertThat(w.state()).isEqualTo(WorkOrderState.OPEN);
        assertThat(registry.workOrderByReference("WO-1")).contains(w);
        assertThat(registry.setWorkOrderState(w.id(), WorkOrderState.COMPLETED).state()).isEqualTo(WorkOrderState.COMPLETED);
        assertThat(registry.workOrders()).hasSize(1);
        assertThatThrownBy(() -> registry.createWorkOrder("WO-2", 999, 1)).extracting(e -> ((StoreException) e).code().code()).isEqualTo("not_found");
        assertThatThrownBy(() -> registry.createWorkOrder("WO-3", p.id(), 0)).extracting(e -> ((StoreException) e).code().code()).isEqualTo("invalid_quantity");
        assertThatThrownBy(() -> registry.createWorkOrder("WO-1", p.id(), 1)).extracting(e -> ((StoreException) e).code().code()).isEqualTo("duplicate");
    }

    @Test
    void unitsAreUniqueAndUpdatedAtomically() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        Unit u = unit(Eui64.parse("70b3d57ed0004000"), w.id(), "SN-1");
        assertThat(u.state()).isEqualTo(UnitState.RESERVED);
        assertThat(u.keys().kekLabel()).isEqualTo("test-kek");
        assertThat(vault.unwrapAppKey(u.keys())).isEqualTo(AesKey.of(new byte[16]));
        assertThat(registry.unit(u.devEui())).contains(u);
        assertThat(registry.unitBySerial("SN-1")).contains(u);
        assertThatThrownBy(() -> unit(u.devEui(), null, null)).extracting(e -> ((StoreException) e).code().code()).isEqualTo("duplicate");
        assertThatThrownBy(() -> unit(Eui64.parse("70b3d57ed0004001"), null, "SN-1"))
                .hasMessage("already exists: unit.serial \"SN-1\"")
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("duplicate");

        Unit programmed = registry.updateUnit(u.devEui(), cur -> cur.withState(UnitState.PROGRAMMED, "st-2", null));
        assertThat(programmed.state()).isEqualTo(UnitState.PROGRAMMED);
        assertThat(programmed.stationId()).isEqualTo("st-2");
        assertThat(registry.unitCounts(w.id())).containsEntry(UnitState.PROGRAMMED, 1L).containsEntry(UnitState.RESERVED, 0L);
        assertThatThrownBy(() -> registry.updateUnit(Eui64.parse("0000000000000001"), cur -> cur))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("not_found");
    }

    @Test
    void unitListsFilterAndPage() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        for (int i = 0; i < 5; i++) {
            unit(Eui64.of(0x70b3d57ed0005000L + i), i < 3 ? w.id() : null, null);
        }
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize(3);
        List<Unit> first = registry.units(UnitQuery.all().page(0, 2));
        assertThat(first).hasSize(2);
        List<Unit> next = registry.units(UnitQuery.all().page(first.get(1).id(), 10));
        assertThat(next).hasSize(3);
        assertThat(registry.units(new UnitQuery(null, UnitState.PASSED, null, null, 0, 10))).isEmpty();
    }

    @Test
    void unitListsFilterByTheStationThatLastMovedTheUnit() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        Unit a = unit(Eui64.parse("70b3d57ed0005100"), w.id(), null);
        Unit b = unit(Eui64.parse("70b3d57ed0005101"), w.id(), null);
        registry.updateUnit(b.devEui(), u -> u.withState(UnitState.PROGRAMMED, "st-2", null));
        UnitQuery ofOrder = UnitQuery.ofWorkOrder(w.id());
        assertThat(registry.units(ofOrder.atStation("st-1"))).extracting(Unit::devEui).containsExactly(a.devEui());
        assertThat(registry.units(ofOrder.atStation("st-2"))).extracting(Unit::devEui).containsExactly(b.devEui());
        assertThat(registry.units(ofOrder.atStation("st-2").inState(UnitState.RESERVED))).isEmpty();
        assertThat(registry.units(ofOrder.atStation("st-3"))).isEmpty();
    }

    @Test
    void testRunsAppendToTheUnit() {
        Unit u = unit(Eui64.parse("70b3d57ed0006000"), null, null);
        registry.appendTestRun(u.id(), "st-1", TestResult.FAILED, "join_timeout", "{\"attempts\":3}");
        registry.appendTestRun(u.id(), "st-1", TestResult.PASSED, null, "{\"rssi\":-61,\"snr\":9.5}");
        assertThat(registry.testRuns(u.id())).extracting(r -> r.result()).containsExactly(TestResult.FAILED, TestResult.PASSED);
        assertThat(registry.testRuns(u.id()).get(0).reasonCode()).isEqualTo("join_timeout");
        assertThat(registry.testRuns(u.id()).get(1).measurementsJson()).contains("-61");
    }

    @Test
    void auditLogIsAppendOnly() {
        registry.audit("alice", "unit.reserve", "70b3d57ed0000001", "order=1");
        registry.audit("bob", "keys.export", "order:1", "format=tts-json");
        assertThat(registry.auditLog(10)).extracting(e -> e.action()).containsExactly("keys.export", "unit.reserve");
        JdbcRegistry jdbc = (JdbcRegistry) registry;
        assertThatThrownBy(() -> jdbc.database().tx(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE audit_log SET actor = 'mallory'");
            }
        })).isInstanceOf(StoreException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.database().tx(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM audit_log");
            }
        })).isInstanceOf(StoreException.class).hasMessageContaining("append-only");
        assertThat(registry.auditLog(10)).hasSize(2);
    }

    @Test
    void tokensAreFoundByHashAndRevoked() {
        var t = registry.insertToken("line-1", Role.OPERATOR, "a".repeat(64));
        assertThatThrownBy(() -> registry.insertToken("line-2", Role.OPERATOR, "a".repeat(64)))
                .hasMessageStartingWith("already exists: ").hasMessageNotContaining("aaaaaaaa")
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("duplicate");
        assertThat(registry.tokenByHash("a".repeat(64))).contains(t);
        registry.revokeToken(t.id());
        assertThat(registry.tokenByHash("a".repeat(64)).orElseThrow().revokedAt()).isNotNull();
        assertThatThrownBy(() -> registry.revokeToken(t.id())).extracting(e -> ((StoreException) e).code().code()).isEqualTo("not_found");
    }

    @Test
    void aTokenIsFoundByIdRevokedOrNot() {
        var t = registry.insertToken("line-1", Role.OPERATOR, "b".repeat(64));
        assertThat(registry.token(t.id())).contains(t);
        registry.revokeToken(t.id());
        assertThat(registry.token(t.id()).orElseThrow().revokedAt()).isNotNull();
        assertThat(registry.token(t.id() + 1000)).isEmpty();
    }

    @Test
    void consoleSessionsAreKeptByHashTouchedAndEndedOneByOneOrPerTokenOrWhenExpired() {
        Instant t0 = Instant.parse("2026-03-01T08:00:00.123Z");
        var a = new ConsoleSession("a".repeat(64), 7, "csrf-a", t0, t0, t0.plusSeconds(3600));
        var b = new ConsoleSession("b".repeat(64), 7, "csrf-b", t0, t0, t0.plusSeconds(7200));
        var c = new ConsoleSession("c".repeat(64), 8, "csrf-c", t0, t0, t0.plusSeconds(7200));
        registry.insertConsoleSession(a);
        registry.insertConsoleSession(b);
        registry.insertConsoleSession(c);
        assertThat(registry.consoleSession(a.idHash())).contains(a);
        assertThat(registry.touchConsoleSession(a.idHash(), t0.plusSeconds(60))).isTrue();
        assertThat(registry.consoleSession(a.idHash()).orElseThrow().lastSeenAt()).isEqualTo(t0.plusSeconds(60));
        assertThat(registry.deleteConsoleSession(a.idHash())).isTrue();
        assertThat(registry.deleteConsoleSession(a.idHash())).isFalse();
        assertThat(registry.touchConsoleSession(a.idHash(), t0)).isFalse();
        assertThat(registry.deleteConsoleSessionsOfToken(7)).isEqualTo(1);
        assertThat(registry.consoleSession(b.idHash())).isEmpty();
        assertThat(registry.consoleSession(c.idHash())).isPresent();
        // c is neither past its end nor idle before t0 - 1 s; then it is idle
        assertThat(registry.purgeConsoleSessions(t0.plusSeconds(10), t0.minusSeconds(1))).isZero();
        assertThat(registry.purgeConsoleSessions(t0.plusSeconds(10), t0.plusSeconds(1))).isEqualTo(1);
        assertThat(registry.consoleSession(c.idHash())).isEmpty();
    }

    @Test
    void aSignInCodeIsUsedOnceOnly() {
        Instant t0 = Instant.parse("2026-03-01T08:00:00Z");
        var code = new SignInCode("d".repeat(64), 3, t0, t0.plusSeconds(900), null);
        registry.insertSignInCode(code);
        assertThat(registry.signInCode(code.codeHash())).contains(code);
        assertThat(registry.useSignInCode(code.codeHash(), t0.plusSeconds(5))).isTrue();
        assertThat(registry.useSignInCode(code.codeHash(), t0.plusSeconds(6))).isFalse();
        assertThat(registry.signInCode(code.codeHash()).orElseThrow().usedAt()).isEqualTo(t0.plusSeconds(5));
        assertThat(registry.purgeConsoleSessions(t0.plusSeconds(899), t0)).isZero();
        assertThat(registry.purgeConsoleSessions(t0.plusSeconds(900), t0)).isEqualTo(1);
        assertThat(registry.signInCode(code.codeHash())).isEmpty();
    }

    @Test
    void aKekLabelIsBoundToItsKey() {
        assertThat(registry.keks()).containsKey("test-kek");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new LocalKeyVault(KekRing.of(List.of(new Kek("test-kek", other))), registry))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("kek_mismatch");
    }

    @Test
    void reopeningAppliesNoMigrationTwice() {
        Registry again = open(url);
        cleanups.add(again::close);
        assertThat(again.products()).isEmpty();
    }

    @TempDir
    Path keyDir;

    /** Four distinct session keys of session {@code i}: bytes i*4+k everywhere. */
    private static List<AesKey> sessionKeys(int i) {
        List<AesKey> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            out.add(AesKey.of(Hex.parse(String.format("%02x", i * 4 + k).repeat(16), "k")));
        }
        return out;
    }

    private Session join(JdbcJoinStore joins, KeyVault keys, int i) {
        Eui64 dev = Eui64.of(0x70b3d57ed0007000L + i);
        List<AesKey> k = sessionKeys(i);
        return joins.commitJoin(dev, i % 2 == 0 ? MacVersion.V1_0_3 : MacVersion.V1_1, DevNonce.of(i + 1), NetId.of(0x13), null,
                grant -> {
                    KeyVault.WrappedSet w = keys.wrapAll(k.toArray(AesKey[]::new));
                    return new NewSession("sk-" + i, w.kekLabel(), w.wrapped().get(0), w.wrapped().get(1), w.wrapped().get(2),
                            w.wrapped().get(3), i % 2 == 1, null);
                }, null).session();
    }

    private static List<AesKey> unwrapped(KeyVault keys, Session s) {
        return List.of(keys.unwrapKey(s.kekLabel(), s.fNwkSIntKey()), keys.unwrapKey(s.kekLabel(), s.sNwkSIntKey()),
                keys.unwrapKey(s.kekLabel(), s.nwkSEncKey()), keys.unwrapKey(s.kekLabel(), s.appSKey()));
    }

    @Test
    void eachSessionHandsOutItsDownlinkCountersOnceEachFromZeroAcrossStoresOnOneDatabase() throws Exception {
        JdbcJoinStore joins = new JdbcJoinStore(((JdbcRegistry) registry).database(), Clock.systemUTC());
        Session a = join(joins, vault, 0);
        Session b = join(joins, vault, 1);
        assertThat(joins.takeFCntDown(a.id())).hasValue(0);
        assertThat(joins.takeFCntDown(a.id())).hasValue(1);
        assertThat(joins.takeFCntDown(b.id())).hasValue(0); // a counter per session
        assertThat(joins.takeFCntDown(Long.MAX_VALUE)).isEmpty();

        // two threads on two stores over the same database never take the same counter
        JdbcJoinStore other = new JdbcJoinStore(((JdbcRegistry) registry).database(), Clock.systemUTC());
        java.util.Set<Long> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (JdbcJoinStore s : List.of(joins, other)) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        assertThat(taken.add(s.takeFCntDown(a.id()).orElseThrow())).isTrue();
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(taken).hasSize(40).allSatisfy(n -> assertThat(n).isBetween(2L, 41L));
    }

    @Test
    void theReadOnlyDevNonceCheckRefusesWhatTheCommitWouldAndChangesNothing() {
        JdbcJoinStore joins = new JdbcJoinStore(((JdbcRegistry) registry).database(), Clock.systemUTC());
        KeyVault keys = vault;
        Eui64 v103 = Eui64.of(0x70b3d57ed0007000L); // join(.., 0): LoRaWAN 1.0.3, DevNonce 1
        Eui64 v11 = Eui64.of(0x70b3d57ed0007001L);  // join(.., 1): LoRaWAN 1.1, DevNonce 2
        joins.checkDevNonce(v103, MacVersion.V1_0_3, DevNonce.of(1)); // never joined: nothing to refuse
        joins.checkDevNonce(v11, MacVersion.V1_1, DevNonce.of(0));
        join(joins, keys, 0);
        join(joins, keys, 1);

        // table: device, version, DevNonce -> refusal (null = usable)
        Object[][] cases = {
            {v103, MacVersion.V1_0_3, 1, "dev_nonce_reused"},
            {v103, MacVersion.V1_0_3, 0, null},    // 1.0.3 DevNonces need not grow, only never repeat
            {v103, MacVersion.V1_0_3, 2, null},
            {v11, MacVersion.V1_1, 2, "dev_nonce_too_small"},
            {v11, MacVersion.V1_1, 1, "dev_nonce_too_small"},
            {v11, MacVersion.V1_1, 3, null},
        };
        for (Object[] c : cases) {
            Eui64 dev = (Eui64) c[0];
            MacVersion v = (MacVersion) c[1];
            DevNonce n = DevNonce.of((Integer) c[2]);
            if (c[3] == null) {
                joins.checkDevNonce(dev, v, n);
            } else {
                assertThatThrownBy(() -> joins.checkDevNonce(dev, v, n)).as("%s %s", dev, n).isInstanceOf(StoreException.class)
                        .extracting(e -> ((StoreException) e).code().code()).isEqualTo(c[3]);
            }
        }
        // The checks recorded nothing: the usable nonces are still usable, and the commit still refuses the used ones.
        assertThat(joins.joinState(v103).orElseThrow()[1]).isEqualTo(1);
        assertThat(joins.joinState(v11).orElseThrow()[1]).isEqualTo(2);
        joins.checkDevNonce(v103, MacVersion.V1_0_3, DevNonce.of(2));
        assertThatThrownBy(() -> joins.commitJoin(v103, MacVersion.V1_0_3, DevNonce.of(1), NetId.of(0x13), null, g -> null, null))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("dev_nonce_reused");
    }

    @Test
    void kekLabelsInUseCoverSessionKeysToo() {
        LocalKeyVault other = new LocalKeyVault(KekRing.of(List.of(new Kek("session-kek", new byte[16]))), registry);
        assertThat(registry.kekLabelsInUse()).isEmpty();
        join(new JdbcJoinStore(((JdbcRegistry) registry).database(), Clock.systemUTC()), other, 0);
        assertThat(registry.kekLabelsInUse()).containsExactly("session-kek");
        unit(Eui64.parse("70b3d57ed0007100"), null, null);
        assertThat(registry.kekLabelsInUse()).containsExactly("session-kek", "test-kek");
    }

    @Test
    void wrappedKeyCountsAreCountedPerKekLabelAndKind() {
        LocalKeyVault other = new LocalKeyVault(KekRing.of(List.of(new Kek("session-kek", new byte[16]))), registry);
        assertThat(registry.wrappedKeyCounts(WrappedKeySet.Kind.UNIT_ROOT_KEYS)).isEmpty();
        join(new JdbcJoinStore(((JdbcRegistry) registry).database(), Clock.systemUTC()), other, 0);
        unit(Eui64.parse("70b3d57ed0007100"), null, null);
        unit(Eui64.parse("70b3d57ed0007101"), null, null);
        assertThat(registry.wrappedKeyCounts(WrappedKeySet.Kind.UNIT_ROOT_KEYS)).containsExactly(Map.entry("test-kek", 2L));
        assertThat(registry.wrappedKeyCounts(WrappedKeySet.Kind.SESSION_KEYS)).containsExactly(Map.entry("session-kek", 1L));
    }

    @Test
    void rotatingTwiceRewrapsSessionKeysAndDropsNoKekInUse() {
        SecureRandom random = new SecureRandom();
        LocalKeyVault keys = new LocalKeyVault(KekRing.load(Map.of(), keyDir, random), registry);
        String first = keys.activeLabel();
        JdbcJoinStore joins = new JdbcJoinStore(((JdbcRegistry) registry).database(), Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            join(joins, keys, i);
        }
        AesKey appKey = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
        registry.insertUnit(new NewUnit(Eui64.parse("70b3d57ed0007100"), Eui64.parse("70b3d57ed0000001"), null, null, null, null,
                MacVersion.V1_0_3, Region.byName("EU868"), keys.wrap(appKey, null), UnitState.RESERVED, UnitOrigin.ALLOCATED, "st-1"));

        KeyRotation.Result r1 = KeyRotation.rotate(registry, keys, "admin", "kek-2", random);
        assertThat(r1.sessions()).isEqualTo(3);
        assertThat(r1.units()).isEqualTo(1);
        assertThat(r1.rewrapped()).isEqualTo(4);
        KeyRotation.Result r2 = KeyRotation.rotate(registry, keys, "admin", "kek-3", random);
        assertThat(r2.sessions()).isEqualTo(3);
        assertThat(registry.kekLabelsInUse()).containsExactly("kek-3");

        // A fresh process reading the key file finds every session key, and the unit's, as they were.
        LocalKeyVault fresh = new LocalKeyVault(KekRing.load(Map.of(), keyDir, random), registry);
        assertThat(fresh.ring().all()).extracting(Kek::label).containsExactly("kek-3", "kek-2").doesNotContain(first);
        for (int i = 0; i < 3; i++) {
            Session s = joins.sessionByKeyId("sk-" + i).orElseThrow();
            assertThat(s.kekLabel()).isEqualTo("kek-3");
            assertThat(unwrapped(fresh, s)).as("session " + i).isEqualTo(sessionKeys(i));
        }
        assertThat(fresh.unwrapAppKey(registry.unit(Eui64.parse("70b3d57ed0007100")).orElseThrow().keys())).isEqualTo(appKey);
    }

    @Test
    void aRewrapNeverOverwritesAKeySetChangedMeanwhile() {
        Unit u = unit(Eui64.parse("70b3d57ed0007200"), null, null);
        var before = registry.wrappedKeysNotUnder(io.lorafab.store.model.WrappedKeySet.Kind.UNIT_ROOT_KEYS, "other", 0, 10);
        assertThat(before).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo(u.id());
            assertThat(w.kekLabel()).isEqualTo("test-kek");
            assertThat(w.wrapped()).hasSize(2);
            assertThat(w.wrapped().get(1)).isNull();
        });
        LocalKeyVault second = new LocalKeyVault(KekRing.of(List.of(new Kek("second", new byte[24]), new Kek("test-kek", new byte[32]))),
                registry);
        var changed = new io.lorafab.store.model.WrappedKeySet(before.get(0).kind(), u.id(), "second",
                java.util.Arrays.asList(second.wrap(AesKey.of(new byte[16]), null).appKey(), null));
        assertThat(registry.replaceWrappedKeys(before.get(0), changed)).isTrue();
        assertThat(registry.replaceWrappedKeys(before.get(0), changed)).as("stale").isFalse();
        assertThat(second.unwrapAppKey(registry.unit(u.devEui()).orElseThrow().keys())).isEqualTo(AesKey.of(new byte[16]));
    }

    // ---- reservations ---------------------------------------------------------------------------------

    EuiBlock blockOf(Product p, String name, String first, long size) {
        return registry.createEuiBlock(new NewEuiBlock(name, p.id(), Assignment.MA_S, "70b3d57ed", Eui64.parse(first), size));
    }

    UnitReservation allocated(WorkOrder w, Product p) {
        return new UnitReservation(w, p, null, null, vault.wrap(AesKey.of(new byte[16]), null), "st-1", "op");
    }

    UnitReservation withSerial(WorkOrder w, Product p, String serial) {
        return new UnitReservation(w, p, null, serial, vault.wrap(AesKey.of(new byte[16]), null), "st-1", "op");
    }

    UnitReservation scanned(WorkOrder w, Product p, String devEui) {
        return new UnitReservation(w, p, Eui64.parse(devEui), null, vault.wrap(AesKey.of(new byte[16]), null), "st-1", "op");
    }

    /** Each outcome as its DevEUI or its refusal code. */
    static List<String> outcomes(List<ReservationOutcome> out) {
        return out.stream().map(o -> o.unit() != null ? o.unit().devEui().toString() : o.failure().code().code()).toList();
    }

    long reserveAudits() {
        return registry.auditLog(1000).stream().filter(a -> a.action().equals("unit.reserve")).count();
    }

    static String code(Throwable e) {
        return ((StoreException) e).code().code();
    }

    @Test
    void aBlockHandsOutItsDevEuisInOrderThenRefusesWithEuiBlockExhaustedUntilAnotherBlockIsOpen() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0001000", 3);
        assertThat(b.last()).isEqualTo(Eui64.parse("70b3d57ed0001002"));
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(Eui64.parse("70b3d57ed0001000"));
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(Eui64.parse("70b3d57ed0001001"));
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(Eui64.parse("70b3d57ed0001002"));
        assertThatThrownBy(() -> registry.reserveUnit(allocated(w, p))).isInstanceOf(StoreException.class)
                .hasMessage("no EUI block with free DevEUIs for product sensor-a")
                .extracting(RegistryConformanceTest::code).isEqualTo("eui_block_exhausted");
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p))))).containsExactly("eui_block_exhausted");
        assertThat(registry.euiBlock(b.id()).orElseThrow().remaining()).isZero();
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize(3);
        // a block opened later (here one shared by all products) serves the next reservation, from its start
        EuiBlock shared = block("shared", "70b3d57ed", "70b3d57ed0001800", 5);
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(shared.first());
        assertThat(registry.euiBlock(shared.id()).orElseThrow().nextIndex()).isEqualTo(1);
    }

    @Test
    void aReservationForAnUnknownWorkOrderIsNotFoundAndTakesNoDevEui() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0001400", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        WorkOrder unknown = new WorkOrder(12345, "WO-GONE", p.id(), 10, WorkOrderState.OPEN, w.createdAt());
        assertThatThrownBy(() -> registry.reserveUnit(allocated(unknown, p))).hasMessage("work order WO-GONE not found")
                .extracting(RegistryConformanceTest::code).isEqualTo("not_found");
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(unknown, p), allocated(w, p)))))
                .containsExactly("not_found", "70b3d57ed0001400");
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(1);
    }

    @Test
    void aReservationSkipsEuisAlreadyHeldByAUnit() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0002000", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        unit(Eui64.parse("70b3d57ed0002000"), null, null); // a scanned label inside the block
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(Eui64.parse("70b3d57ed0002001"));
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(2);
    }

    @Test
    void aBlockSkipsEveryProductsJoinEuiInsteadOfHandingItOutAsADevEui() {
        Product p = product("sensor-a"); // JoinEUI 70b3d57ed0000001
        registry.createProduct(new NewProduct("sensor-b", Eui64.parse("70b3d57ed0000003"), MacVersion.V1_0_3, Region.byName("eu868"),
                new ProfileId(0x1234, 0x0002), null, null, null));
        EuiBlock b = blockOf(p, "whole-ma-s", "70b3d57ed0000000", 6);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(Eui64.parse("70b3d57ed0000000"));
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p), allocated(w, p), allocated(w, p)))))
                .containsExactly("70b3d57ed0000002", "70b3d57ed0000004", "70b3d57ed0000005");
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(6);
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p))))).containsExactly("eui_block_exhausted");
        // one unit alone (with a serial it is served on its own) skips it too
        EuiBlock c = blockOf(p, "second", "70b3d57ed0000006", 10);
        registry.createProduct(new NewProduct("sensor-c", Eui64.parse("70b3d57ed0000006"), MacVersion.V1_0_3, Region.byName("eu868"),
                new ProfileId(0x1234, 0x0003), null, null, null));
        assertThat(registry.reserveUnit(withSerial(w, p, "SN-1")).devEui()).isEqualTo(Eui64.parse("70b3d57ed0000007"));
        assertThat(registry.euiBlock(c.id()).orElseThrow().nextIndex()).isEqualTo(2);
    }

    @Test
    void aProductsJoinEuiMayNotBeADevEuiHandedOutAlready() {
        unit(Eui64.parse("70b3d57ed0000100"), null, null);
        assertThatThrownBy(() -> registry.createProduct(new NewProduct("late", Eui64.parse("70b3d57ed0000100"), MacVersion.V1_0_3,
                Region.byName("eu868"), new ProfileId(0x1234, 0x0001), null, null, null)))
                .hasMessage("JoinEUI 70b3d57ed0000100 is already the DevEUI of a unit; give the product another JoinEUI")
                .extracting(RegistryConformanceTest::code).isEqualTo("join_eui_is_dev_eui");
        assertThat(registry.products()).isEmpty();
    }

    @Test
    void allocatedUnitsTakeTheNextSerialOfTheirProductsTemplateAndAStationsSerialWins() {
        Clock december = Clock.fixed(Instant.parse("2026-12-06T23:50:00Z"), ZoneOffset.UTC);
        JdbcRegistry r = new JdbcRegistry(Database.open(url), december);
        cleanups.add(r::close);
        Product p = r.createProduct(new NewProduct("sensor a", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, Region.byName("eu868"),
                new ProfileId(0x1234, 0x0001), null, null, null, null)); // the default template
        assertThat(p.serialTemplate().text()).isEqualTo("{product}-{yyMM}-{seq:06}");
        Product q = r.createProduct(new NewProduct("gauge", Eui64.parse("70b3d57ed0000002"), MacVersion.V1_0_3, Region.byName("eu868"),
                new ProfileId(0x1234, 0x0002), null, null, null, SerialTemplate.parse("G{yyyy}{MM}{dd}x{seq}")));
        registry.createEuiBlock(new NewEuiBlock("b1", null, Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0060000"), 100));
        WorkOrder w = r.createWorkOrder("WO-1", p.id(), 100);
        WorkOrder g = r.createWorkOrder("WO-G", q.id(), 100);
        assertThat(r.reserveUnit(allocated(w, p)).serial()).isEqualTo("sensor-a-2612-000001");
        unit(Eui64.parse("70b3d57ed0060050"), null, "sensor-a-2612-000003"); // a station-given serial that matches the template
        List<ReservationOutcome> out = r.reserveUnits(List.of(allocated(w, p), withSerial(w, p, "LABEL-7"), allocated(w, p),
                allocated(g, q), scanned(w, p, "70b3d57ed0060060")));
        assertThat(out.stream().map(o -> o.unit().serial()).toList())
                .containsExactly("sensor-a-2612-000002", "LABEL-7", "sensor-a-2612-000004", "G20261206x1", null);
        assertThat(r.units(UnitQuery.all()).stream().map(Unit::serial).filter(java.util.Objects::nonNull))
                .doesNotHaveDuplicates();
        assertThat(r.unit(out.get(0).unit().devEui()).orElseThrow().serial()).isEqualTo("sensor-a-2612-000002");
        // the counter itself has moved past every number used or skipped: none is handed out again
        long counter = r.database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT serial_seq FROM product WHERE id = " + p.id())) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(counter).isEqualTo(4L);
    }

    @Test
    void aFailedTransactionLeavesNoTrace() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0003000", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 1);
        assertThatThrownBy(() -> registry.transaction(r -> {
            assertThat(outcomes(r.reserveUnits(List.of(allocated(w, p))))).containsExactly("70b3d57ed0003000");
            unit(Eui64.parse("70b3d57ed0003009"), null, null);
            r.audit("test", "unit.note", "70b3d57ed0003009", null);
            throw new IllegalStateException("crash before commit");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(registry.units(UnitQuery.all())).isEmpty();
        assertThat(registry.auditLog(10)).isEmpty();
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isZero();
        // the order's one slot, the block's first DevEUI and the product's first serial are free again
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p), allocated(w, p)))))
                .containsExactly("70b3d57ed0003000", "work_order_full");
        assertThat(registry.unit(Eui64.parse("70b3d57ed0003000")).orElseThrow().serial()).endsWith("-000001");
    }

    @Test
    void twoRegistriesOnOneDatabaseReservingAtOnceGetDistinctContiguousEuisAndNoExtraSlots() throws Exception {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0010000", 100_000);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 300);
        Registry other = open(url); // as a second server process would
        cleanups.add(other::close);
        int threads = 8;
        int each = 40;
        int batch = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Registry r = t % 4 < 2 ? registry : other;
            boolean single = t % 2 == 0; // one at a time, group-committed; else batches in their own transaction
            futures.add(pool.submit(() -> {
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < each; i += single ? 1 : batch) {
                    if (single) {
                        try {
                            mine.add(r.reserveUnit(allocated(w, p)).devEui().toString());
                        } catch (StoreException e) {
                            mine.add(e.code().code());
                        }
                    } else {
                        mine.addAll(outcomes(r.reserveUnits(Collections.nCopies(batch, allocated(w, p)))));
                    }
                }
                return mine;
            }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(all).hasSize(threads * each);
        assertThat(all).filteredOn(s -> !s.startsWith("70b3d57ed")).hasSize(threads * each - 300)
                .containsOnly("work_order_full");
        List<String> euis = all.stream().filter(s -> s.startsWith("70b3d57ed")).sorted().toList();
        assertThat(euis).doesNotHaveDuplicates().hasSize(300);
        assertThat(euis.get(0)).isEqualTo(b.first().toString());
        assertThat(euis.get(299)).isEqualTo(b.at(299).toString());
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(300);
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize(300);
        assertThat(reserveAudits()).isEqualTo(300);
        // the product's serial sequence, shared by both servers, is used once per unit: 1..300 without a gap
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id())).stream().map(u -> Integer.parseInt(u.serial().substring(
                u.serial().length() - 6))).sorted().toList()).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 300).boxed().toList());
    }

    @Test
    void aBatchWithMoreRequestsThanFreeSlotsRefusesOnlyTheExtraOnes() {
        Product p = product("sensor-a");
        blockOf(p, "b1", "70b3d57ed0030000", 100);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 5);
        registry.reserveUnits(List.of(allocated(w, p)));
        List<ReservationOutcome> out = registry.reserveUnits(List.of(allocated(w, p), allocated(w, p), allocated(w, p),
                allocated(w, p), allocated(w, p), allocated(w, p)));
        assertThat(outcomes(out)).containsExactly("70b3d57ed0030001", "70b3d57ed0030002", "70b3d57ed0030003",
                "70b3d57ed0030004", "work_order_full", "work_order_full");
        assertThat(out.get(4).failure()).hasMessage("work order WO-1 already has 5 units");
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize(5);
        assertThat(reserveAudits()).isEqualTo(5);
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p))))).containsExactly("work_order_full");
        registry.releaseWorkOrderSlot(w.id());
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p), allocated(w, p))))).containsExactly(
                "70b3d57ed0030005", "work_order_full");
    }

    @Test
    void aBatchCrossingTheEndOfABlockGoesOnInTheNextOpenBlockAndStopsWhenAllAreUsed() {
        Product p = product("sensor-a");
        EuiBlock own = blockOf(p, "own", "70b3d57ed0040000", 3);
        EuiBlock shared = block("shared", "70b3d57ed", "70b3d57ed0041000", 2);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 6);
        List<ReservationOutcome> out = registry.reserveUnits(List.of(allocated(w, p), allocated(w, p), allocated(w, p),
                allocated(w, p), allocated(w, p), allocated(w, p), allocated(w, p)));
        assertThat(outcomes(out)).containsExactly("70b3d57ed0040000", "70b3d57ed0040001", "70b3d57ed0040002",
                "70b3d57ed0041000", "70b3d57ed0041001", "eui_block_exhausted", "work_order_full");
        assertThat(out.get(5).failure()).hasMessage("no EUI block with free DevEUIs for product sensor-a");
        assertThat(registry.euiBlock(own.id()).orElseThrow().remaining()).isZero();
        assertThat(registry.euiBlock(shared.id()).orElseThrow().remaining()).isZero();
        assertThat(registry.openEuiBlockFor(p.id())).isEmpty();
        // the refused request gave its slot back: a new block serves exactly one more unit of the order
        blockOf(p, "more", "70b3d57ed0042000", 10);
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p), allocated(w, p))))).containsExactly(
                "70b3d57ed0042000", "work_order_full");
    }

    @Test
    void aBatchSkipsDevEuisHeldByScannedUnitsInsideTheBlock() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0050000", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 100);
        unit(Eui64.parse("70b3d57ed0050001"), null, null); // scanned earlier
        List<ReservationOutcome> out = registry.reserveUnits(List.of(allocated(w, p), scanned(w, p, "70b3d57ed0050003"),
                allocated(w, p), allocated(w, p), allocated(w, p)));
        assertThat(outcomes(out)).containsExactly("70b3d57ed0050000", "70b3d57ed0050003", "70b3d57ed0050002",
                "70b3d57ed0050004", "70b3d57ed0050005");
        assertThat(out.get(1).unit().origin()).isEqualTo(UnitOrigin.SCANNED);
        assertThat(out.get(0).unit().origin()).isEqualTo(UnitOrigin.ALLOCATED);
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(6);
        assertThat(registry.unit(Eui64.parse("70b3d57ed0050003")).orElseThrow().workOrderId()).isEqualTo(w.id());
    }

    @Test
    void aFailingPieceOfABatchUndoesNothingElse() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0060000", 100);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 7);
        unit(Eui64.parse("70b3d57ed0069000"), null, "SN-TAKEN");
        record Case(String name, UnitReservation request, String expected) {
        }
        List<Case> cases = List.of(
                new Case("allocated", allocated(w, p), "70b3d57ed0060001"),
                new Case("scanned DevEUI already registered", scanned(w, p, "70b3d57ed0069000"), "duplicate"),
                new Case("allocated with a serial already taken", withSerial(w, p, "SN-TAKEN"), "duplicate"),
                new Case("scanned", scanned(w, p, "70b3d57ed0069001"), "70b3d57ed0069001"),
                new Case("the same label scanned twice in one batch", scanned(w, p, "70b3d57ed0069001"), "duplicate"),
                // pieces that may fail alone are served first: the serial piece gets the block's next EUI
                new Case("allocated with a fresh serial", withSerial(w, p, "SN-NEW"), "70b3d57ed0060000"),
                new Case("allocated after the failures", allocated(w, p), "70b3d57ed0060002"),
                new Case("allocated, last", allocated(w, p), "70b3d57ed0060003"));
        List<ReservationOutcome> out = registry.reserveUnits(cases.stream().map(Case::request).toList());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(outcomes(out).get(i)).as(cases.get(i).name()).isEqualTo(cases.get(i).expected());
        }
        // no gap where the failed serial piece briefly held an EUI, one audit record per unit, slots only for units
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(4);
        assertThat(registry.unitBySerial("SN-NEW").orElseThrow().devEui()).isEqualTo(Eui64.parse("70b3d57ed0060000"));
        assertThat(reserveAudits()).isEqualTo(5);
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize(5);
        assertThat(outcomes(registry.reserveUnits(List.of(allocated(w, p), allocated(w, p), allocated(w, p)))))
                .containsExactly("70b3d57ed0060004", "70b3d57ed0060005", "work_order_full");
    }

    @Test
    void aBatchInsideAFailedTransactionLeavesNoTrace() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0070000", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        assertThatThrownBy(() -> registry.transaction(r -> {
            r.reserveUnit(allocated(w, p));
            throw new IllegalStateException("crash before commit");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(registry.units(UnitQuery.all())).isEmpty();
        assertThat(reserveAudits()).isZero();
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isZero();
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(b.first());
    }

    @Test
    void concurrentGroupCommittedReservationsGetDistinctContiguousEuis() throws Exception {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0080000", 100_000);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 300);
        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    try {
                        mine.add(registry.reserveUnit(allocated(w, p)).devEui().toString());
                    } catch (StoreException e) {
                        mine.add(e.code().code());
                    }
                }
                return mine;
            }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        List<String> euis = all.stream().filter(s -> !s.equals("work_order_full")).sorted().toList();
        assertThat(all).filteredOn(s -> s.equals("work_order_full")).hasSize(threads * each - 300);
        assertThat(euis).doesNotHaveDuplicates().hasSize(300);
        assertThat(euis.get(0)).isEqualTo(b.first().toString());
        assertThat(euis.get(299)).isEqualTo(b.at(299).toString());
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize(300);
        assertThat(reserveAudits()).isEqualTo(300);
    }

    // ---- closing work orders ------------------------------------------------------------------------

    @Test
    void aClosedWorkOrderRefusesAllocatedAndScannedReservationsEvenForACallerThatSawItOpen() {
        Product p = product("sensor-a");
        EuiBlock b = blockOf(p, "b1", "70b3d57ed0090000", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        Unit reserved = registry.reserveUnit(allocated(w, p));
        WorkOrder closed = registry.closeWorkOrder(w.id(), "cli:alice", "batch done");
        assertThat(closed.state()).isEqualTo(WorkOrderState.CLOSED);
        assertThat(closed.closure().by()).isEqualTo("cli:alice");
        assertThat(closed.closure().reason()).isEqualTo("batch done");
        assertThat(closed.closure().at()).isNotNull();
        assertThat(registry.workOrderByReference("WO-1")).contains(closed);

        // 'w' still says OPEN, as a reservation that read the order just before the close would
        List<ReservationOutcome> out = registry.reserveUnits(List.of(allocated(w, p), scanned(w, p, "70b3d57ed0090005")));
        assertThat(outcomes(out)).containsExactly("work_order_closed", "work_order_closed");
        assertThat(out.get(0).failure()).hasMessage("work order WO-1 is closed since " + closed.closure().at()
                + " by cli:alice (reason: batch done); it hands out no more identities");
        assertThatThrownBy(() -> registry.reserveUnit(allocated(w, p))).extracting(RegistryConformanceTest::code)
                .isEqualTo("work_order_closed");
        assertThat(registry.euiBlock(b.id()).orElseThrow().nextIndex()).isEqualTo(1);
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).containsExactly(reserved);
        assertThat(reserveAudits()).isEqualTo(1);

        // a unit reserved before the close can still be finished
        assertThat(registry.updateUnit(reserved.devEui(), u -> u.withState(UnitState.PASSED, "st-1", null)).state())
                .isEqualTo(UnitState.PASSED);
    }

    @Test
    void aCloseDuringConcurrentReservationsLetsNoUnitInAfterIt() throws Exception {
        Product p = product("sensor-a");
        blockOf(p, "b1", "70b3d57ed00c0000", 100_000);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 100_000);
        Registry other = open(url); // a second server process on the same database
        cleanups.add(other::close);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(4);
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Registry r = t % 2 == 0 ? registry : other;
            futures.add(pool.submit(() -> {
                long reserved = 0;
                long refusedAfterClose = 0;
                running.countDown();
                // reserve until refused, then a few more: every one after the close must be refused
                while (refusedAfterClose < 3) {
                    boolean closeReturned = closed.get();
                    try {
                        r.reserveUnit(allocated(w, p)); // 'w' says OPEN throughout
                        assertThat(closeReturned).as("a reservation that began after the close returned").isFalse();
                        reserved++;
                    } catch (StoreException e) {
                        assertThat(e.code().code()).isEqualTo("work_order_closed");
                        refusedAfterClose++;
                    }
                }
                return new long[] {reserved};
            }));
        }
        running.await();
        Thread.sleep(200);
        AuditEvent close = registry.transaction(r -> {
            r.closeWorkOrder(w.id(), "alice", null);
            return r.audit("alice", "work_order.close", "work_order:WO-1", null);
        });
        closed.set(true);
        long reserved = 0;
        for (Future<long[]> f : futures) {
            reserved += f.get()[0];
        }
        pool.shutdown();
        assertThat(reserved).as("reservations ran before the close").isPositive();
        assertThat(registry.units(UnitQuery.ofWorkOrder(w.id()))).hasSize((int) reserved);
        // each unit's audit record was written under the order's lock, before the close took it
        assertThat(registry.auditLog(q(null, "unit.reserve", null, null, null).limitTo(AuditQuery.MAX_LIMIT)))
                .hasSize((int) reserved).allSatisfy(a -> assertThat(a.id()).isLessThan(close.id()));
    }

    @Test
    void aSecondCloseIsRefusedAndChangesNothing() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        WorkOrder first = registry.closeWorkOrder(w.id(), "alice", null);
        assertThatThrownBy(() -> registry.closeWorkOrder(w.id(), "bob", "again"))
                .hasMessage("work order WO-1 is already closed since " + first.closure().at() + " by alice")
                .extracting(RegistryConformanceTest::code).isEqualTo("work_order_closed");
        assertThat(registry.workOrder(w.id())).contains(first);
        assertThatThrownBy(() -> registry.closeWorkOrder(999, "bob", null)).extracting(RegistryConformanceTest::code)
                .isEqualTo("not_found");
    }

    @Test
    void aReopenedWorkOrderReservesAgainAndOnlyAClosedOneCanBeReopened() {
        Product p = product("sensor-a");
        blockOf(p, "b1", "70b3d57ed0091000", 10);
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        assertThatThrownBy(() -> registry.reopenWorkOrder(w.id())).hasMessage(
                "work order WO-1 is open; only a closed order can be reopened")
                .extracting(RegistryConformanceTest::code).isEqualTo("illegal_transition");
        registry.closeWorkOrder(w.id(), "alice", "pause");
        WorkOrder reopened = registry.reopenWorkOrder(w.id());
        assertThat(reopened.state()).isEqualTo(WorkOrderState.OPEN);
        assertThat(reopened.closure()).isNull();
        assertThat(registry.reserveUnit(allocated(w, p)).devEui()).isEqualTo(Eui64.parse("70b3d57ed0091000"));
        registry.setWorkOrderState(w.id(), WorkOrderState.COMPLETED);
        assertThatThrownBy(() -> registry.reopenWorkOrder(w.id())).extracting(RegistryConformanceTest::code)
                .isEqualTo("illegal_transition");
    }

    // ---- yield ----------------------------------------------------------------------------------------

    /** A unit of the order with the given test runs (result:reason@station, "-" for no station), then in {@code state}. */
    private void unitWithRuns(WorkOrder w, long n, UnitState state, String... runs) {
        Unit u = unit(Eui64.of(0x70b3d57ed00a0000L + n), w.id(), null);
        for (String run : runs) {
            String[] r = run.split("[:@]");
            registry.appendTestRun(u.id(), r[2].equals("-") ? null : r[2], TestResult.valueOf(r[0]),
                    r[1].equals("-") ? null : r[1], "{}");
        }
        registry.updateUnit(u.devEui(), cur -> cur.withState(state, null, null));
    }

    @Test
    void orderYieldCountsFirstPassRetestsAndEachFailedUnitOnceByItsLatestFailedRun() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 100);
        WorkOrder other = registry.createWorkOrder("WO-2", p.id(), 100);
        unitWithRuns(w, 1, UnitState.PASSED, "PASSED:-@st-1");                                        // first pass
        unitWithRuns(w, 2, UnitState.PASSED, "FAILED:join_failed@st-1", "PASSED:-@st-2");              // passed on its 2nd run
        unitWithRuns(w, 3, UnitState.FAILED, "FAILED:module_error@st-1", "FAILED:join_failed@st-2");   // latest: join_failed@st-2
        unitWithRuns(w, 4, UnitState.FAILED, "FAILED:rssi_below_threshold@st-2");
        unitWithRuns(w, 5, UnitState.VOID, "FAILED:module_error@st-1");                                // tested, then scrapped
        unitWithRuns(w, 6, UnitState.FAILED, "FAILED:flash_failed@-");                                  // no station named
        unitWithRuns(w, 7, UnitState.RESERVED);                                                         // not tested yet
        unitWithRuns(other, 8, UnitState.FAILED, "FAILED:join_failed@st-9", "FAILED:join_failed@st-9"); // another order

        OrderYield y = registry.orderYield(w.id());
        assertThat(y.units()).isEqualTo(7);
        assertThat(y.count(UnitState.PASSED)).isEqualTo(2);
        assertThat(y.count(UnitState.FAILED)).isEqualTo(3);
        assertThat(y.testedUnits()).isEqualTo(6);
        assertThat(y.firstPassUnits()).isEqualTo(1);
        assertThat(y.firstPassYield()).isEqualTo(1.0 / 6);
        assertThat(y.finalYield()).isEqualTo(2.0 / 5);
        assertThat(y.retestedUnits()).isEqualTo(2);
        assertThat(y.extraRuns()).isEqualTo(2);
        assertThat(y.failuresByReason()).as("most first, ties by name").containsExactly(new FailureCount("join_failed", 2),
                new FailureCount("flash_failed", 1), new FailureCount("module_error", 1), new FailureCount("rssi_below_threshold", 1));
        assertThat(y.failuresByStation()).containsExactly(new FailureCount("st-1", 2), new FailureCount("st-2", 2),
                new FailureCount(null, 1));
        assertThat(y.failedAtLeastOnce()).isEqualTo(5);
    }

    @Test
    void runsTheTestStationSpoiledAreNoVerdictOnTheUnitAndAreCountedApart() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 100);
        // the gateway refused the join-accept, the re-test passed: a first pass, not a re-test
        unitWithRuns(w, 1, UnitState.PASSED, "STATION_FAULT:test_gateway_fault@st-1", "PASSED:-@st-1");
        // refused twice, still PROGRAMMED for the operator: not tested yet
        unitWithRuns(w, 2, UnitState.PROGRAMMED, "STATION_FAULT:test_gateway_fault@st-1", "STATION_FAULT:test_gateway_fault@st-1");
        // a real failure, then a station fault on its re-test, then a pass: one re-test
        unitWithRuns(w, 3, UnitState.PASSED, "FAILED:join_not_heard@st-2", "STATION_FAULT:server_unreachable@st-2", "PASSED:-@st-2");

        OrderYield y = registry.orderYield(w.id());
        assertThat(y.testedUnits()).isEqualTo(2);
        assertThat(y.firstPassUnits()).isEqualTo(1);
        assertThat(y.retestedUnits()).isEqualTo(1);
        assertThat(y.extraRuns()).isEqualTo(1);
        assertThat(y.stationFaultRuns()).isEqualTo(4);
        assertThat(y.stationFaultUnits()).isEqualTo(3);
        assertThat(y.failuresByReason()).containsExactly(new FailureCount("join_not_heard", 1));
    }

    @Test
    void anUntestedOrderHasNoYieldYet() {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 100);
        unit(Eui64.parse("70b3d57ed00b0000"), w.id(), null);
        OrderYield y = registry.orderYield(w.id());
        assertThat(y.units()).isEqualTo(1);
        assertThat(y.testedUnits()).isZero();
        assertThat(y.firstPassYield()).isNull();
        assertThat(y.finalYield()).isNull();
        assertThat(y.retestedUnits()).isZero();
        assertThat(y.extraRuns()).isZero();
        assertThat(y.failuresByReason()).isEmpty();
        assertThat(y.failuresByStation()).isEmpty();
    }

    // ---- audit filters ---------------------------------------------------------------------------------

    @Test
    void auditLogFiltersByActorActionSubjectAndTimeInTheDatabase() {
        AtomicReference<Instant> now = new AtomicReference<>();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Registry timed = new JdbcRegistry(Database.open(url), clock);
        cleanups.add(timed::close);
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        record Event(Instant at, String actor, String action, String subject) {
        }
        List<Event> events = List.of(
                new Event(t0, "alice", "unit.reserve", "70b3d57ed0000001"),
                new Event(t0.plusMillis(500), "alice", "unit.finish", "70b3d57ed0000001"),
                new Event(t0.plusSeconds(1), "bob", "work_order.close", "work_order:WO-1"),
                new Event(t0.plusSeconds(86_400), "cli:carol", "unit.void", "70b3d57ed0000002"),
                new Event(t0.plusSeconds(86_401), "cli:dave", "keys.export", "all"));
        for (Event e : events) {
            now.set(e.at());
            timed.audit(e.actor(), e.action(), e.subject(), null);
        }
        record Case(String name, AuditQuery q, List<String> actions) {
        }
        List<Case> cases = List.of(
                new Case("no filter: newest first", AuditQuery.newest(100),
                        List.of("keys.export", "unit.void", "work_order.close", "unit.finish", "unit.reserve")),
                new Case("limit keeps the newest", AuditQuery.newest(2), List.of("keys.export", "unit.void")),
                new Case("actor exact", q("alice", null, null, null, null), List.of("unit.finish", "unit.reserve")),
                new Case("actor is case-sensitive", q("ALICE", null, null, null, null), List.of()),
                new Case("actor prefix", q("cli:*", null, null, null, null), List.of("keys.export", "unit.void")),
                new Case("action exact", q(null, "work_order.close", null, null, null), List.of("work_order.close")),
                new Case("action prefix", q(null, "unit.*", null, null, null), List.of("unit.void", "unit.finish", "unit.reserve")),
                new Case("a prefix is not a pattern: '_' is a character", q(null, "u_it.*", null, null, null), List.of()),
                new Case("'%' is a character", q(null, "unit%", null, null, null), List.of()),
                new Case("without '*' an action matches only exactly", q(null, "unit.", null, null, null), List.of()),
                new Case("a unit's records", q(null, null, "70b3d57ed0000001", null, null), List.of("unit.finish", "unit.reserve")),
                new Case("since is inclusive, also for an instant half a second after a whole second",
                        q(null, null, null, t0, null), List.of("keys.export", "unit.void", "work_order.close", "unit.finish", "unit.reserve")),
                new Case("since between fractions of a second", q(null, null, null, t0.plusMillis(200), null),
                        List.of("keys.export", "unit.void", "work_order.close", "unit.finish")),
                new Case("since on the fraction", q(null, null, null, t0.plusMillis(500), null),
                        List.of("keys.export", "unit.void", "work_order.close", "unit.finish")),
                new Case("until is exclusive", q(null, null, null, null, t0.plusSeconds(1)), List.of("unit.finish", "unit.reserve")),
                new Case("until a whole second excludes nothing before it", q(null, null, null, null, t0.plusMillis(501)),
                        List.of("unit.finish", "unit.reserve")),
                new Case("one day", q(null, null, null, t0.plusSeconds(3600), t0.plusSeconds(2 * 86_400)),
                        List.of("keys.export", "unit.void")),
                new Case("filters combine", q("alice", "unit.*", "70b3d57ed0000001", t0.plusMillis(1), null), List.of("unit.finish")));
        for (Case c : cases) {
            assertThat(timed.auditLog(c.q()).stream().map(AuditEvent::action).toList()).as(c.name()).isEqualTo(c.actions());
        }
        AuditEvent finish = timed.auditLog(q(null, "unit.finish", null, null, null)).get(0);
        assertThat(finish.at()).isEqualTo(t0.plusMillis(500));
        assertThat(finish.actor()).isEqualTo("alice");
        assertThat(finish.subject()).isEqualTo("70b3d57ed0000001");
    }

    @Test
    void anAuditPageBeforeARecordHoldsOnlyOlderRecordsNewestFirst() {
        for (int i = 1; i <= 5; i++) {
            registry.audit("alice", "unit.void", "70b3d57ed000000" + i, null);
        }
        List<AuditEvent> first = registry.auditLog(new AuditQuery("alice", null, null, null, null, 2));
        assertThat(first).extracting(AuditEvent::subject).containsExactly("70b3d57ed0000005", "70b3d57ed0000004");
        List<AuditEvent> next = registry.auditLog(new AuditQuery("alice", null, null, null, null, 2, first.get(1).id()));
        assertThat(next).extracting(AuditEvent::subject).containsExactly("70b3d57ed0000003", "70b3d57ed0000002");
        registry.audit("alice", "unit.void", "70b3d57ed0000006", null); // a new record does not shift the pages
        assertThat(registry.auditLog(new AuditQuery("alice", null, null, null, null, 2, next.get(1).id())))
                .extracting(AuditEvent::subject).containsExactly("70b3d57ed0000001");
    }

    private static AuditQuery q(String actor, String action, String subject, Instant since, Instant until) {
        return new AuditQuery(actor, action, subject, since, until, 100);
    }

    // ---- atomic read-modify-write ---------------------------------------------------------------------

    /** A unit's station id with {@code mark} appended: a change that depends on what it read. */
    private static Unit appended(Unit cur, String mark) {
        return cur.withState(cur.state(), cur.stationId() + mark, null);
    }

    @Test
    void anUpdaterThatStartsWhileAnotherHoldsTheUnitSeesItsChangeSoNoUpdateIsLost() throws Exception {
        Unit u = unit(Eui64.parse("70b3d57ed0005000"), null, null);
        Registry other = open(url); // a second server process on the same database
        cleanups.add(other::close);
        java.util.concurrent.CountDownLatch firstHasRead = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Unit> first = pool.submit(() -> registry.updateUnit(u.devEui(), cur -> {
                firstHasRead.countDown();
                try {
                    Thread.sleep(300); // holds the unit while the second updater reads it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return appended(cur, "+a");
            }));
            assertThat(firstHasRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            AtomicReference<String> secondRead = new AtomicReference<>();
            Future<Unit> second = pool.submit(() -> other.updateUnit(u.devEui(), cur -> {
                secondRead.set(cur.stationId());
                return appended(cur, "+b");
            }));
            assertThat(first.get().stationId()).isEqualTo("st-1+a");
            assertThat(second.get().stationId()).isEqualTo("st-1+a+b");
            assertThat(secondRead.get()).as("the second updater read the unit after the first one wrote it").isEqualTo("st-1+a");
        } finally {
            pool.shutdown();
        }
        assertThat(registry.unit(u.devEui()).orElseThrow().stationId()).isEqualTo("st-1+a+b");
    }

    @Test
    void manyConcurrentUpdatersOfOneUnitFromTwoServersLoseNoUpdate() throws Exception {
        Unit u = unit(Eui64.parse("70b3d57ed0005001"), null, null);
        Registry other = open(url);
        cleanups.add(other::close);
        int threads = 4;
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Registry r = t % 2 == 0 ? registry : other;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    r.updateUnit(u.devEui(), cur -> appended(cur, "."));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(registry.unit(u.devEui()).orElseThrow().stationId()).isEqualTo("st-1" + ".".repeat(threads * each));
    }

    @Test
    void anUpdateThatThrowsLeavesTheUnitAsItWasAndIdentityCannotChange() {
        Unit u = unit(Eui64.parse("70b3d57ed0005002"), null, null);
        assertThatThrownBy(() -> registry.updateUnit(u.devEui(), cur -> {
            throw new StoreException(io.lorafab.api.ErrorCode.ILLEGAL_TRANSITION, "refused");
        })).extracting(RegistryConformanceTest::code).isEqualTo("illegal_transition");
        assertThatThrownBy(() -> registry.updateUnit(u.devEui(), cur -> new Unit(cur.id() + 1, cur.devEui(), cur.joinEui(),
                cur.productId(), cur.workOrderId(), cur.serial(), cur.name(), cur.macVersion(), cur.region(), cur.keys(),
                UnitState.PROGRAMMED, cur.origin(), cur.stationId(), cur.createdAt(), cur.updatedAt())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.unit(u.devEui())).contains(u);
    }

    @Test
    void twoConcurrentClosesOfOneWorkOrderFromTwoServersLetExactlyOneWin() throws Exception {
        Product p = product("sensor-a");
        WorkOrder w = registry.createWorkOrder("WO-1", p.id(), 10);
        Registry other = open(url);
        cleanups.add(other::close);
        java.util.concurrent.CountDownLatch firstHasRead = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<WorkOrder> first = pool.submit(() -> registry.updateWorkOrder(w.id(), o -> {
                firstHasRead.countDown();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new WorkOrder(o.id(), o.reference(), o.productId(), o.quantity(), WorkOrderState.CLOSED, o.createdAt(),
                        new WorkOrder.Closure(Instant.parse("2026-12-07T10:00:00Z"), "alice", null));
            }));
            assertThat(firstHasRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Future<WorkOrder> second = pool.submit(() -> other.closeWorkOrder(w.id(), "bob", null));
            assertThat(first.get().closure().by()).isEqualTo("alice");
            assertThatThrownBy(second::get).hasCauseInstanceOf(StoreException.class)
                    .cause().hasMessage("work order WO-1 is already closed since 2026-12-07T10:00:00Z by alice");
        } finally {
            pool.shutdown();
        }
        assertThat(registry.workOrder(w.id()).orElseThrow().closure().by()).isEqualTo("alice");
        assertThatThrownBy(() -> registry.updateWorkOrder(w.id(), o -> new WorkOrder(o.id(), "WO-2", o.productId(),
                o.quantity(), o.state(), o.createdAt(), o.closure()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.workOrder(w.id()).orElseThrow().reference()).isEqualTo("WO-1");
        assertThatThrownBy(() -> registry.updateWorkOrder(999, o -> o)).extracting(RegistryConformanceTest::code)
                .isEqualTo("not_found");
    }
}
