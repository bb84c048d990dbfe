package io.lorafab.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.StoreException;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.ChipIdentity;
import io.lorafab.store.model.ClaimPin;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording the chip identity LR11xx-style parts report, and the {@code loracloud-claim} export the maker claims them
 * with: its content, its scope, its audit record, and that no audit record ever holds a PIN. (The store's round trip on
 * SQLite and PostgreSQL is in the registry conformance suite.)
 */
class ChipIdentitiesTest {

    static final String ACTOR = "test:admin";
    static final Eui64 SEMTECH_JOIN_EUI = Eui64.parse("0016C001FFFE0001");

    @TempDir
    Path dir;
    JdbcRegistry registry;
    LocalKeyVault vault;
    ChipIdentities chips;
    DeviceExports exports;

    @BeforeEach
    void open() {
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("lorafab.db")), Clock.systemUTC());
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("test-kek", new byte[32]))), registry);
        Provisioning units = new Provisioning(registry, vault, new SecureRandom(), Provisioning::plainDevEui);
        chips = new ChipIdentities(units);
        exports = new DeviceExports(units);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    Unit unit(String devEui, UnitState state) {
        return registry.insertUnit(new NewUnit(Eui64.parse(devEui), SEMTECH_JOIN_EUI, null, null, null, null, MacVersion.V1_0_3,
                Region.byName("EU868"), vault.wrap(AesKey.of(new byte[16]), null), state, UnitOrigin.ALLOCATED, "st-1"));
    }

    ChipIdentity chip(String chipEui, Eui64 joinEui, String pin) {
        return new ChipIdentity(Eui64.parse(chipEui), joinEui, ClaimPin.parse(pin), "st-1", null);
    }

    @Test
    void theClaimExportListsEachReportingUnitWithItsChipEuiJoinEuiAndPinAndIsAuditedWithoutThePins() {
        Unit a = unit("0016c001f0000001", UnitState.PASSED);
        Unit b = unit("0016c001f0000002", UnitState.PROGRAMMED);
        unit("0016c001f0000003", UnitState.PASSED); // reported nothing: not in the file
        chips.record(a.devEui(), chip("0016c001f0000001", SEMTECH_JOIN_EUI, "1a2b3c4d"), "station:st-1");
        chips.record(b.devEui(), chip("0016c001f00000b2", null, "00c0ffee"), "station:st-1");

        String csv = new String(exports.exportClaims(null, false, null, ACTOR), StandardCharsets.UTF_8);

        assertThat(csv).isEqualTo("DevEUI,ChipEUI,JoinEUI,PIN\r\n"
                + "0016C001F0000001,0016C001F0000001,0016C001FFFE0001,1A2B3C4D\r\n"
                + "0016C001F0000002,0016C001F00000B2,,00C0FFEE\r\n");
        AuditEvent exported = registry.auditLog(1).get(0);
        assertThat(exported.actor()).isEqualTo(ACTOR);
        assertThat(exported.action()).isEqualTo("claims.export");
        assertThat(exported.details()).isEqualTo("format=loracloud-claim devices=2 pins=clear");
        assertThat(registry.auditLog(100)).extracting(AuditEvent::details)
                .noneMatch(d -> d.toUpperCase(java.util.Locale.ROOT).contains("1A2B3C4D") || d.toUpperCase(java.util.Locale.ROOT).contains("00C0FFEE"));
        assertThat(registry.auditLog(100)).extracting(AuditEvent::action).contains("unit.chip_identity");
    }

    @Test
    void aFailedUnitsChipIsLeftOutUnlessAllStatesAreAskedFor() {
        Unit failed = unit("0016c001f0000011", UnitState.FAILED);
        chips.record(failed.devEui(), chip("0016c001f0000011", null, "11111111"), ACTOR);
        assertThatThrownBy(() -> exports.exportClaims(null, false, null, ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code().code()).isEqualTo("nothing_to_export"));
        assertThat(new String(exports.exportClaims(null, true, null, ACTOR), StandardCharsets.UTF_8)).contains("11111111");
    }

    @Test
    void aChipEuiAnotherUnitReportedIsRefusedAndAVoidUnitRecordsNothing() {
        Unit a = unit("0016c001f0000021", UnitState.PASSED);
        Unit b = unit("0016c001f0000022", UnitState.PASSED);
        Unit v = unit("0016c001f0000023", UnitState.VOID);
        chips.record(a.devEui(), chip("0016c001f0000021", null, "22222222"), ACTOR);
        // the same unit re-tested reports the same chip again: fine
        chips.record(a.devEui(), chip("0016c001f0000021", null, "22222222"), ACTOR);
        assertThatThrownBy(() -> chips.record(b.devEui(), chip("0016c001f0000021", null, "33333333"), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code().code()).isEqualTo("duplicate");
                    assertThat(e.getMessage()).contains("0016c001f0000021").doesNotContain("33333333");
                });
        assertThatThrownBy(() -> chips.record(v.devEui(), chip("0016c001f0000023", null, "44444444"), ACTOR))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code().code()).isEqualTo("unit_void"));
        assertThat(registry.chipIdentities(null)).containsOnlyKeys(a.id());
    }
}
