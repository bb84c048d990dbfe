package io.lorafab.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.StoreException;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WrappedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyVaultTest {

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void keyFileIsCreatedOwnerOnlyAndReused() throws Exception {
        KekRing first = KekRing.load(Map.of(), dir, random);
        Path file = dir.resolve(KekRing.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        KekRing again = KekRing.load(Map.of(), dir, random);
        assertThat(again.active().label()).isEqualTo(first.active().label());
        assertThat(again.active().checkValue()).isEqualTo(first.active().checkValue());
        assertThat(first.fileBacked()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "readable by all,      rw-r--r--, true",
            "readable by group,    rw-r-----, true",
            "writable by others,   rw-----w-, true",
            "group execute,        rw---x---, true",
            "owner only,           rw-------, false",
            "owner read only,      r--------, false"})
    void anExistingKeyFileOpenToGroupOrOthersIsRefused(String name, String mode, boolean refused) throws Exception {
        KekRing.load(Map.of(), dir, random);
        Path file = dir.resolve(KekRing.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        for (java.util.function.Supplier<?> read : List.<java.util.function.Supplier<?>>of(() -> KekRing.load(Map.of(), dir, random),
                () -> KekRing.readFile(file))) {
            if (refused) {
                assertThatThrownBy(read::get).isInstanceOf(StoreException.class)
                        .hasMessage("key file " + file + " is open to group or others (mode " + mode + "); refusing to use it: chmod 600 "
                                + file)
                        .extracting(e -> ((StoreException) e).code().code()).isEqualTo("key_file_not_private");
            } else {
                assertThat(read.get()).isNotNull();
            }
        }
    }

    @Test
    void environmentKekWins() {
        KekRing ring = KekRing.load(Map.of(KekRing.ENV, "000102030405060708090a0b0c0d0e0f"), dir, random);
        assertThat(ring.active().label()).startsWith("env-");
        assertThat(ring.fileBacked()).isFalse();
        assertThat(Files.exists(dir.resolve(KekRing.FILE_NAME))).isFalse();
        KekRing two = KekRing.load(Map.of(KekRing.ENV, "new:" + "11".repeat(32) + ",old:" + "22".repeat(16)), dir, random);
        assertThat(two.all()).extracting(Kek::label).containsExactly("new", "old");
        assertThatThrownBy(() -> KekRing.load(Map.of(KekRing.ENV, "a:00,b"), dir, random)).isInstanceOf(LorawanFormatException.class);
        assertThatThrownBy(() -> KekRing.load(Map.of(KekRing.ENV, "0011"), dir, random)).hasMessageContaining("16, 24 or 32 bytes");
    }

    @Test
    void kekNeverShowsInText() {
        Kek k = new Kek("lbl", Hex.parse("000102030405060708090a0b0c0d0e0f", "k"));
        assertThat(k.toString()).isEqualTo("Kek[lbl]");
        // RFC 3394 4.1 check value: first three bytes of wrap(kek, 0^128)
        assertThat(k.checkValue()).hasSize(6);
    }

    @Test
    void wrapsUnderTheActiveKekAndUnwrapsAnyKnownLabel() {
        Kek a = new Kek("a", new byte[16]);
        Kek b = new Kek("b", Hex.parse("01".repeat(32), "k"));
        LocalKeyVault vault = new LocalKeyVault(KekRing.of(List.of(b, a)), null);
        AesKey app = AesKey.parse("00112233445566778899aabbccddeeff");
        AesKey nwk = AesKey.parse("ffeeddccbbaa99887766554433221100");
        WrappedKeys w = vault.wrap(app, nwk);
        assertThat(w.kekLabel()).isEqualTo("b");
        assertThat(w.appKey()).hasSize(24);
        assertThat(vault.unwrapAppKey(w)).isEqualTo(app);
        assertThat(vault.unwrapNwkKey(w)).isEqualTo(nwk);
        WrappedKeys underA = new LocalKeyVault(KekRing.of(List.of(a)), null).wrap(app, null);
        assertThat(vault.unwrapAppKey(underA)).isEqualTo(app);
        assertThat(vault.unwrapNwkKey(underA)).isNull();
        assertThat(vault.rewrap(underA).kekLabel()).isEqualTo("b");
        assertThat(w.toString()).doesNotContain("00112233");

        WrappedKeys unknown = new WrappedKeys("zzz", w.appKey(), null);
        assertThatThrownBy(() -> vault.unwrapAppKey(unknown)).extracting(e -> ((StoreException) e).code().code()).isEqualTo("kek_unknown");
        byte[] tampered = w.appKey();
        tampered[5] ^= 1;
        assertThatThrownBy(() -> vault.unwrapAppKey(new WrappedKeys("b", tampered, null)))
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("key_unwrap_failed");
    }

    @Test
    void rotationRewrapsEveryUnitAndKeepsThemReadable() throws Exception {
        try (JdbcRegistry registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("r.db")), Clock.systemUTC())) {
            LocalKeyVault vault = new LocalKeyVault(KekRing.load(Map.of(), dir, random), registry);
            String first = vault.activeLabel();
            for (int i = 0; i < 1200; i++) {
                AesKey k = AesKey.of(Hex.parse(String.format("%032x", i), "k"));
                registry.insertUnit(new NewUnit(Eui64.of(0x70b3d57ed0000000L + i), Eui64.of(1), null, null, null, null,
                        MacVersion.V1_0_3, Region.byName("EU868"), vault.wrap(k, null), UnitState.RESERVED, UnitOrigin.ALLOCATED, null));
            }
            KeyRotation.Result r1 = KeyRotation.rotate(registry, vault, "admin", "kek-2", random);
            assertThat(r1.rewrapped()).isEqualTo(1200);
            assertThat(r1.previousLabel()).isEqualTo(first);
            assertThat(registry.kekLabelsInUse()).containsExactly("kek-2");
            // A fresh process reading the key file can read every key.
            LocalKeyVault fresh = new LocalKeyVault(KekRing.load(Map.of(), dir, random), registry);
            Unit u = registry.unit(Eui64.of(0x70b3d57ed0000000L + 77)).orElseThrow();
            assertThat(fresh.unwrapAppKey(u.keys())).isEqualTo(AesKey.of(Hex.parse(String.format("%032x", 77), "k")));
            // The previous KEK stays one rotation longer; the one before is dropped when unused.
            assertThat(fresh.ring().all()).extracting(Kek::label).containsExactly("kek-2", first);
            KeyRotation.rotate(registry, fresh, "admin", "kek-3", random);
            assertThat(fresh.ring().all()).extracting(Kek::label).containsExactly("kek-3", "kek-2");
            assertThat(registry.auditLog(5)).extracting(e -> e.action()).contains("keys.rotate");
            assertThatThrownBy(() -> KeyRotation.rotate(registry, fresh, "admin", "kek-3", random))
                    .extracting(e -> ((StoreException) e).code().code()).isEqualTo("duplicate");
        }
    }

    @Test
    void anotherProcessesRotationIsPickedUp() {
        KekRing ring = KekRing.load(Map.of(), dir, random);
        LocalKeyVault server = new LocalKeyVault(ring, null);
        LocalKeyVault cli = new LocalKeyVault(KekRing.load(Map.of(), dir, random), null);
        cli.use(cli.ring().withActive(Kek.generate("rotated", random)));
        AesKey k = AesKey.parse("00112233445566778899aabbccddeeff");
        WrappedKeys byCli = cli.wrap(k, null);
        assertThat(server.unwrapAppKey(byCli)).isEqualTo(k);
        assertThat(server.wrap(k, null).kekLabel()).isEqualTo("rotated");
    }
}
