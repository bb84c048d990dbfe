package io.lorafab.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.StoreException;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WrappedKeys;
import io.lorafab.testkit.SoftHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key vault with its KEKs in a PKCS#11 token (SoftHSM2; each test its own fresh token). */
class Pkcs11KeyVaultTest {

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    private static Pkcs11Token open(SoftHsm.Token t) {
        return Pkcs11Token.fromEnv(t.env());
    }

    private AesKey key() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return AesKey.of(b);
    }

    private static String code(Throwable e) {
        return ((StoreException) e).code().code();
    }

    @Test
    void aKekImportedIntoTheTokenWrapsByteForByteAsTheSameKekInTheFile() {
        Pkcs11Token token = open(SoftHsm.freshToken());
        for (int size : new int[] {16, 24, 32}) {
            byte[] value = new byte[size];
            random.nextBytes(value);
            Kek file = new Kek("kek-" + size, value);
            Kek held = token.importKek(file);
            assertThat(held.inToken()).isTrue();
            assertThat(held.checkValue()).isEqualTo(file.checkValue());
            LocalKeyVault hsm = new LocalKeyVault(KekRing.of(List.of(held)), null);
            LocalKeyVault local = new LocalKeyVault(KekRing.of(List.of(file)), null);
            for (int i = 0; i < 20; i++) {
                AesKey app = key();
                AesKey nwk = key();
                WrappedKeys byHsm = hsm.wrap(app, nwk);
                WrappedKeys byFile = local.wrap(app, nwk);
                assertThat(byHsm.appKey()).isEqualTo(byFile.appKey());
                assertThat(byHsm.nwkKey()).isEqualTo(byFile.nwkKey());
                assertThat(hsm.unwrapAppKey(byFile)).isEqualTo(app);
                assertThat(local.unwrapNwkKey(byHsm)).isEqualTo(nwk);
            }
        }
    }

    @Test
    void aKekGeneratedInTheTokenNeverLeavesIt() {
        SoftHsm.Token t = SoftHsm.freshToken();
        Pkcs11Token token = open(t);
        Kek k = token.generateKek("made-here");
        assertThat(k.inToken()).isTrue();
        assertThat(k.extractable()).isFalse();
        assertThatThrownBy(k::keyBytes).extracting(Pkcs11KeyVaultTest::code).isEqualTo("kek_not_rotatable");
        assertThat(k.toString()).isEqualTo("Kek[made-here]");
        LocalKeyVault vault = new LocalKeyVault(KekRing.of(List.of(k)), null);
        AesKey key = key();
        KeyVault.WrappedSet w = vault.wrapAll(key);
        assertThat(w.wrapped().get(0)).hasSize(24);
        assertThat(vault.unwrapKey("made-here", w.wrapped().get(0))).isEqualTo(key);
        // a second process finds it by its label
        assertThat(open(t).kek("made-here").checkValue()).isEqualTo(k.checkValue());
        byte[] tampered = w.wrapped().get(0);
        tampered[9] ^= 1;
        assertThatThrownBy(() -> vault.unwrapKey("made-here", tampered)).extracting(Pkcs11KeyVaultTest::code).isEqualTo("key_unwrap_failed");
        assertThatThrownBy(() -> token.generateKek("made-here")).extracting(Pkcs11KeyVaultTest::code).isEqualTo("duplicate");
    }

    @Test
    void aNewKeyFileWithATokenNamesAKekMadeInTheTokenAndHoldsNoKeyValue() throws Exception {
        SoftHsm.Token t = SoftHsm.freshToken();
        KekRing ring = KekRing.load(t.env(), dir, random, open(t));
        assertThat(ring.active().inToken()).isTrue();
        String file = Files.readString(dir.resolve(KekRing.FILE_NAME));
        assertThat(file).contains(ring.active().label() + "=pkcs11").doesNotContainPattern("=[0-9a-fA-F]{32}");
        // read again (another process): the same KEK, from the token
        KekRing again = KekRing.load(t.env(), dir, random, open(t));
        assertThat(again.active().checkValue()).isEqualTo(ring.active().checkValue());
        // without the token configured, the file cannot be used, and says why
        assertThatThrownBy(() -> KekRing.load(Map.of(), dir, random)).extracting(Pkcs11KeyVaultTest::code).isEqualTo("hsm_unavailable");
    }

    @Test
    void aLabelTheTokenDoesNotHoldIsRefused() throws Exception {
        SoftHsm.Token t = SoftHsm.freshToken();
        Path file = dir.resolve(KekRing.FILE_NAME);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "absent=pkcs11\n");
        assertThatThrownBy(() -> KekRing.load(t.env(), dir, random, open(t)))
                .hasMessage("no AES key labelled 'absent' in the token in slot " + t.slot() + " of " + SoftHsm.MODULE)
                .extracting(Pkcs11KeyVaultTest::code).isEqualTo("kek_unknown");
    }

    @Test
    void openingTheTokenFailsWithOneLineForEachMisconfiguration() throws Exception {
        SoftHsm.Token t = SoftHsm.freshToken();
        Path wrongPin = dir.resolve("wrong-pin");
        Files.createFile(wrongPin, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(wrongPin, "not-the-pin\n");
        Path openPin = dir.resolve("open-pin");
        Files.writeString(openPin, t.pin());
        Files.setPosixFilePermissions(openPin, PosixFilePermissions.fromString("rw-r--r--"));
        String where = "slot " + t.slot() + " of " + SoftHsm.MODULE;
        record Case(String name, Map<String, String> env, String code, String message) {
        }
        List<Case> cases = List.of(
                new Case("wrong PIN", with(t.env(), Pkcs11Token.PIN_FILE_ENV, wrongPin.toString()), "hsm_unavailable",
                        "the token in " + where + " refused the PIN (LORAFAB_PKCS11_PIN_FILE or LORAFAB_PKCS11_PIN)"),
                new Case("no token in the slot", with(t.env(), Pkcs11Token.SLOT_ENV, "4242"), "hsm_unavailable",
                        "no token in slot 4242 of " + SoftHsm.MODULE + " (LORAFAB_PKCS11_SLOT; 'pkcs11-tool --module " + SoftHsm.MODULE
                                + " --list-slots' lists them)"),
                new Case("no module", with(t.env(), Pkcs11Token.MODULE_ENV, "/nowhere/libpkcs11.so"), "hsm_unavailable",
                        "PKCS#11 module /nowhere/libpkcs11.so not found (LORAFAB_PKCS11_MODULE)"),
                new Case("no PIN", without(t.env(), Pkcs11Token.PIN_FILE_ENV), "hsm_unavailable",
                        "LORAFAB_PKCS11_MODULE is set but no PIN is: set LORAFAB_PKCS11_PIN_FILE (a file only its owner can read) or "
                                + "LORAFAB_PKCS11_PIN"),
                new Case("PIN file open to others", with(t.env(), Pkcs11Token.PIN_FILE_ENV, openPin.toString()), "key_file_not_private",
                        "key file " + openPin + " is open to group or others (mode rw-r--r--); refusing to use it: chmod 600 " + openPin),
                new Case("slot not a number", with(t.env(), Pkcs11Token.SLOT_ENV, "first"), "hsm_unavailable",
                        "LORAFAB_PKCS11_SLOT: expected a slot ID (a number, as 'pkcs11-tool --list-slots' prints it)"));
        for (Case c : cases) {
            assertThatThrownBy(() -> Pkcs11Token.fromEnv(c.env())).as(c.name()).hasMessage(c.message())
                    .extracting(Pkcs11KeyVaultTest::code).isEqualTo(c.code());
        }
        // and the right PIN, from the environment rather than a file, opens it
        assertThat(Pkcs11Token.fromEnv(with(without(t.env(), Pkcs11Token.PIN_FILE_ENV), Pkcs11Token.PIN_ENV, t.pin())).where()).isEqualTo(where);
        assertThat(Pkcs11Token.fromEnv(Map.of())).isNull();
    }

    @Test
    void rotationFromTheFileToTheTokenAndBackKeepsEveryKeyReadable() throws Exception {
        SoftHsm.Token t = SoftHsm.freshToken();
        try (JdbcRegistry registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("r.db")), Clock.systemUTC())) {
            LocalKeyVault vault = new LocalKeyVault(KekRing.load(Map.of(), dir, random), registry);
            String first = vault.activeLabel();
            List<AesKey> keys = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                AesKey k = key();
                keys.add(k);
                registry.insertUnit(new NewUnit(Eui64.of(0x70b3d57ed0000000L + i), Eui64.of(1), null, null, null, null,
                        MacVersion.V1_0_3, Region.byName("EU868"), vault.wrap(k, null), UnitState.RESERVED, UnitOrigin.ALLOCATED, null));
            }
            // the server restarts with the token configured: the file KEK still reads every key
            LocalKeyVault withToken = new LocalKeyVault(KekRing.load(t.env(), dir, random, open(t)), registry);
            assertThatThrownBy(() -> KeyRotation.rotate(registry, vault, "admin", "in-hsm", KeyRotation.Target.TOKEN, random))
                    .extracting(Pkcs11KeyVaultTest::code).isEqualTo("kek_not_rotatable");
            KeyRotation.Result toHsm = KeyRotation.rotate(registry, withToken, "admin", "in-hsm", KeyRotation.Target.TOKEN, random);
            assertThat(toHsm.rewrapped()).isEqualTo(100);
            assertThat(registry.auditLog(1).get(0).details()).isEqualTo("previous=" + first + " rewrapped=100 units=100 sessions=0 held=pkcs11");
            assertThat(withToken.ring().active().inToken()).isTrue();
            assertThat(registry.kekLabelsInUse()).containsExactly("in-hsm");
            assertThat(Files.readString(dir.resolve(KekRing.FILE_NAME))).contains("in-hsm=pkcs11");
            assertAllReadable(registry, new LocalKeyVault(KekRing.load(t.env(), dir, random, open(t)), registry), keys);
            // a rotation without a target stays in the token
            KeyRotation.rotate(registry, withToken, "admin", "in-hsm-2", random);
            assertThat(withToken.ring().active().inToken()).isTrue();
            assertThat(withToken.ring().all()).extracting(Kek::label).containsExactly("in-hsm-2", "in-hsm");
            KeyRotation.Result back = KeyRotation.rotate(registry, withToken, "admin", "in-file", KeyRotation.Target.FILE, random);
            assertThat(back.rewrapped()).isEqualTo(100);
            assertThat(withToken.ring().active().inToken()).isFalse();
            assertThat(registry.kekLabelsInUse()).containsExactly("in-file");
            // the token KEK the file no longer names stays in the token: dropping a key from an HSM is not lorafab's call
            assertThat(open(t).holds("in-hsm")).isTrue();
            assertAllReadable(registry, new LocalKeyVault(KekRing.load(t.env(), dir, random, open(t)), registry), keys);
            // the token KEK active before stays named one rotation longer; after the next, unused, it is dropped from the
            // file, and the server runs without the token again
            assertThat(withToken.ring().all()).extracting(Kek::label).containsExactly("in-file", "in-hsm-2");
            KeyRotation.rotate(registry, withToken, "admin", "in-file-2", random);
            assertThat(withToken.ring().all()).extracting(Kek::label).containsExactly("in-file-2", "in-file");
            assertAllReadable(registry, new LocalKeyVault(KekRing.load(Map.of(), dir, random), registry), keys);
            assertThat(first).isNotEqualTo("in-file");
        }
    }

    private static void assertAllReadable(JdbcRegistry registry, LocalKeyVault vault, List<AesKey> keys) {
        for (int i = 0; i < keys.size(); i++) {
            WrappedKeys w = registry.unit(Eui64.of(0x70b3d57ed0000000L + i)).orElseThrow().keys();
            assertThat(vault.unwrapAppKey(w)).isEqualTo(keys.get(i));
        }
    }

    private static Map<String, String> with(Map<String, String> env, String k, String v) {
        Map<String, String> m = new HashMap<>(env);
        m.put(k, v);
        return m;
    }

    private static Map<String, String> without(Map<String, String> env, String k) {
        Map<String, String> m = new HashMap<>(env);
        m.remove(k);
        return m;
    }
}
