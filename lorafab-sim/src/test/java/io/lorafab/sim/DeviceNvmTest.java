package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNvmTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");

    @TempDir
    Path dir;

    static DeviceIdentity identity(MacVersion v) {
        return new DeviceIdentity(Eui64.parse("0004a30b001c0800"), Eui64.parse("70b3d57ed0000001"), APP_KEY,
                v.is11() ? APP_KEY : null, v, Region.byName("EU868"));
    }

    @Test
    void stateSurvivesReopeningAndIsWrittenAtomically() throws Exception {
        Path f = dir.resolve("sub/nvm.json");
        DeviceNvm nvm = DeviceNvm.open(f);
        assertThat(nvm.state()).isEqualTo(NvmState.fresh());
        assertThat(Files.exists(f)).isFalse();
        nvm.update(s -> s.withNextDevNonce(7).withUsedDevNonce(99).withFCntUp(12));
        NvmState again = DeviceNvm.open(f).state();
        assertThat(again.nextDevNonce()).isEqualTo(7);
        assertThat(again.usedDevNonces()).containsExactly(99);
        assertThat(again.fCntUp()).isEqualTo(12);
        assertThat(again.lastJoinNonce()).isEqualTo(-1);
        try (var files = Files.list(f.getParent())) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void aCorruptFileIsATypedError() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> DeviceNvm.open(f)).isInstanceOf(SimException.class).hasMessageContaining("bad.json");
    }

    @Test
    void identityChecksAndRedaction() {
        assertThatThrownBy(() -> new DeviceIdentity(Eui64.of(1), Eui64.of(2), APP_KEY, null, MacVersion.V1_1,
                Region.byName("EU868"))).isInstanceOf(SimException.class);
        assertThatThrownBy(() -> identity(MacVersion.V1_0_3)).isInstanceOf(SimException.class);
        assertThat(identity(MacVersion.V1_0_4).toString()).doesNotContain(APP_KEY.toHex());
    }

    @Test
    void uplinkBeforeJoinAndBadArgumentsAreTypedErrors() {
        VirtualDevice d = new VirtualDevice(identity(MacVersion.V1_0_4), DeviceNvm.open(dir.resolve("d.json")), new SplittableRandom(1));
        assertThatThrownBy(() -> d.uplink(1, new byte[1], false)).isInstanceOf(SimException.class);
        assertThat(d.lastDevNonce()).isEmpty();
        d.joinRequest();
        assertThat(d.lastDevNonce()).hasValue(0);
    }

    /** 1.0.2: every restart draws from the same seed, yet no DevNonce is ever sent twice (the NVM remembers). */
    @Property(tries = 20)
    void aLorawan102DeviceNeverRepeatsADevNonce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int restartsEvery)
            throws Exception {
        Path f = Files.createTempFile("nvm", ".json");
        Files.delete(f);
        try {
            Set<Integer> seen = new HashSet<>();
            VirtualDevice d = null;
            for (int i = 0; i < 200; i++) {
                if (i % restartsEvery == 0) {
                    d = new VirtualDevice(identity(MacVersion.V1_0_2), DeviceNvm.open(f), new SplittableRandom(seed));
                }
                assertThat(seen.add(DevNonce.fromLe(d.joinRequest(), 17).value())).isTrue();
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** 1.0.4/1.1: the counter continues across restarts with no gap and no repeat. */
    @Property(tries = 20)
    void counterDevNoncesContinueAcrossRestarts(@ForAll @IntRange(min = 1, max = 50) int restartsEvery) throws Exception {
        Path f = Files.createTempFile("nvm", ".json");
        Files.delete(f);
        try {
            VirtualDevice d = null;
            for (int i = 0; i < 100; i++) {
                if (i % restartsEvery == 0) {
                    d = new VirtualDevice(identity(MacVersion.V1_1), DeviceNvm.open(f), new SplittableRandom(1));
                }
                assertThat(DevNonce.fromLe(d.joinRequest(), 17).value()).isEqualTo(i);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
