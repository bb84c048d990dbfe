package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.demo.Demo;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.crypto.KeyDerivation;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.sim.DeviceNvm;
import io.lorafab.sim.NvmState;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole line over real sockets and pseudo-terminals (the demo with few units), then the database is checked:
 * every PASSED unit has a verified join and uplink recorded, identities are unique, failures carry reasons, and
 * what each passed device keeps in its NVM (session, nonces) is what its root keys in the database derive.
 */
class DemoLineTest {

    @TempDir
    Path tmp;

    /** The demo's own run folder, as `lorafab demo` makes one under the data folder. */
    Path dir;

    @Test
    void theLineLeavesAConsistentRegistry() throws Exception {
        dir = tmp.resolve("lorafab-data").resolve("demo-1");
        StringWriter text = new StringWriter();
        int exit = new Demo(new Demo.Options(32, 2, dir, false), new PrintWriter(text, true)).run();
        assertThat(exit).isZero();
        assertThat(text.toString()).contains("units: ").contains("throughput: ");
        assertThat(Files.exists(dir.resolve("devices-tts.json"))).isTrue();
        // owner-only: the folders it made 0700, the export (root keys in the clear) and every other file 0600
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("lorafab-data")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.getFileName().toString())
                        .isEqualTo("rw-------");
            }
        }
        assertThat(Files.readAllBytes(dir.resolve("labels-DEMO-1.pdf"))).startsWith("%PDF".getBytes());
        try (Lorafab lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC())) {
            List<Unit> units = lf.registry().units(UnitQuery.all());
            assertThat(units).hasSize(32);
            Set<String> euis = new HashSet<>();
            int passed = 0;
            for (Unit u : units) {
                assertThat(euis.add(u.devEui().toString())).isTrue();
                List<RadioEvent> events = lf.joinStore().events(u.devEui(), 0, 100);
                var runs = lf.registry().testRuns(u.id());
                // a run the test station spoiled (a refused join-accept) is repeated; the last run is the unit's
                assertThat(runs.subList(0, runs.size() - 1)).as("test runs of %s", u.devEui())
                        .allMatch(r -> r.result() == io.lorafab.store.model.TestResult.STATION_FAULT);
                var last = runs.get(runs.size() - 1);
                if (u.state() == UnitState.PASSED) {
                    passed++;
                    assertThat(events).extracting(RadioEvent::kind).contains("join_accepted", "uplink_verified");
                    assertThat(last.measurementsJson()).contains("\"rssi\"");
                    deviceHoldsTheDatabasesKeys(lf, u);
                } else {
                    assertThat(u.state()).isEqualTo(UnitState.FAILED);
                    assertThat(last.reasonCode()).isIn("module_error", "join_not_heard");
                }
            }
            assertThat(passed).isGreaterThanOrEqualTo(28); // units 11 (rejected key) and 17 (out of range) fail by design
        }
    }

    @Test
    void theDemoRunsThroughAVirtualBasicsStation() throws Exception {
        Path dir = tmp.resolve("lorafab-data").resolve("demo-bs");
        StringWriter text = new StringWriter();
        int exit = new Demo(new Demo.Options(8, 2, dir, false, io.lorafab.sim.SimGateway.Timing.COMPRESSED, true),
                new PrintWriter(text, true)).run();
        assertThat(exit).isZero();
        assertThat(text.toString()).contains("and Basics Station ws://127.0.0.1:").contains("virtual Basics Station 00800000a0000001")
                .contains("units: 8 passed, 0 failed");
        try (Lorafab lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC())) {
            assertThat(lf.registry().units(UnitQuery.all())).hasSize(8);
            for (Unit u : lf.registry().units(UnitQuery.all())) {
                assertThat(u.state()).isEqualTo(UnitState.PASSED);
                assertThat(lf.joinStore().events(u.devEui(), 0, 100)).extracting(RadioEvent::kind).contains("join_accepted", "uplink_verified");
            }
        }
    }

    /**
     * The device's NVM holds the session of its join; its keys are those the unit's AppKey in the database
     * derives with the nonces and NetID the join server recorded, so the device was programmed with that AppKey.
     */
    private void deviceHoldsTheDatabasesKeys(Lorafab lf, Unit u) {
        NvmState nvm = DeviceNvm.open(dir.resolve("device-nvm").resolve(u.devEui() + ".json")).state();
        Session s = lf.joinStore().latestSession(u.devEui()).orElseThrow();
        assertThat(nvm.session()).as("NVM session of %s", u.devEui()).isNotNull();
        assertThat(nvm.session().address()).isEqualTo(s.devAddr());
        assertThat(nvm.lastJoinNonce()).isEqualTo(s.joinNonce());
        assertThat(nvm.session().devNonce()).isEqualTo(s.devNonce());
        AesKey appKey = lf.vault().unwrapAppKey(u.keys());
        JoinNonce jn = JoinNonce.of(s.joinNonce());
        DevNonce dn = DevNonce.of(s.devNonce());
        assertThat(nvm.session().keys().appSKey()).isEqualTo(KeyDerivation.deriveAppSKey10(appKey, jn, s.netId(), dn));
        assertThat(nvm.session().keys().fNwkSIntKey()).isEqualTo(KeyDerivation.deriveNwkSKey10(appKey, jn, s.netId(), dn));
    }
}
